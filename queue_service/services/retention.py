"""The retention purge: what identifies a visitor goes once the site's period has run.

From every visit that closed before the site's cutoff (domain.retention.purge_cutoff, whole
days in the site's time zone) it removes the name, the phone (already erased at the close),
the outcome's free text and the follow-up note, the visit's private notes, the reasons typed
into its history, the visitor's own address in its audit entries, and the words and masked
number of its texts. What reports need stays:
times, channel, needs, language, the urgent flag, outcome and crisis-referral codes, who saw
them. Request fingerprints of closed visits are cleared whatever their age (older versions
kept them after the close).

An urgent person a lead has still to follow up (persistence.urgent.needs_follow_up: nobody
saw them, or the day close ended their session unrecorded) is spared however old the visit:
the lead must be able to reach them. Once followed up, the period runs from the later of the
close and the follow-up.

Safe with several processes and runs: the rows to clear are found first, without a lock;
then each batch of at most BATCH ids runs under the write lock (SQLite) or the site's advisory
lock (PostgreSQL) and takes only those that still hold something, so a second purge at the
same time finds nothing left to count, and the lock is held for a batch, never for a scan of
years of visits. A run that removes something writes one audit entry per site,
by the system, with its counts (never the values), in the transaction of its last batch; a
run that finds nothing writes nothing, so a daily purge on several servers adds no noise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.history import AuditAction, AuditReason
from ..domain.retention import purge_cutoff
from ..models import Site
from ..persistence.retention_steps import STEPS, Step
from ..persistence.unit_of_work import begin_write, commit
from . import audit

BATCH = 500
# What a purge counts, in the order it reports them.
COUNTED = (
    "visits",
    "names",
    "phones",
    "outcome_details",
    "follow_up_notes",
    "notes",
    "history_reasons",
    "visitor_addresses",
    "fingerprints",
    "texts",
    "cases",
    "case_goals",
    "case_notes",
    "visitors",
)


@dataclass
class SitePurge:
    """What one site's purge removed (or, in a dry run, would remove)."""

    site: str
    timezone: str
    retention_days: int
    closed_before: datetime
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def removed_anything(self) -> bool:
        return any(self.counts.values())

    def summary(self) -> dict[str, int]:
        return {name: self.counts[name] for name in COUNTED}


def purge(
    session: Session,
    now: datetime | None = None,
    *,
    dry_run: bool = False,
    batch: int = BATCH,
    pause: Callable[[], None] = lambda: None,
) -> list[SitePurge]:
    """Apply every site's retention period; `dry_run` counts and changes nothing. `pause`
    runs between statements: a server's event loop serves requests there (a year of visits
    takes seconds to scan, and a blocking driver would hold every request that long)."""
    now = now or utcnow()
    sites = [(s.id, s.slug, s.timezone, s.retention_days) for s in session.scalars(select(Site))]
    session.rollback()
    results = []
    for site_id, slug, timezone, days in sorted(sites, key=lambda s: s[1]):
        result = SitePurge(slug, timezone, days, purge_cutoff(now, timezone, days))
        work = _candidates(session, site_id, result.closed_before, batch, pause)
        if dry_run:
            for step, ids in work:
                _tally(result, step, session.execute(step.still(ids)).all())
            session.rollback()
        else:
            _remove(session, site_id, result, work, now, pause)
        results.append(result)
    if not dry_run and any(r.removed_anything for r in results):
        # The old values are still in the WAL's frames until it is checkpointed and cut.
        session.info["database"].erase_wal()
    return results


_Work = list[tuple[Step, list[int]]]


def _candidates(
    session: Session, site_id: int, cutoff: datetime, batch: int, pause: Callable[[], None]
) -> _Work:
    """Every row that holds something to remove, in batches: read before any lock, so the
    scan of the site's whole history never holds up a check-in."""
    work: _Work = []
    for step in STEPS:
        ids = list(session.scalars(step.candidates(site_id, cutoff)))
        work += [(step, ids[i : i + batch]) for i in range(0, len(ids), batch)]
        pause()
    session.rollback()
    return work


def _tally(result: SitePurge, step: Step, rows: Sequence[Sequence[int]]) -> None:
    if step is STEPS[0]:
        result.counts["visits"] += len(rows)
    if not step.flags:
        result.counts[step.counts[0]] += len(rows)
        return
    for row in rows:
        for name, held in zip(step.counts, row[1:], strict=True):
            result.counts[name] += held


def _remove(
    session: Session,
    site_id: int,
    result: SitePurge,
    work: _Work,
    now: datetime,
    pause: Callable[[], None],
) -> None:
    for number, (step, ids) in enumerate(work, start=1):
        begin_write(session)
        if session.get_bind().dialect.name == "postgresql":
            # One purge of a site at a time, or two would count the same rows.
            session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"purge:{site_id}"))))
        rows = session.execute(step.still(ids)).all()
        if rows:
            session.execute(step.apply([row[0] for row in rows]))
            _tally(result, step, rows)
        if number == len(work) and result.removed_anything:
            audit.system(
                session,
                AuditAction.RETENTION_PURGED,
                reason=AuditReason.RETENTION_PERIOD,
                site_id=site_id,
                detail={
                    "retention_days": result.retention_days,
                    "closed_before": result.closed_before.isoformat(),
                    "removed": result.summary(),
                },
                at=now,
            )
        commit(session)
        pause()
