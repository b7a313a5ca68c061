"""Check-in → staff console latency: from the kiosk's POST to `ticket:created` on every socket.

    .venv/bin/python benchmarks/console_latency.py                 # 200, then 1,000 sockets
    .venv/bin/python benchmarks/console_latency.py --sockets 1000 --checkins 200
    .venv/bin/python benchmarks/console_latency.py --help

Starts its own `frontdoor serve` (one gevent process, SQLite, rate limits off) the way
queue_bench.py does (`--tree` for another checkout), or measures `--url`. N Socket.IO clients
(websocket transport, permessage-deflate offered as browsers do, one staff bearer token)
connect to /console from several worker processes, so the client side is not one saturated
event loop. Once every socket has its `queue:snapshot`, K check-ins are posted one at a time,
`--interval` apart; then, as the ceiling, K bare broadcasts of a message of the same size to
the same sockets (a route the benchmark adds to the server: no database, no lock). A sample
is receive time - send time (CLOCK_MONOTONIC, system-wide on Linux) for every (socket,
message) pair. Target (console issue): p99 ≤ 50 ms at 1,000 sockets. Figures are printed,
never asserted; CPU use is printed too, as other work on the machine skews them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from bench_server import ROOT, SITE, Client, Server, cpu_seconds, own_server, sign_in_and_go_on_duty

NAMESPACE = "/console"
BODY = {"language": "en", "needs": ["housing"]}
EVENTS = ("ticket:created", "bench:broadcast")  # ours, and the ceiling's


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def worker(base: str, token: str, count: int, deflate: bool, ready, stop, results) -> None:  # type: ignore[no-untyped-def]
    raise_open_files()
    asyncio.run(sockets_of_one_worker(base, token, count, deflate, ready, stop, results))


async def sockets_of_one_worker(  # type: ignore[no-untyped-def]
    base: str, token: str, count: int, deflate: bool, ready, stop, results
) -> None:
    """`count` consoles speaking Engine.IO 4 / Socket.IO 5 text frames over aiohttp.

    A minimal client on purpose: python-socketio's AsyncClient costs ~55 µs of CPU per
    message, which at 1,000 sockets on 2 cores competes with the server being measured.
    Each frame is timestamped on arrival and parsed only after the measurement.
    """
    import aiohttp  # python-socketio's client transport; only the workers need it

    url = base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    frames: list[list[tuple[float, str]]] = [[] for _ in range(count)]
    gate = asyncio.Semaphore(25)  # connect a few at a time, as staff arrive in the morning
    loop = asyncio.get_running_loop()
    opened = [loop.create_future() for _ in range(count)]

    async def console(i: int, session: aiohttp.ClientSession) -> None:
        try:
            async with gate:
                ws = await session.ws_connect(
                    url, autoping=False, max_msg_size=0, compress=15 if deflate else 0
                )
                await ws.receive_str()  # "0{sid, pingInterval, ...}": open
                await ws.send_str(f"40{NAMESPACE}," + json.dumps({"token": token}))
                # "40/console,{sid}" and "42/console,["queue:snapshot",…]", in either order
                # (the server emits the snapshot from its connect handler), or "44…": refused
                for _ in range(2):
                    if (frame := await ws.receive_str()).startswith("44"):
                        raise ConnectionRefusedError(frame[:200])
            opened[i].set_result(True)
        except Exception as error:
            opened[i].set_result(False)
            print(f"socket {i}: {error!r}", file=sys.stderr)
            return
        mine = frames[i]
        async for msg in ws:
            mine.append((time.monotonic(), msg.data))
            if msg.data == "2":  # Engine.IO ping
                await ws.send_str("3")

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks = [asyncio.create_task(console(i, session)) for i in range(count)]
        ready.put(sum(await asyncio.gather(*opened)))
        cpu = time.process_time()
        await loop.run_in_executor(None, stop.wait)
        cpu = time.process_time() - cpu
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    got = {}  # event → per socket: {code: arrival}
    for event in EVENTS:
        prefix = f'42{NAMESPACE},["{event}",'
        got[event] = [
            {json.loads(d[len(prefix) : -1])["ticket"]["code"]: t for t, d in mine
             if d.startswith(prefix)}
            for mine in frames
        ]  # fmt: skip
    results.put((got, cpu))


def machine_cpu() -> float:
    """CPU seconds all cores have been busy since boot (/proc/stat)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # not idle, iowait


def fmt(samples: list[float]) -> str:
    """p50, p95, p99 and max in ms."""
    ms = sorted(s * 1000 for s in samples) or [float("nan")]
    q = statistics.quantiles(ms * 2 if len(ms) < 2 else ms, n=100, method="inclusive")
    return "  ".join(f"{x:7.1f}" for x in (q[49], q[94], q[98], ms[-1]))


