"""Python function calls per request, in process, for one or more source trees.

    .venv/bin/python benchmarks/call_counts.py                      # this checkout
    .venv/bin/python benchmarks/call_counts.py --tree /work/old --tree .

A count of calls (cProfile's total over many requests, divided by their number) follows a
request's CPU time closely and, unlike a time, does not move with whatever else the machine
is doing, so two trees can be compared on a busy machine. Each tree runs in its own process
(`PYTHONPATH=TREE`, this checkout's .venv) on a fresh SQLite instance made by its own
command line, through Flask's test client: no sockets, no gevent. The ceiling is the same
app answering a trivial JSON route. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from bench_server import PASSWORD, PYTHON, ROOT, SITE, describe, instance

# Run inside the tree's process: warm up, then profile each kind of request on its own.
COUNT = """
import cProfile, json, pstats, sys
from flask import jsonify
from frontdoor.app import create_app

requests = int(sys.argv[1])
app = create_app()
app.add_url_rule("/_bench/ceiling", "bench_ceiling", lambda: jsonify({"ok": True}))
client = app.test_client()
me = {"email": "m0@bench.example", "password": sys.argv[2]}
answer = client.post("/api/v1/auth/login", json=me)
assert answer.status_code == 200, answer.get_json()
staff = {"Authorization": "Bearer " + answer.get_json()["token"]}
site = sys.argv[3]
client.put(f"/api/v1/sites/{site}/duty", json={"on_duty": True, "desk": "1"}, headers=staff)
body = {"language": "es", "needs": ["food"], "name": "Ana"}

def ceiling():
    assert client.get("/_bench/ceiling").status_code == 200

def check_in():
    assert client.post(f"/api/v1/sites/{site}/check-ins", json=body).status_code == 201

def check_in_with_qr():
    made = client.post(f"/api/v1/sites/{site}/check-ins?qr=svg", json=body).get_json()
    if "qr_svg" not in made:  # before issue 8 the kiosk fetched the QR next
        assert client.get(f"/t/{made['ticket']['token']}/qr.svg").status_code == 200

def call_next():
    assert client.post(f"/api/v1/sites/{site}/queue/next", headers=staff).status_code == 200

figures = {}
for name, work in [("ceiling", ceiling), ("check-in", check_in),
                   ("kiosk check-in, code and QR", check_in_with_qr), ("call-next", call_next)]:
    for _ in range(20):
        work()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        work()
    profile.disable()
    figures[name] = pstats.Stats(profile).total_calls / requests
print(json.dumps(figures))
"""


def count(tree: Path, requests: int) -> dict[str, float]:
    with instance(1, tree) as env:
        env["FRONTDOOR_PUBLIC_URL"] = "http://localhost"  # the test client's host
        done = subprocess.run(
            [PYTHON, "-c", COUNT, str(requests), PASSWORD, SITE],
            env=env, cwd=tree, capture_output=True, text=True,
        )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", type=Path, help="a source tree (repeat)")
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind")
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    rows = [(describe(tree.resolve()), count(tree.resolve(), args.requests)) for tree in trees]
    names = list(rows[0][1])
    print(f"Python calls per request ({args.requests} of each, after 20 to warm up):")
    print(f"{'tree':<48}" + "".join(f"{name:>30}" for name in names) + f"{'call-next/ceiling':>20}")
    for label, figures in rows:
        cells = "".join(f"{figures[name]:>30,.0f}" for name in names)
        print(f"{label:<48}{cells}{figures['call-next'] / figures['ceiling']:>20.1f}")


if __name__ == "__main__":
    main()
