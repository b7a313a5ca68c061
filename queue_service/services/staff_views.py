"""Read models for staff: the contract's StaffTicket and the duty/coverage picture.

The console renders these as they are: the allowed moves, labels and flags are decided
here from the domain's rules, never again in the browser.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import phonenumbers
from sqlalchemy.orm import object_session

from ..domain import message_labels
from ..domain.callbacks import CALLBACK_CHANNELS
from ..domain.labels import CRISIS_LABELS, OUTCOME_LABELS, outcome_label, status_label
from ..domain.lifecycle import (
    BUSY_STATUSES,
    OUTCOMES_NEEDING_DETAIL,
    STAFF_OUTCOMES,
    CrisisReferral,
    Outcome,
    Status,
    allowed_actions,
)
from ..domain.messages import why_no_staff_text
from ..domain.needs import staff_labels
from ..domain.urgent import how_to_reach
from ..models import DutyShift, Message, Staff, Ticket
from .case_views import card_visitor, cards_visitors

if TYPE_CHECKING:
    from .duty import Coverage
    from .queue import QueueEntry

# The composition root sets this from FRONTDOOR_NO_SHOW_AFTER_SECONDS.
NO_SHOW_AFTER = timedelta(seconds=300)
NOTES_ON_CARD = 5
TEXTS_ON_CARD = 6


def staff_ticket(
    ticket: Ticket,
    *,
    position: int | None,
    urgent_waiting_ahead: bool = False,
    visitors: dict[int, dict] | None = None,
) -> dict[str, Any]:
    """`visitors`: case_views.cards_visitors for a whole queue, read once."""
    needs = list(ticket.needs or [])
    return {
        "id": ticket.id,
        "code": ticket.code,
        "status": ticket.status,
        "status_label": status_label(ticket.status, ticket.end_reason),
        "channel": ticket.channel,
        "urgent": ticket.urgent,
        "needs": needs,
        # The site's whole list is parsed only for a ticket that names a need.
        "need_labels": staff_labels(ticket.site.needs, needs) if needs else [],
        "language": ticket.language,
        "name": ticket.name,
        "phone": ticket.phone,
        "phone_display": phone_display(ticket.phone),
        "sms_opt_in": ticket.sms_opt_in,
        "position": position,
        "assigned_to": _person(ticket.assigned_to),
        "desk": ticket.desk,
        "created_at": iso(ticket.created_at),
        "queued_at": iso(ticket.queued_at),
        "called_at": iso(ticket.called_at),
        "started_at": iso(ticket.started_at),
        "completed_at": iso(ticket.completed_at),
        "outcome": ticket.outcome,
        "outcome_detail": ticket.outcome_detail,
        "crisis_referral": ticket.crisis_referral,
        "outcome_label": outcome_label(
            ticket.outcome, ticket.outcome_detail, ticket.crisis_referral
        ),
        "end_reason": ticket.end_reason,
        "call_attempts": ticket.call_attempts or 0,
        "next_try_at": iso(ticket.next_try_at),
        "no_show_due_at": iso(_no_show_due(ticket)),
        "allowed_actions": _allowed(ticket),
        "urgent_waiting_ahead": urgent_waiting_ahead and not ticket.urgent,
        "alert": _alert(ticket),
        "follow_up": _follow_up(ticket),
        "notes": [
            {"id": n.id, "body": n.body, "at": iso(n.at), "by": _person(n.author)}
            for n in list(ticket.notes)[-NOTES_ON_CARD:]
        ],
        "texts": _texts(ticket),
        "visitor_id": ticket.visitor_id,
        # Their earlier visits here (the repeat flag) and their open case, if any.
        "visitor": card_visitor(ticket, visitors),
        "site": ticket.site.slug,
        "version": ticket.version,
    }


def staff_tickets(entries: list[QueueEntry]) -> list[dict[str, Any]]:
    """The live queue in serving order; each waiting card knows if calling it passes an
    urgent person (the console then asks for a reason, as the server will)."""
    urgent_waits = any(e.ticket.urgent and e.ticket.status == Status.WAITING for e in entries)
    session = object_session(entries[0].ticket) if entries else None
    visitors = cards_visitors(session, [e.ticket for e in entries]) if session else {}
    return [
        staff_ticket(
            e.ticket,
            position=e.position,
            urgent_waiting_ahead=urgent_waits and e.ticket.status == Status.WAITING,
            visitors=visitors,
        )
        for e in entries
    ]


def outcome_choices() -> dict[str, Any]:
    return {
        "outcomes": [
            {
                "value": o.value,
                "label": OUTCOME_LABELS[o],
                "needs_detail": o in OUTCOMES_NEEDING_DETAIL,
                "needs_crisis_referral": o == Outcome.CRISIS,
            }
            for o in STAFF_OUTCOMES
        ],
        "crisis_referrals": [{"value": c.value, "label": CRISIS_LABELS[c]} for c in CrisisReferral],
    }


def phone_display(phone: str | None) -> str | None:
    """The number as a person dials it: (617) 555-0123 at home, +44 … abroad."""
    if not phone:
        return None
    try:
        parsed = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    kind = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, kind)


def on_duty(shifts: list[DutyShift]) -> list[dict[str, Any]]:
    return [
        {"staff_id": s.staff_id, "name": s.staff.name, "desk": s.desk, "since": iso(s.started_at)}
        for s in shifts
    ]


def coverage(found: Coverage) -> dict[str, Any]:
    status = found.status
    office = status.office
    return {
        "on_duty_now": on_duty(found.on_duty),
        "open_now": found.open_now,
        "waiting": found.waiting,
        "uncovered": found.uncovered,
        "state": office.state.value,
        "past_hours": office.past_hours,
        "closing_soon": status.closing_soon,
        "closes_at": iso(office.closes_at),
        "opens_at": iso(office.opens_at),
        "can_see_everyone": status.can_see_everyone,
    }


# A caller is reached (or not) on the phone: walk-in moves make no sense for them.
NOT_FOR_CALLERS = frozenset({"start", "no_show", "left"})


# The lifecycle's moves from each status, worked out once: every card asks.
_MOVES = {status: tuple(a.value for a in allowed_actions(status)) for status in Status}


def _allowed(ticket: Ticket) -> list[str]:
    status = ticket.status_enum
    actions = list(_MOVES[status])
    if status == Status.CALLED and ticket.channel in CALLBACK_CHANNELS:
        actions = [a for a in actions if a not in NOT_FOR_CALLERS]
    if status in BUSY_STATUSES:
        actions.append("transfer")
    if status == Status.CALLED and ticket.channel in CALLBACK_CHANNELS:
        actions.append("attempt")
    if ticket.urgent and ticket.alert_acknowledged_at is None:
        actions.append("acknowledge")
    if ticket.follow_up_pending:
        actions.append("follow_up")
    if why_no_staff_text(status, bool(ticket.phone), bool(ticket.sms_opt_in)) is None:
        actions.append("text")
    return actions


def _no_show_due(ticket: Ticket) -> datetime | None:
    """A called walk-in who has not come by then is flagged for a no-show decision."""
    if ticket.status != Status.CALLED or ticket.channel in CALLBACK_CHANNELS:
        return None
    return ticket.called_at + NO_SHOW_AFTER if ticket.called_at else None


def _alert(ticket: Ticket) -> dict[str, Any] | None:
    """An urgent ticket's alert: `open` (Ticket.alert_open) while it belongs on consoles."""
    if not ticket.urgent:
        return None
    going = ticket.assigned_to if ticket.status_enum in BUSY_STATUSES else None
    return {
        "open": ticket.alert_open,
        "acknowledged": ticket.alert_acknowledged_at is not None,
        "acknowledged_at": iso(ticket.alert_acknowledged_at),
        "acknowledged_by": _person(ticket.alert_acknowledged_by),
        "unstaffed": bool(ticket.alert_unstaffed),
        "going": _person(going),
        # When they said it (the check-in, for alerts from before this was kept), where, and
        # so whether staff go to them or call them (domain.urgent.how_to_reach).
        "raised_at": iso(ticket.alert_raised_at or ticket.created_at),
        "via": ticket.alert_via,
        "reach": how_to_reach(ticket.channel, ticket.alert_via).value,
        # When nobody had acknowledged it in time and it was texted to on-call.
        "escalated_at": iso(ticket.alert_escalated_at),
        "escalated_to": ticket.alert_escalated_to,
    }


