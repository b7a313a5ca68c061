"""Check-ins per second and call-next latency against `frontdoor serve`, beside its ceiling.

    .venv/bin/python benchmarks/queue_bench.py            # starts its own server on SQLite
    .venv/bin/python benchmarks/queue_bench.py --tree /work/old --tree . --rounds 2
    .venv/bin/python benchmarks/queue_bench.py --history 0 --history 365   # a year loaded
    .venv/bin/python benchmarks/queue_bench.py --help

Targets from the queue-core issue (2 cores, one server process, SQLite): >= 500 check-ins/s
from 8 concurrent clients with p99 <= 50 ms; call-next p99 <= 20 ms with 8 managers; zero
duplicates. The ceiling is the same server and clients answering a trivial JSON route, so
figures compare across machines as ratios. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from bench_server import (
    ROOT,
    SITE,
    Client,
    Server,
    cpu_seconds,
    given_server,
    own_server,
    run_clients,
    sign_in_and_go_on_duty,
)

BODIES = [
    {"language": "en", "needs": ["housing"]},
    {"language": "es", "needs": ["food", "benefits"], "name": "Ana"},
    {"language": "pt-BR", "phone": "(617) 555-0123", "sms_opt_in": True},
    {"language": "ht"},
]


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {q[49]:.1f} ms  p95 {q[94]:.1f} ms  p99 {q[98]:.1f} ms  max {ms[-1]:.1f} ms"


def measure(server: Server, name: str, clients: int, work) -> tuple[dict, list]:  # type: ignore[no-untyped-def]
    """Run `work(i)` (→ (latencies, items)) in `clients` threads; print and return the figures."""
    cpu = cpu_seconds(server.pid)
    started = time.perf_counter()
    results = run_clients(clients, work)
    wall = time.perf_counter() - started
    cpu = None if cpu is None else cpu_seconds(server.pid) - cpu
    latencies = [x for lat, _ in results for x in lat]
    items = [x for _, xs in results for x in xs]
    rate = len(latencies) / wall
    per = f", server CPU {cpu * 1000 / len(latencies):.2f} ms each" if cpu is not None else ""
    print(f"{name}: {len(latencies)} by {clients} clients in {wall:.2f} s = {rate:.0f}/s{per}")
    print(f"  latency  {percentiles(latencies)}")
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"rate": rate, "p99": q[98] * 1000, "cpu": cpu and cpu * 1000 / len(latencies)}, items


def bench_ceiling(server: Server, clients: int, per_client: int) -> dict:
    def work(i: int) -> tuple[list[float], list]:
        client = Client(server.base)
        return [client.call("GET", server.ceiling)[2] for _ in range(per_client)], []

    return measure(server, f"ceiling  GET {server.ceiling}", clients, work)[0]


def bench_check_ins(
    server: Server, name: str, clients: int, per_client: int, *, with_qr: bool = False
) -> tuple[dict, list]:
    """`with_qr`: what the kiosk waits for, the code and its QR. A tree whose check-in answer
    has no QR (before issue 8, the kiosk fetched it next) is asked for it the same way."""
    path = f"/api/v1/sites/{SITE}/check-ins" + ("?qr=svg" if with_qr else "")

    def work(i: int) -> tuple[list[float], list[tuple[str, str]]]:
        client = Client(server.base)
        latencies, tickets = [], []
        for n in range(per_client):
            status, body, elapsed = client.call("POST", path, BODIES[(i + n) % len(BODIES)])
            if status != 201:
                raise SystemExit(f"check-in failed: {status} {body}")
            if with_qr and "qr_svg" not in body:
                qr, _, fetched = client.call("GET", f"/t/{body['ticket']['token']}/qr.svg")
                if qr != 200:
                    raise SystemExit(f"QR failed: {qr}")
                elapsed += fetched
            latencies.append(elapsed)
            tickets.append((body["ticket"]["code"], body["ticket"]["token"]))
        return latencies, tickets

    figures, tickets = measure(server, name, clients, work)
    duplicates = sum(n - 1 for n in Counter(c for c, _ in tickets).values() if n > 1)
    print(f"  duplicate codes: {duplicates}")
    return figures, tickets


def cancel(server: Server, tickets: list[tuple[str, str]], clients: int) -> None:
    """Take these people out of the line again (not measured)."""

    def work(i: int) -> tuple[list, list]:
        client = Client(server.base)
        for _, token in tickets[i::clients]:
            client.call("POST", f"/api/v1/tickets/{token}/cancel")
        return [], []

    run_clients(clients, work)


def check_ins_at(
    server: Server, waiting: int, clients: int, rounds: int, *, with_qr: bool = False
) -> dict:
    """Check-in rate with `waiting` people in line: rounds of 25 per client, each round's
    people taken out of the line again afterwards, so the line stays near `waiting`."""
    figures = []
    for _ in range(rounds):
        name = (
            f"{'kiosk check-ins, code and QR,' if with_qr else 'check-ins'} at {waiting:,} waiting"
        )
        found, tickets = bench_check_ins(server, name, clients, 25, with_qr=with_qr)
        figures.append(found)
        cancel(server, tickets, clients)
    return {k: statistics.median(f[k] or 0 for f in figures) for k in ("rate", "p99", "cpu")}


def bench_call_next(server: Server, tokens: list[str], expected: set[str]) -> dict:
    def work(i: int) -> tuple[list[float], list[str]]:
        client = Client(server.base, tokens[i])
        latencies, claimed = [], []
        while True:
            status, body, elapsed = client.call("POST", f"/api/v1/sites/{SITE}/queue/next")
            if status == 204:
                return latencies, claimed
            if status != 200:
                raise SystemExit(f"call-next failed: {status} {body}")
            latencies.append(elapsed)
            claimed.append(body["ticket"]["code"])

    name = f"call-next  {len(expected):,} → 0 waiting, {len(tokens)} managers"
    figures, codes = measure(server, name, len(tokens), work)
    claimed = Counter(codes)
    print(
        f"  claimed twice: {sum(1 for n in claimed.values() if n > 1)}   "
        f"never claimed: {len(expected - set(claimed))}"
    )
    return figures


def one_server(server: Server, args: argparse.Namespace) -> dict:
    print(f"\nserver {server.base}  {server.label}  python {sys.version.split()[0]}", end="")
    print(f"  cores {os.cpu_count()}")
    tokens = sign_in_and_go_on_duty(server.base, args.managers)
    clients, row = args.clients, {}
    warm = bench_check_ins(server, "warm-up (not compared)", clients, 50 // clients + 1)[1]
    cancel(server, warm[10:], clients)  # ten people wait
    row["ceiling"] = bench_ceiling(server, clients, 500)
    row["check-in 10"] = check_ins_at(server, 10, clients, args.check_in_rounds)
    row["kiosk 10"] = check_ins_at(server, 10, clients, args.check_in_rounds, with_qr=True)
    fill = (args.waiting - 10) // clients
    row["check-in fill"], line = bench_check_ins(
        server, "check-ins filling the line", clients, fill
    )
    row["check-in 5000"] = check_ins_at(server, args.waiting, clients, args.check_in_rounds)
    expected = {code for code, _ in warm[:10] + line}
    row["call-next"] = bench_call_next(server, tokens, expected)
    row["ceiling after"] = bench_ceiling(server, clients, 500)
    ceiling = (row["ceiling"]["rate"] + row["ceiling after"]["rate"]) / 2
    flat = row["check-in 5000"]["rate"] / row["check-in 10"]["rate"]
    print(
        f"ours/ceiling: check-in {row['check-in 10']['rate'] / ceiling:.3f} (at 10 waiting), "
        f"call-next {row['call-next']['rate'] / ceiling:.3f}; check-in at {args.waiting:,} "
        f"waiting / at 10: {flat:.2f}"
    )
    return row


def summary(rows: list[tuple[str, dict]], waiting: int) -> None:
    print("\nside by side (rates per second; CPU: server ms per request; ratio: ours/ceiling)")
    print(f"{'tree':44} {'ceiling':>8} {'check-in@10':>12} {'kiosk@10':>9} {f'@{waiting:,}':>8} "
          f"{'CPU@10':>7} {f'CPU@{waiting:,}':>10} {'call-next':>10} {'p99':>7} {'CPU':>6} "
          f"{'ratio':>6}")  # fmt: skip
    for label, r in rows:
        ceiling = (r["ceiling"]["rate"] + r["ceiling after"]["rate"]) / 2
        c10, c5k, nxt = r["check-in 10"], r["check-in 5000"], r["call-next"]
        print(f"{label[-44:]:44} {ceiling:8.0f} {c10['rate']:12.0f} {r['kiosk 10']['rate']:9.0f} "
              f"{c5k['rate']:8.0f} "
              f"{c10['cpu'] or 0:7.2f} {c5k['cpu'] or 0:10.2f} {nxt['rate']:10.0f} "
              f"{nxt['p99']:7.1f} {nxt['cpu'] or 0:6.2f} {nxt['rate'] / ceiling:6.3f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        help="a running server (site 'bench', managers m0..m7@bench."
        "example with the benchmark password, rate limits off)",
    )
    parser.add_argument(
        "--tree", action="append", type=Path, help="a source checkout to serve (repeatable)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="of every tree, interleaved")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--waiting", type=int, default=5000, help="line before call-next")
    parser.add_argument("--check-in-rounds", type=int, default=4)
    parser.add_argument("--managers", type=int, default=8)
    parser.add_argument(
        "--history",
        type=int,
        action="append",
        help="days of generated history in the database first, the bench site's among them "
        "(repeatable: --history 0 --history 365 compares an empty database with a year)",
    )
    parser.add_argument("--history-sites", type=int, default=30)
    parser.add_argument(
        "--no-texts",
        action="store_true",
        help="nobody gives a phone: compare like for like with a tree that sent no texts",
    )
    args = parser.parse_args()
    if args.no_texts:
        private = ("phone", "sms_opt_in")
        BODIES[:] = [{k: v for k, v in b.items() if k not in private} for b in BODIES]
    rows = []
    for _ in range(args.rounds):
        for tree in [None] if args.url else args.tree or [ROOT]:
            for days in args.history or [0]:
                history = (days, args.history_sites)
                with (
                    nullcontext(given_server(args.url))
                    if args.url
                    else own_server(args.managers, tree.resolve(), history) as server
                ):
                    label = server.label + (f" +{days}d" if args.history else "")
                    rows.append((label, one_server(server, args)))
    summary(rows, args.waiting)


if __name__ == "__main__":
    main()
