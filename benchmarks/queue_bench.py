"""Check-ins per second and call-next latency against a running `frontdoor serve`.

    .venv/bin/python benchmarks/queue_bench.py            # starts its own server on SQLite
    .venv/bin/python benchmarks/queue_bench.py --help

Targets from the queue-core issue (2 cores, one server process, SQLite): >= 500 check-ins/s
from 8 concurrent clients with p99 <= 50 ms; call-next p99 <= 20 ms with 8 managers; zero
duplicates. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-passphrase"
SITE = "bench"


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
        return response.status, (json.loads(raw) if raw else None), elapsed


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {q[49]:.1f} ms  p95 {q[94]:.1f} ms  p99 {q[98]:.1f} ms  max {ms[-1]:.1f} ms"


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


def bench_check_ins(base: str, clients: int, per_client: int) -> list[str]:
    bodies = [
        {"language": "en", "needs": ["housing"]},
        {"language": "es", "needs": ["food", "benefits"], "name": "Ana"},
        {"language": "pt-BR", "phone": "(617) 555-0123", "sms_opt_in": True},
        {"language": "ht"},
    ]

    def work(i: int) -> tuple[list[float], list[str]]:
        client = Client(base)
        latencies, codes = [], []
        for n in range(per_client):
            status, body, elapsed = client.call(
                "POST", f"/api/v1/sites/{SITE}/check-ins", bodies[(i + n) % len(bodies)]
            )
            if status != 201:
                raise SystemExit(f"check-in failed: {status} {body}")
            latencies.append(elapsed)
            codes.append(body["ticket"]["code"])
        return latencies, codes

    started = time.perf_counter()
    results = run_clients(clients, work)
    wall = time.perf_counter() - started
    latencies = [x for lat, _ in results for x in lat]
    codes = [c for _, cs in results for c in cs]
    duplicates = sum(n - 1 for n in Counter(codes).values() if n > 1)
    print(
        f"check-ins: {len(codes)} from {clients} clients in {wall:.2f} s "
        f"= {len(codes) / wall:.0f}/s"
    )
    print(f"  latency  {percentiles(latencies)}")
    print(f"  duplicate codes: {duplicates}")
    return codes


def bench_call_next(base: str, tokens: list[str], expected: set[str]) -> None:
    def work(i: int) -> tuple[list[float], list[str]]:
        client = Client(base, tokens[i])
        latencies, claimed = [], []
        while True:
            status, body, elapsed = client.call("POST", f"/api/v1/sites/{SITE}/queue/next")
            latencies.append(elapsed)
            if status == 204:
                return latencies, claimed
            if status != 200:
                raise SystemExit(f"call-next failed: {status} {body}")
            claimed.append(body["ticket"]["code"])

    started = time.perf_counter()
    results = run_clients(len(tokens), work)
    wall = time.perf_counter() - started
    latencies = [x for lat, _ in results for x in lat]
    claimed = Counter(c for _, cs in results for c in cs)
    print(
        f"call-next: {sum(claimed.values())} claims by {len(tokens)} managers in {wall:.2f} s "
        f"= {sum(claimed.values()) / wall:.0f}/s"
    )
    print(f"  latency  {percentiles(latencies)}")
    print(
        f"  claimed twice: {sum(1 for n in claimed.values() if n > 1)}   "
        f"never claimed: {len(expected - set(claimed))}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def own_server(managers: int):  # type: ignore[no-untyped-def]
    """A fresh instance directory, a site and on-duty managers, and `frontdoor serve`."""
    frontdoor = shutil.which("frontdoor", path=str(ROOT / ".venv" / "bin")) or "frontdoor"
    with tempfile.TemporaryDirectory(prefix="frontdoor-bench-") as tmp:
        env = {**os.environ, "FRONTDOOR_INSTANCE_PATH": tmp, "FRONTDOOR_RATE_LIMITS": "off"}
        env.pop("FRONTDOOR_DATABASE_URL", None)
        subprocess.run(
            [frontdoor, "site", "add", SITE, "--name", "Bench"],
            env=env,
            check=True,
            capture_output=True,
        )
        for i in range(managers):
            subprocess.run(
                [
                    frontdoor,
                    "staff",
                    "add",
                    f"m{i}@bench.example",
                    "--name",
                    f"M{i}",
                    "--role",
                    "case_manager",
                    "--site",
                    SITE,
                    "--password-stdin",
                ],
                input=PASSWORD,
                text=True,
                env=env,
                check=True,
                capture_output=True,
            )
        port = free_port()
        server = subprocess.Popen(
            [frontdoor, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            Client(base).call("GET", "/api/v1/tickets/ping")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        help="a running server (site 'bench', managers m0..m7@bench."
        "example with the benchmark password, rate limits off)",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--check-ins", type=int, default=4000, help="in all, after warm-up")
    parser.add_argument("--managers", type=int, default=8)
    args = parser.parse_args()

    @contextmanager
    def given(url: str):  # type: ignore[no-untyped-def]
        yield url

    with given(args.url) if args.url else own_server(args.managers) as base:
        print(f"server {base}  python {sys.version.split()[0]}  cores {os.cpu_count()}")
        tokens = sign_in_and_go_on_duty(base, args.managers)
        warm = bench_check_ins_quiet(base, args.clients)
        codes = bench_check_ins(base, args.clients, args.check_ins // args.clients)
        bench_call_next(base, tokens, set(codes) | set(warm))


def bench_check_ins_quiet(base: str, clients: int) -> list[str]:
    """Warm-up: connections, caches, SQLite pages. Not measured."""
    client = Client(base)
    return [
        client.call("POST", f"/api/v1/sites/{SITE}/check-ins", {"language": "en"})[1]["ticket"][
            "code"
        ]
        for _ in range(50 * clients // clients)
    ]


if __name__ == "__main__":
    main()
