"""The retention purge: what identifies a visitor goes once the site's period has run.

From every visit that closed before the site's cutoff (domain.retention.purge_cutoff, whole
days in the site's time zone) it removes the name, the phone (already erased at the close),
the outcome's free text and the follow-up note, the visit's private notes, the reasons typed
into its history, and the visitor's own address in its audit entries. What reports need stays:
times, channel, needs, language, the urgent flag, outcome and crisis-referral codes, who saw
them. Request fingerprints of closed visits are cleared whatever their age (older versions
kept them after the close).

Safe with several processes and runs: each batch runs under the write lock (SQLite) or the
site's advisory lock (PostgreSQL) and takes only rows that still hold something, so a second
purge finds nothing left to count. Batches are bounded, so a first purge of years of visits
never holds the lock for long. A run that removes something writes one audit entry per site,
by the system, with its counts (never the values), in the transaction of its last batch; a
run that finds nothing writes nothing, so a daily purge on several servers adds no noise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import (
    ColumnElement,
    Delete,
    Select,
    Update,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.history import AuditAction
from ..domain.lifecycle import OPEN_STATUSES, STAMP_FOR, Status
from ..domain.retention import (
    SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS,
    VISITOR_ACTOR,
    purge_cutoff,
)
from ..models import AuditEntry, Site, Ticket, TicketEvent, TicketNote
from ..persistence.unit_of_work import begin_write, commit
from . import audit

_Bulk = TypeVar("_Bulk", Update, Delete)

BATCH = 500
REASON = "retention_period"
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
)

CLOSED = tuple(s.value for s in Status if s not in OPEN_STATUSES)
# When a closed visit closed: the stamp of the status it ended in.
_closed_at = case(
    *((Ticket.status == s, getattr(Ticket, STAMP_FOR[Status(s)])) for s in CLOSED),
    else_=None,
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
    session: Session, now: datetime | None = None, *, dry_run: bool = False, batch: int = BATCH
) -> list[SitePurge]:
    """Apply every site's retention period; `dry_run` counts and changes nothing."""
    now = now or utcnow()
    sites = [(s.id, s.slug, s.timezone, s.retention_days) for s in session.scalars(select(Site))]
    session.rollback()
    results = []
    for site_id, slug, timezone, days in sorted(sites, key=lambda s: s[1]):
        result = SitePurge(slug, timezone, days, purge_cutoff(now, timezone, days))
        if dry_run:
            _count(session, site_id, result)
        else:
            _remove(session, site_id, result, now, batch)
        results.append(result)
    if not dry_run and any(r.removed_anything for r in results):
        # The old values are still in the WAL's frames until it is checkpointed and cut.
        session.info["database"].erase_wal()
    return results


@dataclass(frozen=True)
class _Step:
    """One kind of removal: the rows it takes (ids first, then 0/1 columns it counts),
    and what it does to them."""

    rows: Callable[[int, datetime], Select]
    counts: Sequence[str]
    apply: Callable[[Sequence[int]], object]


def _past(site_id: int, cutoff: datetime) -> ColumnElement[bool]:
    return (Ticket.site_id == site_id) & Ticket.status.in_(CLOSED) & (_closed_at < cutoff)


def _bulk(statement: _Bulk) -> _Bulk:
    # Rows of closed visits, not objects a session holds: nothing in memory to keep in step.
    return statement.execution_options(synchronize_session=False)


def _held(column: ColumnElement) -> ColumnElement[int]:
    return case((column.is_not(None), 1), else_=0)


_TICKET_TEXT = (Ticket.name, Ticket.phone, Ticket.outcome_detail, Ticket.follow_up_note)

