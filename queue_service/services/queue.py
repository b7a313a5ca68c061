"""Working the line: the live queue, "call next", and every later move of a ticket."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.assignment import call_order
from ..domain.errors import Conflict, NotOnDuty, ValidationFailed
from ..domain.history import AuditAction
from ..domain.lifecycle import Action, Outcome, Status
from ..models import DutyShift, Site, Staff, Ticket, TicketNote
from ..persistence import duty_queries, repositories, urgent
from ..persistence.unit_of_work import begin_write, commit
from . import audit, texts
from .commands import NOTE_MAX, MoveTicket, text_field
from .duty import require_member
from .service_day import close_earlier_days

CALL_ROUNDS = 50
CALL_KEY_MAX = 200


@dataclass(frozen=True)
class QueueEntry:
    ticket: Ticket
    position: int | None


def open_queue(session: Session, site_slug: str, staff: Staff) -> list[QueueEntry]:
    """Everyone with a manager now (longest first), then everyone waiting, in serving order."""
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    tickets = repositories.open_tickets(session, site.id)
    with_manager = sorted(
        (t for t in tickets if t.status != Status.WAITING), key=lambda t: (t.called_at, t.id)
    )
    waiting = [t for t in tickets if t.status == Status.WAITING]
    return [QueueEntry(t, None) for t in with_manager] + [
        QueueEntry(t, i) for i, t in enumerate(waiting, start=1)
    ]


def call_next(
    session: Session,
    site_slug: str,
    staff: Staff,
    *,
    call_key: str | None = None,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket | None:
    """Claim the next person for `staff`, or None when nobody waits.

    Never gives one ticket to two managers: on SQLite the write transaction is exclusive; on
    PostgreSQL each candidate is locked with SKIP LOCKED and re-checked as still waiting, so
    a manager who loses a race moves on to the next candidate instead of failing.
    With a `call_key` (the request's Idempotency-Key), a retry returns the same person.
    """
    key = _check_call_key(call_key)
    begin_write(session)
    site, shift = _on_duty_at(session, site_slug, staff)
    if key:
        earlier = repositories.ticket_called_with(session, staff.id, key)
        if earlier is not None:
            session.rollback()
            return earlier
    now = now or utcnow()
    close_earlier_days(session, site, now)
    colleagues = functools.cache(
        lambda: duty_queries.languages_on_duty(session, site.id, besides=staff.id)
    )
    # Each round that finds nothing claimable means colleagues took every candidate first;
    # with a window of 16 per round, 50 rounds outlast any realistic number of managers.
    for _ in range(CALL_ROUNDS):
        candidates, mine = repositories.call_candidates(
            session, site.id, staff.languages or (), now, staff.id
        )
        if not candidates:
            break
        order = call_order(
            candidates,
            manager_languages=set(staff.languages or ()),
            languages_of_other_managers=colleagues,
            now=now,
            own_cases=mine,
        )
        for ticket_id in order:
            ticket = repositories.claim_if_waiting(session, ticket_id)
            if ticket is not None:
                before = texts.BeforeMove.of(ticket)
                ticket.apply(Action.CALL, at=now, by=staff, desk=shift.desk)
                ticket.call_key = key
                texts.after_move(session, ticket, before, now)
                audit.record(
                    session, staff, AuditAction.TICKET_CALL, ticket=ticket, at=now, origin=origin
                )
                commit(session)
                return ticket
    commit(session)  # nobody to call, but keep what closing earlier days changed
    return None


def transition(
    session: Session,
    staff: Staff,
    move: MoveTicket,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Apply one of the contract's moves to a ticket at one of the staff member's sites.

    A ticket someone else changed since the manager's screen showed it is refused as
    `ticket_changed`, even when the move is still legal. Calling someone while an urgent
    person waits needs a reason, which is kept.
    """
    act, result, referral, why = move.action, move.outcome, move.crisis_referral, move.reason
    begin_write(session)
    ticket = repositories.ticket_for_update(session, move.ticket_id)
    require_member(staff, ticket.site)
    check_seen_version(ticket, move.seen_version)
    now = now or utcnow()
    desk = None
    passes_urgent = False
    if act == Action.CALL:
        _, shift = _on_duty_at(session, ticket.site.slug, staff)
        desk = shift.desk
        passes_urgent = not ticket.urgent and urgent.urgent_waiting_besides(
            session, ticket.site_id, ticket.id
        )
        if passes_urgent and not why:
            session.rollback()
            raise Conflict(
                "Someone urgent is waiting. Say why you are calling this person first.",
                code="urgent_waiting",
                fields={"reason": "Required while an urgent person waits."},
            )
    before = texts.BeforeMove.of(ticket)
    ticket.apply(
        act,
        at=now,
        by=staff,
        desk=desk,
        outcome=result,
        outcome_detail=move.outcome_detail,
        crisis_referral=referral.value if referral else None,
        reason=why if passes_urgent else None,
    )
    texts.after_move(session, ticket, before, now)
    audit.record(
        session,
        staff,
        AuditAction.for_ticket_action(act.value),
        ticket=ticket,
        detail=_outcome_detail(result, referral),
        at=now,
        origin=origin,
    )
    if passes_urgent:
        # The reason itself stays in the visit's history: staff write names there, and
        # the audit log keeps no one's words about a person.
        audit.record(
            session, staff, AuditAction.CALL_PASSED_URGENT, ticket=ticket,
            detail={"reason_given": True}, at=now, origin=origin)  # fmt: skip
    if move.note:
        ticket.notes.append(TicketNote(staff_id=staff.id, body=move.note, at=now))
        audit.record(session, staff, AuditAction.NOTE_ADDED, ticket=ticket, at=now, origin=origin)
    commit(session)
    return ticket


def _outcome_detail(result: Outcome | None, referral: object) -> dict | None:
    if result is None:
        return None
    found = {"outcome": result.value}
    if referral is not None:
        found["crisis_referral"] = str(referral)
    return found


def check_seen_version(ticket: Ticket, seen: object) -> None:
    if seen is None:
        return
    if isinstance(seen, bool) or not isinstance(seen, int):
        raise ValidationFailed("Some details were not right.", fields={"version": "A number."})
    if seen != ticket.version:
        raise Conflict(
            "Someone else changed this a moment ago. Here is the latest.", code="ticket_changed"
        )


def _on_duty_at(session: Session, site_slug: str, staff: Staff) -> tuple[Site, DutyShift]:
    site, shift = duty_queries.site_and_open_shift(session, site_slug, staff.id)
    require_member(staff, site)
    if shift is None:
        raise NotOnDuty("Start your duty shift at this site before calling people.")
    return site, shift


def _check_call_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= CALL_KEY_MAX or not key.isprintable():
        raise ValidationFailed(
            "The idempotency key is not valid.",
            code="invalid_idempotency_key",
            fields={"idempotency_key": f"1 to {CALL_KEY_MAX} printable characters."},
        )
    return key


__all__ = [
    "NOTE_MAX",
    "MoveTicket",
    "Outcome",
    "QueueEntry",
    "call_next",
    "check_seen_version",
    "open_queue",
    "text_field",
    "transition",
]
