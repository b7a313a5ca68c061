"""What the retention purge removes, step by step, as SQL (services.retention runs them).

Each Step finds the rows of a site's closed visits past the cutoff that still hold something
(a name, a note, a visitor's address, a text's words), and clears or deletes them by id. The
rule "past the cutoff" is here once (`_past`): closed before it, and either followed up
before it or not an urgent person a lead has still to follow up (persistence.urgent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import (
    ColumnElement,
    Delete,
    Select,
    Update,
    case,
    delete,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute

from ..domain.lifecycle import OPEN_STATUSES, STAMP_FOR, Status
from ..domain.retention import SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS, VISITOR_ACTOR
from ..models import AuditEntry, Message, Ticket, TicketEvent, TicketNote
from .urgent import needs_follow_up

_Bulk = TypeVar("_Bulk", Update, Delete)

CLOSED = tuple(s.value for s in Status if s not in OPEN_STATUSES)
# When a closed visit closed: the stamp of the status it ended in.
_closed_at = case(
    *((Ticket.status == s, getattr(Ticket, STAMP_FOR[Status(s)])) for s in CLOSED),
    else_=None,
)


@dataclass(frozen=True)
class Step:
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


def bulk(statement: _Bulk) -> _Bulk:
    # Rows of closed visits, not objects a session holds: nothing in memory to keep in step.
    return statement.execution_options(synchronize_session=False)


def _flag(column: ColumnElement) -> ColumnElement[int]:
    return case((column.is_not(None), 1), else_=0)


def _rows_of_past_visits(
    rows: type[TicketNote] | type[TicketEvent],
) -> Callable[[int, datetime], Select]:
    """A step's scope for the rows a visit owns (its notes, its history), past the cutoff."""
    return lambda site_id, cutoff: (
        select(rows.id).join(Ticket, rows.ticket_id == Ticket.id).where(_past(site_id, cutoff))
    )


_TICKET_TEXT = (Ticket.name, Ticket.phone, Ticket.outcome_detail, Ticket.follow_up_note)
_VISITORS_ADDRESS = or_(
    AuditEntry.actor == VISITOR_ACTOR.value,
    AuditEntry.action.in_([a.value for a in SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS]),
)

STEPS = (
    Step(
        id=Ticket.id,
        scope=lambda site_id, cutoff: select(Ticket.id).where(_past(site_id, cutoff)),
        held=or_(*(c.is_not(None) for c in _TICKET_TEXT)),
        counts=("names", "phones", "outcome_details", "follow_up_notes"),
        flags=tuple(_flag(c) for c in _TICKET_TEXT),
        apply=lambda ids: (
            bulk(update(Ticket))
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
    Step(
        id=TicketNote.id,
        scope=_rows_of_past_visits(TicketNote),
        held=true(),
        counts=("notes",),
        apply=lambda ids: bulk(delete(TicketNote)).where(TicketNote.id.in_(ids)),
    ),
    Step(
        id=TicketEvent.id,
        scope=_rows_of_past_visits(TicketEvent),
        held=TicketEvent.reason.is_not(None),
        counts=("history_reasons",),
        apply=lambda ids: (
            bulk(update(TicketEvent)).where(TicketEvent.id.in_(ids)).values(reason=None)
        ),
    ),
    Step(
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
            bulk(update(AuditEntry)).where(AuditEntry.id.in_(ids)).values(origin=None)
        ),
    ),
    Step(
        id=Ticket.id,
        # Whatever the visit's age: only a replay of an open visit needs its fingerprint.
        scope=lambda site_id, cutoff: select(Ticket.id).where(
            Ticket.site_id == site_id, Ticket.status.in_(CLOSED)
        ),
        held=Ticket.request_fingerprint.is_not(None),
        counts=("fingerprints",),
        apply=lambda ids: (
            bulk(update(Ticket))
            .where(Ticket.id.in_(ids))
            .values(request_fingerprint=None, version=Ticket.version + 1)
        ),
    ),
    Step(
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
            bulk(update(Message))
            .where(Message.id.in_(ids))
            .values(body=None, phone=None, phone_masked=None)
        ),
    ),
)


# Cases and visitors (retention_case_steps.py), after the visits.
from .retention_case_steps import CASE_STEPS  # noqa: E402

STEPS += CASE_STEPS
