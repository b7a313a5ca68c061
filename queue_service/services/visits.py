"""A manager's work on one visit: its record, notes, the urgent alert, hand-over, call-backs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.callbacks import DEFAULT_ATTEMPT_LIMIT, parse_attempt
from ..domain.errors import NotOnDuty, ValidationFailed
from ..models import Staff, Ticket, TicketEvent, TicketNote
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member
from .queue import NOTE_MAX, check_seen_version, text_field


@dataclass(frozen=True)
class VisitRecord:
    """A ticket with its notes and every step of its history: what the detail view shows."""

    ticket: Ticket
    notes: list[TicketNote]
    history: list[TicketEvent]


def open_record(session: Session, ticket_id: object, staff: Staff) -> VisitRecord:
    """Read a visit's notes and history. Every such look is written to the audit log."""
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    audit.record(session, staff, "ticket.viewed", ticket=ticket)
    history = list(session.scalars(ticket.history.select().order_by(TicketEvent.id)))
    notes = list(ticket.notes)
    commit(session)
    return VisitRecord(ticket, notes, history)


def add_note(
    session: Session, ticket_id: object, staff: Staff, body: object, *, now: datetime | None = None
) -> TicketNote:
    text = text_field(body, "body", NOTE_MAX)
    if not text:
        raise ValidationFailed("Write the note first.", fields={"body": "Required."})
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    note = TicketNote(staff_id=staff.id, body=text, at=now or utcnow())
    ticket.notes.append(note)
    audit.record(session, staff, "note.added", ticket=ticket, at=note.at)
    commit(session)
    return note


def acknowledge_alert(
    session: Session, ticket_id: object, staff: Staff, *, now: datetime | None = None
) -> Ticket:
    """Record that a manager has seen an urgent arrival. Saying it twice changes nothing."""
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    now = now or utcnow()
    if ticket.acknowledge_alert(by=staff, at=now):
        audit.record(session, staff, "alert.acknowledged", ticket=ticket, at=now)
    commit(session)
    return ticket


def transfer(
    session: Session,
    ticket_id: object,
    staff: Staff,
    to_staff_id: object,
    *,
    seen_version: object = None,
    now: datetime | None = None,
) -> Ticket:
    """Hand a person who is with a manager to a colleague on duty at the same site."""
    if isinstance(to_staff_id, bool) or not isinstance(to_staff_id, int):
        raise ValidationFailed("Choose who takes over.", fields={"to": "A staff id."})
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    check_seen_version(ticket, seen_version)
    shift = repositories.open_shift(session, to_staff_id)
    if shift is None or shift.site_id != ticket.site_id:
        raise NotOnDuty("That colleague is not on duty here. Choose someone who is.")
    now = now or utcnow()
    from_id = ticket.assigned_staff_id
    ticket.transfer(shift.staff, desk=shift.desk, at=now, by=staff)
    audit.record(
        session,
        staff,
        "ticket.transferred",
        ticket=ticket,
        detail={"from_staff_id": from_id, "to_staff_id": to_staff_id},
        at=now,
    )
    commit(session)
    return ticket


def record_call_attempt(
    session: Session,
    ticket_id: object,
    staff: Staff,
    result: object,
    *,
    limit: int = DEFAULT_ATTEMPT_LIMIT,
    seen_version: object = None,
    now: datetime | None = None,
) -> Ticket:
    """Reached: the session starts. No answer or voicemail: try again, up to `limit` tries,
    after which the visit ends as unreachable."""
    outcome = parse_attempt(result)
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    check_seen_version(ticket, seen_version)
    now = now or utcnow()
    ticket.record_attempt(outcome, at=now, by=staff, limit=limit)
    audit.record(
        session,
        staff,
        "callback.attempt",
        ticket=ticket,
        detail={"result": outcome.value, "attempt": ticket.call_attempts, "status": ticket.status},
        at=now,
    )
    commit(session)
    return ticket
