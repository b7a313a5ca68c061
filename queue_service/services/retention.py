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
    true,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..clock import utcnow
from ..domain.history import AuditAction
from ..domain.lifecycle import OPEN_STATUSES, STAMP_FOR, Status
from ..domain.retention import (
    SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS,
    VISITOR_ACTOR,
    purge_cutoff,
)
from ..models import AuditEntry, Message, Site, Ticket, TicketEvent, TicketNote
from ..persistence.unit_of_work import begin_write, commit
from ..persistence.urgent import needs_follow_up
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
    "texts",
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
        work = _candidates(session, site_id, result.closed_before, batch)
        if dry_run:
            for step, ids in work:
                _tally(result, step, session.execute(step.still(ids)).all())
            session.rollback()
        else:
            _remove(session, site_id, result, work, now)
        results.append(result)
    if not dry_run and any(r.removed_anything for r in results):
        # The old values are still in the WAL's frames until it is checkpointed and cut.
        session.info["database"].erase_wal()
    return results


@dataclass(frozen=True)
class _Step:
    """One kind of removal. `scope` finds its rows (a scan of the site's history, run before
    the write lock is taken); `held` says a row still holds something, and is checked again
    under the lock for each batch of ids, so two purges at once never take a row twice."""

    id: InstrumentedAttribute[int]
    scope: Callable[[int, datetime], Select]
    held: ColumnElement[bool]
    counts: Sequence[str]
    apply: Callable[[Sequence[int]], object]
    # 0/1 columns, one for each count, when a row can hold several of them.
    flags: Sequence[ColumnElement[int]] = ()

    def candidates(self, site_id: int, cutoff: datetime) -> Select:
        return self.scope(site_id, cutoff).where(self.held).order_by(self.id)

    def still(self, ids: Sequence[int]) -> Select:
        return select(self.id, *self.flags).where(self.id.in_(ids), self.held)


def _past(site_id: int, cutoff: datetime) -> ColumnElement[bool]:
    return (
        (Ticket.site_id == site_id)
        & Ticket.status.in_(CLOSED)
        & (_closed_at < cutoff)
        & or_(
            Ticket.followed_up_at < cutoff,
            Ticket.followed_up_at.is_(None) & ~needs_follow_up(),
        )
    )


def _bulk(statement: _Bulk) -> _Bulk:
    # Rows of closed visits, not objects a session holds: nothing in memory to keep in step.
    return statement.execution_options(synchronize_session=False)


def _flag(column: ColumnElement) -> ColumnElement[int]:
    return case((column.is_not(None), 1), else_=0)


_TICKET_TEXT = (Ticket.name, Ticket.phone, Ticket.outcome_detail, Ticket.follow_up_note)
_VISITORS_ADDRESS = or_(
    AuditEntry.actor == VISITOR_ACTOR.value,
    AuditEntry.action.in_([a.value for a in SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS]),
)

STEPS = (
    _Step(
        id=Ticket.id,
        scope=lambda site_id, cutoff: select(Ticket.id).where(_past(site_id, cutoff)),
        held=or_(*(c.is_not(None) for c in _TICKET_TEXT)),
        counts=("names", "phones", "outcome_details", "follow_up_notes"),
        flags=tuple(_flag(c) for c in _TICKET_TEXT),
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
        id=TicketNote.id,
        scope=lambda site_id, cutoff: (
            select(TicketNote.id)
            .join(Ticket, TicketNote.ticket_id == Ticket.id)
            .where(_past(site_id, cutoff))
        ),
        held=true(),
        counts=("notes",),
        apply=lambda ids: _bulk(delete(TicketNote)).where(TicketNote.id.in_(ids)),
    ),
    _Step(
        id=TicketEvent.id,
        scope=lambda site_id, cutoff: (
            select(TicketEvent.id)
            .join(Ticket, TicketEvent.ticket_id == Ticket.id)
            .where(_past(site_id, cutoff))
        ),
        held=TicketEvent.reason.is_not(None),
        counts=("history_reasons",),
        apply=lambda ids: (
            _bulk(update(TicketEvent)).where(TicketEvent.id.in_(ids)).values(reason=None)
        ),
    ),
    _Step(
        id=AuditEntry.id,
        scope=lambda site_id, cutoff: select(AuditEntry.id).where(
            _VISITORS_ADDRESS,
            or_(
                AuditEntry.ticket_id.in_(select(Ticket.id).where(_past(site_id, cutoff))),
                # Entries without a visit (help asked while closed, coalesced urgent
                # requests) count from the moment they were written.
                (AuditEntry.ticket_id.is_(None))
                & (AuditEntry.site_id == site_id)
                & (AuditEntry.at < cutoff),
            ),
        ),
        held=AuditEntry.origin.is_not(None),
        counts=("visitor_addresses",),
        apply=lambda ids: (
            _bulk(update(AuditEntry)).where(AuditEntry.id.in_(ids)).values(origin=None)
        ),
    ),
    _Step(
        id=Ticket.id,
        # Whatever the visit's age: only a replay of an open visit needs its fingerprint.
        scope=lambda site_id, cutoff: select(Ticket.id).where(
            Ticket.site_id == site_id, Ticket.status.in_(CLOSED)
        ),
        held=Ticket.request_fingerprint.is_not(None),
        counts=("fingerprints",),
        apply=lambda ids: (
            _bulk(update(Ticket))
            .where(Ticket.id.in_(ids))
            .values(request_fingerprint=None, version=Ticket.version + 1)
        ),
    ),
    _Step(
        id=Message.id,
        # The words and the masked number of every text about the visit (the number itself
        # went when the text was sent); texts without a visit count from when written.
        scope=lambda site_id, cutoff: select(Message.id).where(
            or_(
                Message.ticket_id.in_(select(Ticket.id).where(_past(site_id, cutoff))),
                (Message.ticket_id.is_(None))
                & (Message.site_id == site_id)
                & (Message.created_at < cutoff),
            )
        ),
        held=or_(*(c.is_not(None) for c in (Message.body, Message.phone, Message.phone_masked))),
        counts=("texts",),
        apply=lambda ids: (
            _bulk(update(Message))
            .where(Message.id.in_(ids))
            .values(body=None, phone=None, phone_masked=None)
        ),
    ),
)

_Work = list[tuple[_Step, list[int]]]


def _candidates(session: Session, site_id: int, cutoff: datetime, batch: int) -> _Work:
    """Every row that holds something to remove, in batches: read before any lock, so the
    scan of the site's whole history never holds up a check-in."""
    work: _Work = []
    for step in STEPS:
        ids = list(session.scalars(step.candidates(site_id, cutoff)))
        work += [(step, ids[i : i + batch]) for i in range(0, len(ids), batch)]
    session.rollback()
    return work


def _tally(result: SitePurge, step: _Step, rows: Sequence[Sequence[int]]) -> None:
    if step is STEPS[0]:
        result.counts["visits"] += len(rows)
    if not step.flags:
        result.counts[step.counts[0]] += len(rows)
        return
    for row in rows:
        for name, held in zip(step.counts, row[1:], strict=True):
            result.counts[name] += held


def _remove(session: Session, site_id: int, result: SitePurge, work: _Work, now: datetime) -> None:
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
