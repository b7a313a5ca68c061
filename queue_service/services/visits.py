"""A manager's work on one visit: its record, notes, the urgent alert, hand-over, call-backs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.callbacks import DEFAULT_ATTEMPT_LIMIT, parse_attempt
from ..domain.errors import Conflict, Forbidden, IllegalTransition, NotOnDuty, ValidationFailed
from ..domain.history import AuditAction, AuditVia
from ..domain.lifecycle import Action, Status
from ..domain.roles import may_follow_up
from ..models import AuditEntry, Site, Staff, Ticket, TicketEvent, TicketNote
from ..persistence import duty_queries, repositories, staff_queries, urgent
from ..persistence.unit_of_work import begin_write, commit
from . import audit, texts
from .commands import NOTE_MAX, text_field
from .duty import require_member
from .queue import check_seen_version

HELP_WHILE_CLOSED_SHOWN = timedelta(days=30)


@dataclass(frozen=True)
class VisitRecord:
    """A ticket with its notes and every step of its history: what the detail view shows."""

    ticket: Ticket
    notes: list[TicketNote]
    history: list[TicketEvent]


def open_record(
    session: Session, ticket_id: object, staff: Staff, *, origin: str | None = None
) -> VisitRecord:
    """Read a visit's notes and history. Every such look is written to the audit log."""
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    audit.record(session, staff, AuditAction.TICKET_VIEWED, ticket=ticket, origin=origin)
    history = list(session.scalars(ticket.history.select().order_by(TicketEvent.id)))
    notes = list(ticket.notes)
    commit(session)
    return VisitRecord(ticket, notes, history)