def _texts(ticket: Ticket) -> dict[str, Any]:
    """The visit's latest texts both ways (kind, where each got to, and the person's own
    words), when they last wrote, and whether a manager may text them now."""
    shown = [m for m in ticket.texts if message_labels.on_card(m.kind, m.why)]
    replies = [m for m in shown if message_labels.is_reply(m.direction)]
    return {
        "items": [text_view(m) for m in shown[-TEXTS_ON_CARD:]],
        "total": len(shown),
        "last_reply_at": iso(replies[-1].created_at) if replies else None,
        # What they last wrote, so a manager can read it without calling them first.
        "last_reply": replies[-1].body if replies else None,
        "trouble": any(m.status in message_labels.TROUBLE for m in shown),
    }


def text_view(message: Message) -> dict[str, Any]:
    """One text as a card and the message log show it (the contract's Message), the number
    masked. The words are shown for what the person wrote and what staff wrote; the
    system's own texts are known by their kind."""
    return {
        "id": message.id,
        "ticket_id": message.ticket_id,
        "direction": message.direction,
        "kind": message.kind,
        "kind_label": message_labels.kind_label(message.kind),
        "body": message.body,
        "status": message.status,
        "status_label": message_labels.status_label(message.status),
        "why": message.why,
        "why_label": message_labels.why_label(message.why),
        "phone": message.phone_masked,
        "language": message.language,
        "segments": message.segments,
        "created_at": iso(message.created_at),
        "sent_at": iso(message.sent_at),
        "updated_at": iso(message.updated_at),
    }


def _follow_up(ticket: Ticket) -> dict[str, Any] | None:
    if ticket.followed_up_at is None:
        return None
    return {
        "at": iso(ticket.followed_up_at),
        "by": _person(ticket.followed_up_by),
        "note": ticket.follow_up_note,
    }


def _person(staff: Staff | None) -> dict[str, Any] | None:
    return {"id": staff.id, "name": staff.name} if staff else None


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
