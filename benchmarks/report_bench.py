"""Report latencies over a generated year, beside the ceiling of the same server and client.

    .venv/bin/python benchmarks/report_bench.py                   # SQLite, 365 days, 30 sites
    .venv/bin/python benchmarks/report_bench.py --database-url postgresql+psycopg://…/fd_bench
    .venv/bin/python benchmarks/report_bench.py --days 60 --sites 5 --requests 10

Targets (issue 12): the daily report in <= 200 ms on PostgreSQL and <= 500 ms on SQLite; a
30-site month overview in <= 1 s. The year is seeded once into the database (the demo's
generator, `frontdoor demo --history DAYS --sites N`); a database that already holds it is
reused (`--reuse`). A settled day's figures are kept after their first reading
(models.SettledDay): each report is measured on its first reading (the days counted) and
again (the days read as kept); every run starts with none kept. The ceiling is the same
server answering a trivial JSON route through the same client, so the figures compare
across machines as ratios. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from bench_server import CEILING, LAUNCH, PASSWORD, PYTHON, ROOT, Client, free_port, wait_until_up

LEAD = "reports-lead@bench.example"
# Run in the tree's own Python: upgrade, seed (unless there), and a lead of every site.
PREPARE = """
import sys
from frontdoor.demo_history import seed_history
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.models import SettledDay, Site
from queue_service.services import staff
from sqlalchemy import delete, select
db = Database(sys.argv[1])
upgrade(db.engine)
with db.session() as s:
    have = s.scalar(select(Site.id).limit(1)) is not None
if not (have and sys.argv[4] == "reuse"):
    print(seed_history(db, days=int(sys.argv[2]), sites=int(sys.argv[3])))
with db.session() as s:
    # Every run measures the first reading of a day too: nothing kept from the last run.
    s.execute(delete(SettledDay))
    s.commit()
    slugs = sorted(s.scalars(select(Site.slug)))
    try:
        staff.create_staff(s, sys.argv[5], name="Reports Lead", role="site_lead",
                           site_slugs=slugs, password=sys.argv[6], languages=["en"])
    except Exception as exc:  # already there from an earlier run
        print("lead:", type(exc).__name__)
print("SITES", ",".join(slugs))
"""


def timed(client: Client, path: str, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        status, _body, elapsed = client.call("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        samples.append(elapsed)
    return samples


def figures(name: str, samples: list[float], ceiling: float) -> float:
    ms = sorted(s * 1000 for s in samples)
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(
        f"{name:34} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  max {ms[-1]:8.1f} ms  "
        f"p50/ceiling {p50 / ceiling:7.1f}x"
    )
    return p50


@contextmanager
def server(database_url: str, tree: Path):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory(prefix="frontdoor-report-bench-") as tmp:
        port = free_port()
        env = {**os.environ, "FRONTDOOR_INSTANCE_PATH": tmp, "FRONTDOOR_RATE_LIMITS": "off",
               "FRONTDOOR_DATABASE_URL": database_url, "PYTHONPATH": str(tree),
               "FRONTDOOR_PUBLIC_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
        process = subprocess.Popen(
            [PYTHON, "-c", LAUNCH, str(port)], env=env, cwd=tree,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until_up(f"http://127.0.0.1:{port}")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file (kept with --keep)")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--requests", type=int, default=20, help="of each report")
    parser.add_argument("--reuse", action="store_true", help="a database already seeded")
    parser.add_argument("--keep", type=Path, help="SQLite: seed into (or reuse) this file")
    parser.add_argument("--settle", type=int, default=15, help="seconds before measuring")
    args = parser.parse_args()
    if args.database_url:
        url = args.database_url
    else:
        path = args.keep or Path(tempfile.mkdtemp(prefix="frontdoor-year-")) / "year.sqlite3"
        url = f"sqlite:///{path}"
    started = time.perf_counter()
    prepared = subprocess.run(
        [PYTHON, "-c", PREPARE, url, str(args.days), str(args.sites),
         "reuse" if args.reuse else "seed", LEAD, PASSWORD],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
    )  # fmt: skip
    if prepared.returncode:
        raise SystemExit(prepared.stderr[-3000:])
    print(prepared.stdout.strip().split("\nSITES")[0])
    slugs = prepared.stdout.rsplit("SITES ", 1)[1].strip().split(",")
    took = time.perf_counter() - started
    print(f"prepared in {took:.0f} s: {len(slugs)} sites, {url.split(':')[0]}")
    with server(url, ROOT) as base:
        status, body, _ = Client(base).call(
            "POST", "/api/v1/auth/login", {"email": LEAD, "password": PASSWORD}
        )
        if status != 200:
            raise SystemExit(f"sign-in failed: {status} {body}")
        client = Client(base, body["token"])
        # The server runs its retention purge at start (seconds over a year): not measured.
        print(f"waiting {args.settle} s for the server's start-up purge")
        time.sleep(args.settle)
        timed(client, CEILING, 50)  # warm-up
        ceiling = statistics.median(timed(client, CEILING, 200)) * 1000
        print(f"\nserver {base}  python {sys.version.split()[0]}  cores {os.cpu_count()}")
        print(f"{'ceiling GET ' + CEILING:34} p50 {ceiling:8.1f} ms")
        rng = random.Random(12)
        last = date.today() - timedelta(days=1)
        month = (last - timedelta(days=29), last)
        days = [last - timedelta(days=rng.randrange(min(args.days, 365))) for _ in range(200)]
        daily = [
            f"/api/v1/sites/{rng.choice(slugs)}/reports/daily?date={d.isoformat()}" for d in days
        ]
        for path in daily[:3]:
            timed(client, path, 1)  # warm-up
        span = f"from={month[0]}&to={month[1]}"
        csvs = [p + "&format=csv" for p in daily[100 : 100 + args.requests]]
        range_path = f"/api/v1/sites/{slugs[0]}/reports/range?{span}"
        overview_path = f"/api/v1/reports/overview?{span}"
        results = {
            "daily": figures(
                "daily (random site and day), first",
                [x for p in daily[3 : 3 + args.requests] for x in timed(client, p, 1)],
                ceiling,
            ),
            "daily kept": figures(
                "the same days again (kept)",
                [x for p in daily[3 : 3 + args.requests] for x in timed(client, p, 1)],
                ceiling,
            ),
            "range first": figures(
                "one site, last 30 days, first", timed(client, range_path, 1), ceiling
            ),
            "overview first": figures(
                f"overview, {len(slugs)} sites, 30 days, first",
                timed(client, overview_path, 1),
                ceiling,
            ),
            "daily csv": figures(
                "daily as CSV", [x for p in csvs for x in timed(client, p, 1)], ceiling
            ),
            "range": figures(
                "one site, last 30 days, again",
                timed(client, range_path, args.requests),
                ceiling,
            ),
            "overview": figures(
                f"overview, {len(slugs)} sites, 30 days, again",
                timed(client, overview_path, max(3, args.requests // 4)),
                ceiling,
            ),
        }
        print(
            f"\ntargets: daily <= {'200' if url.startswith('postgresql') else '500'} ms "
            f"(p50 {results['daily']:.0f} first, {results['daily kept']:.0f} kept), overview "
            f"<= 1000 ms (p50 {results['overview']:.0f}; the first read "
            f"{results['overview first']:.0f}, counting and keeping the settled days)"
        )


if __name__ == "__main__":
    main()