def one_round(server: Server, token: str, sockets: int, args: argparse.Namespace) -> dict:
    ctx = mp.get_context("fork")
    ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    workers = min(args.workers, sockets)
    shares = [sockets // workers + (i < sockets % workers) for i in range(workers)]
    procs = [
        ctx.Process(
            target=worker,
            args=(server.base, token, n, args.deflate, ready, stop, results),
            daemon=True,
        )
        for n in shares
    ]
    started = time.monotonic()
    for p in procs:
        p.start()
    connected = sum(ready.get(timeout=300) for _ in procs)
    print(
        f"\n{sockets} sockets: {connected} connected with their snapshot "
        f"in {time.monotonic() - started:.1f} s ({workers} client processes)"
    )
    time.sleep(1)  # let the connection storm settle
    kiosk = Client(server.base)

    def check_in(_: int) -> str:
        status, body, _ = kiosk.call("POST", f"/api/v1/sites/{SITE}/check-ins", BODY)
        if status != 201:
            raise SystemExit(f"check-in failed: {status} {body}")
        return body["ticket"]["code"]

    phases = {"ticket:created": send_all(server, args, check_in)}
    if server.pid is not None:  # the ceiling needs the benchmark's own route
        # A message as big as ours: the last ticket as the console got it, renamed.
        line = Client(server.base, token).call("GET", f"/api/v1/sites/{SITE}/queue")[1]
        ticket = line["tickets"][-1]  # type: ignore[index]

        def broadcast(i: int) -> str:
            message = {"site": SITE, "version": i, "ticket": {**ticket, "code": f"B{i:05}"}}
            kiosk.call("POST", "/_bench/broadcast", message)
            return f"B{i:05}"

        phases["bench:broadcast"] = send_all(server, args, broadcast)
    stop.set()
    per_socket: dict[str, list] = {event: [] for event in EVENTS}
    client_cpu = 0.0
    for _ in procs:
        got, cpu = results.get(timeout=120)
        for event in EVENTS:
            per_socket[event] += got[event]
        client_cpu += cpu
    for p in procs:
        p.join(timeout=60)
    rounds = {}
    for event, (sent, cpu, machine) in phases.items():
        samples: list[float] = []
        last: list[float] = []  # per message: when the last socket had it
        missed = 0
        for code, (t0, _) in sent.items():
            times = [got[code] - t0 for got in per_socket[event] if code in got]
            missed += len(per_socket[event]) - len(times)
            samples += times
            if times:
                last.append(max(times))
        rounds[event] = {
            "sockets": sockets,
            "connected": connected,
            "samples": samples,
            "last": last,
            "http": [t1 - t0 for t0, t1 in sent.values()],
            "missed": missed + (sockets - connected) * len(sent),
            "client_cpu": client_cpu / len(phases),  # the round's, shared by its phases
            "machine_cpu": machine,
            "server_cpu": cpu,
        }
    return rounds


def send_all(server: Server, args: argparse.Namespace, send) -> tuple[dict, float | None, float]:  # type: ignore[no-untyped-def]
    """`send(i)` K times, `--interval` apart: (code → (before, after)), server and machine CPU."""
    cpu0, all0 = cpu_seconds(server.pid), machine_cpu()
    sent: dict[str, tuple[float, float]] = {}
    for i in range(args.checkins):
        t0 = time.monotonic()
        code = send(i)
        sent[code] = (t0, time.monotonic())
        time.sleep(max(0.0, args.interval - (time.monotonic() - t0)))
    time.sleep(2)  # stragglers
    cpu1 = cpu_seconds(server.pid)
    cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
    return sent, cpu, machine_cpu() - all0


def report(rounds: list[dict], checkins: int) -> None:
    cols = "     p50      p95      p99      max"
    print(f"\nlatency in ms, {checkins} messages per phase; target p99 ≤ 50 ms at 1,000 sockets")
    print(f"{'':34}{cols}")
    per = 1000 / max(1, checkins)  # CPU seconds in all → ms per message
    for phases in rounds:
        for event, r in phases.items():
            n, what = r["sockets"], "ours" if event == "ticket:created" else "ceiling"
            head = f"{n:5} sockets, {what:7}"
            print(f"{head} every socket  {fmt(r['samples'])}   ({len(r['samples'])} samples)")
            print(f"{head} last socket   {fmt(r['last'])}   (per message)")
            print(f"{head} HTTP response {fmt(r['http'])}")
            print(
                f"{head} missed {r['missed']}, connected {r['connected']}/{n}; CPU ms per "
                f"message: clients {r['client_cpu'] * per:.1f}",
                end="",
            )
            if r["server_cpu"] is not None:  # and the rest: this script's kiosk, anything else
                rest = (r["machine_cpu"] - r["client_cpu"] - r["server_cpu"]) * per
                print(
                    f", server {r['server_cpu'] * per:.1f}, rest of the machine {rest:.1f}", end=""
                )
                print(
                    "  << something else was busy: figures disturbed" if rest > 10 else "", end=""
                )
            print()
        if len(phases) == 2:
            ours, top = phases["ticket:created"], phases["bench:broadcast"]
            ratio = [
                statistics.median(ours[k]) / statistics.median(top[k]) for k in ("samples", "last")
            ]
            print(
                f"{n:5} sockets, ours/ceiling: p50 every socket {ratio[0]:.2f}, last socket "
                f"{ratio[1]:.2f}, server CPU {ours['server_cpu'] / top['server_cpu']:.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        help="a running server (site 'bench', m0@bench.example with the benchmark "
        "password, rate limits off)",
    )
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source checkout to serve")
    parser.add_argument("--sockets", default="200,1000", help="comma-separated rounds")
    parser.add_argument("--checkins", type=int, default=100, help="per round")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between messages")
    parser.add_argument("--workers", type=int, default=4, help="client processes")
    parser.add_argument(
        "--deflate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="offer permessage-deflate, as every browser does (default: on)",
    )
    args = parser.parse_args()
    raise_open_files()  # inherited by the server this script starts

    given = Server(args.url, None, args.url) if args.url else None
    with nullcontext(given) if given else own_server(1, args.tree.resolve()) as server:
        print(f"server {server.base}  {server.label}  python {sys.version.split()[0]}", end="")
        print(f"  cores {os.cpu_count()}")
        (token,) = sign_in_and_go_on_duty(server.base, 1)
        warm = Client(server.base)
        for _ in range(20):  # connections, caches, SQLite pages; not measured
            warm.call("POST", f"/api/v1/sites/{SITE}/check-ins", BODY)
        rounds = [
            one_round(server, token, int(n), args) for n in args.sockets.split(",") if n.strip()
        ]
        report(rounds, args.checkins)


if __name__ == "__main__":
    main()
