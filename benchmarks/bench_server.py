"""Serving a source tree for the benchmarks: `frontdoor serve` with a ceiling beside it.

The ceiling is the same server answering requests that do none of our work: a trivial JSON
route, and a bare Socket.IO broadcast to every console. They are added to the app the server
builds, before it serves, so the app itself is not changed; a server this script did not
start is measured against its /healthz (or, older, a 404 for an unknown ticket).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-passphrase"
SITE = "bench"
CEILING = "/_bench/ceiling"
# `frontdoor serve` as it is, plus the two routes of the ceiling.
LAUNCH = """
import sys
from gevent import monkey
monkey.patch_all()
from flask import jsonify, request
import frontdoor.server as server
socketio, build = server.socketio, server.create_app
def with_ceiling(*args, **kwargs):  # whatever this tree's create_app takes
    app = build(*args, **kwargs)
    app.add_url_rule("/_bench/ceiling", "bench_ceiling", lambda: jsonify({"ok": True}))
    def broadcast():
        socketio.emit("bench:broadcast", request.get_json(), namespace="/console")
        return jsonify({"ok": True})
    app.add_url_rule("/_bench/broadcast", "bench_broadcast", broadcast, methods=["POST"])
    return app
server.create_app = with_ceiling
server.run(host="127.0.0.1", port=int(sys.argv[1]))
"""


class Client:
    """One keep-alive HTTP connection, as a browser or kiosk tablet would hold."""

    def __init__(self, base: str, token: str | None = None):
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict | None, float]:
        data = None if body is None else json.dumps(body)
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=self.headers)
        response = self.conn.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - started
        is_json = (response.getheader("Content-Type") or "").startswith("application/json")
        return response.status, (json.loads(raw) if raw and is_json else None), elapsed


@dataclass
class Server:
    base: str
    pid: int | None  # None: a server this script did not start (no CPU figures)
    label: str
    ceiling: str = CEILING


def cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_clients(count: int, work) -> list:  # type: ignore[no-untyped-def]
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PYTHON = str(ROOT / ".venv" / "bin" / "python")


# A year (or `days`) of history at the bench site and `sites` - 1 others, from the demo's
# generator; the demo site, open around the clock, becomes the bench site.
HISTORY = """
import sys
from sqlalchemy import text
from frontdoor.demo_history import seed_history
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
db = Database(sys.argv[1])
upgrade(db.engine)
print(seed_history(db, days=int(sys.argv[2]), sites=int(sys.argv[3])).rows)
with db.engine.begin() as conn:
    conn.execute(text("UPDATE site SET slug = :bench WHERE slug = 'demo'"), {"bench": sys.argv[4]})
"""


@contextmanager
def instance(managers: int, tree: Path = ROOT, history: tuple[int, int] = (0, 0)):  # type: ignore[no-untyped-def]
    """A fresh instance directory with a site open around the clock and `managers` case
    managers, made by `tree`'s own command line; yields the environment that runs `tree`
    on it (with this checkout's .venv: the same libraries for every tree). `history`:
    (days, sites) of generated history in the database first, the bench site's among them."""
    cli = [PYTHON, "-c", "from frontdoor.entry import main; main()"]
    with tempfile.TemporaryDirectory(prefix="frontdoor-bench-") as tmp:
        env = {**os.environ, "FRONTDOOR_INSTANCE_PATH": tmp, "FRONTDOOR_RATE_LIMITS": "off"}
        env |= {"PYTHONPATH": str(tree)}
        env.pop("FRONTDOOR_DATABASE_URL", None)
        run = {"env": env, "cwd": tree, "capture_output": True, "text": True}
        if history[0]:
            url = f"sqlite:///{tmp}/frontdoor.sqlite3"
            env["FRONTDOOR_DATABASE_URL"] = url
            seeded = subprocess.run(
                [PYTHON, "-c", HISTORY, url, str(history[0]), str(history[1]), SITE], **run
            )
            if seeded.returncode:
                raise SystemExit(seeded.stderr[-3000:])
            print(f"history: {seeded.stdout.strip()}")
        site = [*cli, "site", "add", SITE, "--name", "Bench"]
        if history[0]:
            pass  # the bench site is the seeded demo site
        elif subprocess.run([*site, "--hours", "always"], **run).returncode:
            subprocess.run(site, check=True, **run)  # no hours yet
        for i in range(managers):
            subprocess.run(
                [*cli, "staff", "add", f"m{i}@bench.example", "--name", f"M{i}", "--role",
                 "case_manager", "--site", SITE, "--password-stdin"],
                input=PASSWORD, check=True, **run,
            )  # fmt: skip
        yield env


@contextmanager
def own_server(managers: int, tree: Path = ROOT, history: tuple[int, int] = (0, 0)):  # type: ignore[no-untyped-def]
    """`frontdoor serve` of `tree` on a fresh instance (see `instance`)."""
    with instance(managers, tree, history) as env:
        port = free_port()
        # `serve` needs its public URL; the benchmark's thousand sockets share one address.
        env |= {"FRONTDOOR_PUBLIC_URL": f"http://127.0.0.1:{port}",
                "FRONTDOOR_MAX_CONNECTIONS_PER_ADDRESS": "0"}  # fmt: skip
        process = subprocess.Popen(
            [PYTHON, "-c", LAUNCH, str(port)], env=env, cwd=tree,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        server = Server(f"http://127.0.0.1:{port}", process.pid, describe(tree))
        try:
            wait_until_up(server.base)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)


def describe(tree: Path) -> str:
    found = subprocess.run(
        ["git", "-C", str(tree), "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return f"{tree} ({found.stdout.strip() or '?'})"


def given_server(url: str) -> Server:
    """A server someone else started: its /healthz as the ceiling, or (older) a 404 lookup."""
    status, _, _ = Client(url).call("GET", "/healthz")
    return Server(url, None, url, "/healthz" if status == 200 else "/api/v1/tickets/" + "x" * 32)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            Client(base).call("GET", CEILING)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server at {base} did not come up")


def sign_in_and_go_on_duty(base: str, managers: int) -> list[str]:
    tokens = []
    for i in range(managers):
        status, body, _ = Client(base).call(
            "POST", "/api/v1/auth/login", {"email": f"m{i}@bench.example", "password": PASSWORD}
        )
        if status != 200:
            raise SystemExit(f"sign-in failed: {status} {body}")
        tokens.append(body["token"])
        Client(base, body["token"]).call(
            "PUT", f"/api/v1/sites/{SITE}/duty", {"on_duty": True, "desk": str(i + 1)}
        )
    return tokens
