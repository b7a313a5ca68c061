"""The retention purge on a big history: how long it takes, and how long it holds the lock.

    .venv/bin/python benchmarks/purge_bench.py                     # 20,000 visits, SQLite
    .venv/bin/python benchmarks/purge_bench.py --visits 100000
    .venv/bin/python benchmarks/purge_bench.py --url postgresql+psycopg://…/scratch

Writes one site's closed visits (a name, a referral's text, a note and a visitor's address in
the audit log each) straight into a fresh SQLite file (or the database --url names: it adds
a site there and leaves its rows), then times a dry run, the purge, and a second purge that
finds nothing. "Held" is each write transaction, from taking the lock to its commit: on
SQLite that is how long a check-in may wait behind the purge. The ceiling is the same
stack's empty write transaction, timed in the same run. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from queue_service.models import AuditEntry, Ticket, TicketNote
from queue_service.persistence import unit_of_work
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.services import retention, sites

CLOSED = datetime(2026, 1, 10, 15, tzinfo=UTC)
NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


def seed(database: Database, visits: int) -> str:
    with database.session() as s:
        slug = f"bench-{secrets.token_hex(3)}"
        site = sites.create_site(s, slug, name="Bench", timezone="America/New_York")
    visit = {
        "site_id": site.id, "service_day": date(2026, 1, 10), "channel": "kiosk",
        "status": "completed", "urgent": False, "needs": ["food"], "language": "en",
        "sms_opt_in": False, "created_at": CLOSED, "queued_at": CLOSED, "updated_at": CLOSED,
        "completed_at": CLOSED, "outcome": "referred", "call_attempts": 0,
        "alert_unstaffed": False, "version": 1,
    }  # fmt: skip
    with database.engine.begin() as c:
        c.execute(
            insert(Ticket.__table__),
            [
                {**visit, "token": secrets.token_urlsafe(24), "number": n, "code": f"A-{n:03d}",
                 "name": f"Person {n}", "outcome_detail": f"Referred to place {n}"}
                for n in range(1, visits + 1)
            ],
        )  # fmt: skip
        ids = list(c.scalars(select(Ticket.id).where(Ticket.site_id == site.id)))
        c.execute(
            insert(TicketNote.__table__),
            [{"ticket_id": t, "body": "a note", "at": CLOSED} for t in ids],
        )
        c.execute(
            insert(AuditEntry.__table__),
            [
                {"at": CLOSED, "actor": "visitor", "action": "ticket.cancel", "site_id": site.id,
                 "ticket_id": t, "detail": {}, "origin": "203.0.113.5"}
                for t in ids
            ],
        )  # fmt: skip
    return slug


def timed_transactions() -> list[float]:
    """Wraps the purge's begin_write/commit to time each transaction."""
    held: list[float] = []
    begin, commit = unit_of_work.begin_write, unit_of_work.commit

    def timed_begin(session):  # type: ignore[no-untyped-def]
        begin(session)
        session.info["bench_t0"] = time.perf_counter()

    def timed_commit(session):  # type: ignore[no-untyped-def]
        commit(session)
        held.append(time.perf_counter() - session.info.pop("bench_t0"))

    retention.begin_write, retention.commit = timed_begin, timed_commit  # type: ignore[assignment]
    return held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--url", help="a scratch database (default: a new SQLite file)")
    args = parser.parse_args()
    database = Database(args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    if database.is_sqlite:
        upgrade(database.engine)
    slug = seed(database, args.visits)
    with database.session() as s:
        start = time.perf_counter()
        for _ in range(50):
            unit_of_work.begin_write(s)
            unit_of_work.commit(s)
        ceiling = (time.perf_counter() - start) / 50
    held = timed_transactions()
    for label, dry in (("dry run", True), ("purge", False), ("again", False)):
        held.clear()
        start = time.perf_counter()
        with database.session() as s:
            [result] = [r for r in retention.purge(s, NOW, dry_run=dry) if r.site == slug]
        took = time.perf_counter() - start
        lock = (
            f"{len(held)} transactions, held median {statistics.median(held) * 1000:.0f} ms, "
            f"max {max(held) * 1000:.0f} ms"
            if held
            else "no write"
        )
        print(f"{label:8} {took:6.2f} s  {lock}  {result.summary()}")
    print(f"ceiling: an empty write transaction {ceiling * 1000:.2f} ms")
    database.dispose()


if __name__ == "__main__":
    main()