STEPS = (
    _Step(
        rows=lambda site_id, cutoff: select(Ticket.id, *(_held(c) for c in _TICKET_TEXT)).where(
            _past(site_id, cutoff), or_(*(c.is_not(None) for c in _TICKET_TEXT))
        ),
        counts=("names", "phones", "outcome_details", "follow_up_notes"),
        apply=lambda ids: (
            _bulk(update(Ticket))
            .where(Ticket.id.in_(ids))
            .values(
                name=None,
                phone=None,
                sms_opt_in=False,
                outcome_detail=None,
                follow_up_note=None,
                version=Ticket.version + 1,
            )
        ),
    ),
    _Step(
        rows=lambda site_id, cutoff: (
            select(TicketNote.id)
            .join(Ticket, TicketNote.ticket_id == Ticket.id)
            .where(_past(site_id, cutoff))
        ),
        counts=("notes",),
        apply=lambda ids: _bulk(delete(TicketNote)).where(TicketNote.id.in_(ids)),
    ),
    _Step(
        rows=lambda site_id, cutoff: (
            select(TicketEvent.id)
            .join(Ticket, TicketEvent.ticket_id == Ticket.id)
            .where(_past(site_id, cutoff), TicketEvent.reason.is_not(None))
        ),
        counts=("history_reasons",),
        apply=lambda ids: (
            _bulk(update(TicketEvent)).where(TicketEvent.id.in_(ids)).values(reason=None)
        ),
    ),
    _Step(
        rows=lambda site_id, cutoff: select(AuditEntry.id).where(
            AuditEntry.origin.is_not(None),
            or_(
                AuditEntry.actor == VISITOR_ACTOR.value,
                AuditEntry.action.in_([a.value for a in SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS]),
            ),
            or_(
                AuditEntry.ticket_id.in_(select(Ticket.id).where(_past(site_id, cutoff))),
                # Entries without a visit (help asked while closed, coalesced urgent
                # requests) count from the moment they were written.
                (AuditEntry.ticket_id.is_(None))
                & (AuditEntry.site_id == site_id)
                & (AuditEntry.at < cutoff),
            ),
        ),
        counts=("visitor_addresses",),
        apply=lambda ids: (
            _bulk(update(AuditEntry)).where(AuditEntry.id.in_(ids)).values(origin=None)
        ),
    ),
    _Step(
        # Whatever the visit's age: only a replay of an open visit needs its fingerprint.
        rows=lambda site_id, cutoff: select(Ticket.id).where(
            Ticket.site_id == site_id,
            Ticket.status.in_(CLOSED),
            Ticket.request_fingerprint.is_not(None),
        ),
        counts=("fingerprints",),
        apply=lambda ids: (
            _bulk(update(Ticket))
            .where(Ticket.id.in_(ids))
            .values(request_fingerprint=None, version=Ticket.version + 1)
        ),
    ),
)


def _tally(result: SitePurge, step: _Step, rows: Sequence[Sequence[int]]) -> None:
    if step is STEPS[0]:
        result.counts["visits"] += len(rows)
    if len(step.counts) == 1:
        result.counts[step.counts[0]] += len(rows)
        return
    for row in rows:
        for name, held in zip(step.counts, row[1:], strict=True):
            result.counts[name] += held


def _count(session: Session, site_id: int, result: SitePurge) -> None:
    for step in STEPS:
        _tally(result, step, session.execute(step.rows(site_id, result.closed_before)).all())
    session.rollback()


def _remove(session: Session, site_id: int, result: SitePurge, now: datetime, batch: int) -> None:
    while True:
        begin_write(session)
        if session.get_bind().dialect.name == "postgresql":
            # One purge of a site at a time, or two would count the same rows.
            session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"purge:{site_id}"))))
        full = False
        for step in STEPS:
            query = step.rows(site_id, result.closed_before).limit(batch)
            rows = session.execute(query).all()
            if rows:
                session.execute(step.apply([row[0] for row in rows]))
                _tally(result, step, rows)
            full = full or len(rows) == batch
        if full:
            commit(session)
            continue
        if result.removed_anything:
            audit.system(
                session,
                AuditAction.RETENTION_PURGED,
                reason=REASON,
                site_id=site_id,
                detail={
                    "retention_days": result.retention_days,
                    "closed_before": result.closed_before.isoformat(),
                    "removed": result.summary(),
                },
                at=now,
            )
        commit(session)
        return