def add_note(
    session: Session,
    ticket_id: object,
    staff: Staff,
    body: object,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> TicketNote:
    text = text_field(body, "body", NOTE_MAX)
    if not text:
        raise ValidationFailed("Write the note first.", fields={"body": "Required."})
    begin_write(session)
    ticket = repositories.ticket_by_id(session, ticket_id)
    require_member(staff, ticket.site)
    note = TicketNote(staff_id=staff.id, author=_own(session, staff), body=text, at=now or utcnow())
    ticket.notes.append(note)
    audit.record(session, staff, AuditAction.NOTE_ADDED, ticket=ticket, at=note.at, origin=origin)
    commit(session)
    return note


def acknowledge_alert(
    session: Session,
    ticket_id: object,
    staff: Staff,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Record that a manager has seen an urgent arrival. Saying it twice changes nothing.

    Acknowledging says who goes to the person: a manager on duty here, with nobody at their
    desk, who acknowledges a waiting person calls them at once, so two managers never both
    go, and every console shows who is on the way. A manager who cannot go (someone at
    their desk, or not on duty) while a colleague on duty is free is told so, and the alert
    stays up for that colleague (409 colleague_free); when nobody free is on duty at all,
    the alert is acknowledged with nobody on the way, and every console says so.
    """
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    now = now or utcnow()
    staff = _own(session, staff)
    if not ticket.urgent:
        raise IllegalTransition("There is no urgent alert on this ticket.")
    if ticket.alert_acknowledged_at is not None:
        commit(session)
        return ticket
    waiting = ticket.status == Status.WAITING
    shift = duty_queries.open_shift(session, staff.id)
    can_go = (
        shift is not None
        and shift.site_id == ticket.site_id
        and not duty_queries.busy_with(session, staff.id)
    )
    if waiting and not can_go and duty_queries.free_on_duty(session, ticket.site_id, staff.id):
        raise Conflict(
            "A colleague on duty is free to go to this person: the alert stays up for them.",
            code="colleague_free",
        )
    ticket.acknowledge_alert(by=staff, at=now)
    going = waiting and can_go
    if going:
        assert shift is not None
        before = texts.BeforeMove.of(ticket)
        ticket.apply(Action.CALL, at=now, by=staff, desk=shift.desk)
        texts.after_move(session, ticket, before, now)
        audit.record(
            session, staff, AuditAction.TICKET_CALL, ticket=ticket,
            detail={"via": AuditVia.ACKNOWLEDGE}, at=now, origin=origin)  # fmt: skip
    audit.record(
        session, staff, AuditAction.ALERT_ACKNOWLEDGED, ticket=ticket,
        detail={"going": going}, at=now, origin=origin)  # fmt: skip
    commit(session)
    return ticket


def urgent_not_seen(session: Session, site_slug: str, staff: Staff) -> list[Ticket]:
    """Urgent people nobody saw (the day ended, they left, no-show), until followed up.

    The list keeps their names and phones past the visit, for the lead who follows them up:
    only those who may follow up read it (the minimum necessary)."""
    site = _lead_of(session, site_slug, staff)
    return urgent.urgent_not_seen(session, site.id)


def help_while_closed(session: Session, site_slug: str, staff: Staff) -> list[AuditEntry]:
    site = _lead_of(session, site_slug, staff)
    return urgent.help_while_closed(session, site.id, utcnow() - HELP_WHILE_CLOSED_SHOWN)


def _lead_of(session: Session, site_slug: str, staff: Staff) -> Site:
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    if not may_follow_up(staff.role):
        raise Forbidden("Only a site lead or an administrator sees this.", code="not_allowed")
    return site


def follow_up(
    session: Session,
    ticket_id: object,
    staff: Staff,
    note: object,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """A site lead records how an urgent person nobody saw was followed up."""
    text = text_field(note, "note", NOTE_MAX)
    if not text:
        raise ValidationFailed("Say how it was followed up.", fields={"note": "Required."})
    if not may_follow_up(staff.role):
        raise Forbidden("Only a site lead or an administrator marks this.", code="not_allowed")
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    now = now or utcnow()
    staff = _own(session, staff)
    ticket.follow_up(text, by=staff, at=now)
    audit.record(
        session, staff, AuditAction.TICKET_FOLLOWED_UP, ticket=ticket, detail={"note": True},
        at=now, origin=origin)  # fmt: skip
    commit(session)
    return ticket


def transfer(
    session: Session,
    ticket_id: object,
    staff: Staff,
    to_staff_id: object,
    *,
    seen_version: object = None,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Hand a person who is with a manager to a colleague on duty at the same site."""
    in_range = isinstance(to_staff_id, int) and 0 < to_staff_id <= repositories.MAX_ID
    if isinstance(to_staff_id, bool) or not in_range:
        raise ValidationFailed("Choose who takes over.", fields={"to": "A staff id."})
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    check_seen_version(ticket, seen_version)
    now = now or utcnow()
    shift = duty_queries.open_shift(session, to_staff_id)
    # A shift stays open until the sweep ends it; a colleague whose sign-in has already run
    # out is not there to take anyone, whatever the sweep has yet to notice.
    there = shift is not None and staff_queries.signed_in(session, to_staff_id, now)
    if not there or shift.site_id != ticket.site_id:
        raise NotOnDuty("That colleague is not on duty here. Choose someone who is.")
    from_id = ticket.assigned_staff_id
    ticket.transfer(shift.staff, desk=shift.desk, at=now, by=staff)
    audit.record(
        session,
        staff,
        AuditAction.TICKET_TRANSFERRED,
        ticket=ticket,
        detail={"from_staff_id": from_id, "to_staff_id": to_staff_id},
        at=now,
        origin=origin,
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
    retry_after: timedelta = timedelta(minutes=15),
    seen_version: object = None,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Reached: the session starts. No answer or voicemail: back in line until the next try
    is due (`retry_after`), up to `limit` tries, after which the visit ends as unreachable."""
    outcome = parse_attempt(result)
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    check_seen_version(ticket, seen_version)
    now = now or utcnow()
    ticket.record_attempt(outcome, at=now, by=staff, limit=limit, retry_after=retry_after)
    audit.record(
        session,
        staff,
        AuditAction.CALLBACK_ATTEMPT,
        ticket=ticket,
        detail={
            "result": outcome.value,
            "attempt": ticket.call_attempts,
            "status": ticket.status,
            "next_try_at": ticket.next_try_at.isoformat() if ticket.next_try_at else None,
        },
        at=now,
        origin=origin,
    )
    commit(session)
    return ticket


def _own(session: Session, staff: Staff) -> Staff:
    """This session's copy of `staff`, so a relationship set to it never drags another
    session's objects in with it."""
    return session.get(Staff, staff.id) or staff
