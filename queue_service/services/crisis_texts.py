"""A text with words of a crisis (domain.sms_commands): the crisis lines at once, then the
urgent alert, as the kiosk's safety path raises it. The answer is written and committed
first, so whatever happens next the lines go; the visit it makes is keyed by the text, so
the provider retrying after a failure finishes it once."""

from __future__ import annotations

from ..domain.errors import OfficeClosed, ValidationFailed
from ..domain.events import TicketTexted, UrgentArrival
from ..domain.history import AuditAction
from ..domain.lifecycle import Channel
from ..domain.messages import MessageKind
from ..domain.sms_replies import Staffing, crisis_lines, staffing_of
from ..domain.urgent import AlertSource
from ..persistence import inbound
from ..persistence.unit_of_work import begin_write, commit, publish_after_commit
from . import audit, checkins
from .answers import Exchange


def crisis(x: Exchange) -> None:
    office = x.office()
    staffing = staffing_of(office.office if office else None)
    ticket = x.ticket
    if ticket is not None:
        unstaffed = staffing != Staffing.STAFFED
        raised = ticket.escalate(at=x.now, unstaffed=unstaffed, via=AlertSource.TEXT)
        if not raised and ticket.alert_open:
            ticket.record(UrgentArrival(ticket.id, ticket.site_id))  # alert the consoles again
        # Every such text is in the audit log, also one from a visit already urgent or
        # with a manager: none disappears unseen.
        audit.record(
            x.session, None, AuditAction.TICKET_URGENT, ticket=ticket,
            detail={"by": "visitor", "via": "sms", "unstaffed": ticket.alert_unstaffed,
                    "new_alert": raised},
            at=x.now,
        )  # fmt: skip
        # What the office is doing is said only while the alert waits for a person: once a
        # manager has it (on the way, or with them), the lines alone.
        told = staffing if ticket.alert_open else Staffing.UNKNOWN
        x.answer(crisis_lines(x.language, told), kind=MessageKind.CRISIS)
        commit(x.session)
        return
    if x.site is None:
        x.answer(crisis_lines(x.language, Staffing.UNKNOWN), kind=MessageKind.CRISIS)
        commit(x.session)
        return
    # The answer first, in this transaction: whatever happens next, the crisis lines go.
    x.answer(crisis_lines(x.language, staffing), kind=MessageKind.CRISIS)
    commit(x.session)
    urgent_call_back(x)


def urgent_call_back(x: Exchange) -> None:
    """Someone not in line wrote words of a crisis: they join it as an urgent call-back, as
    the kiosk's safety path would put them; at a closed office with nobody on duty there is
    no ticket, and the audit log keeps that they asked (safety.refuse_closed)."""
    assert x.site is not None
    language = x.language if x.language in x.site.languages else x.site.languages[0]
    person = {"language": language, "phone": x.phone, "sms_opt_in": True, "urgent": True}
    # Refused at a closed office, and noted there; the crisis lines already went. No origin:
    # texts all come from the provider's address, and one person's number has one open
    # visit, so there is no burst from one place to bound.
    try:
        # Keyed by the text: a retry after a failure here makes no second ticket.
        joined = checkins.check_in(
            x.session, x.site.slug, person, channel=Channel.SMS, secret_key=x.secret_key,
            idempotency_key=f"text-{x.sid}", now=x.now,
        )  # fmt: skip
    except (OfficeClosed, ValidationFailed):
        return
    assert isinstance(joined, checkins.CheckedIn)
    begin_write(x.session)
    # Their text and its answer join the visit they made: its card shows what they wrote.
    inbound.link_text(x.session, x.sid, joined.ticket, answered_at=x.now)
    publish_after_commit(x.session, TicketTexted(joined.ticket.id, joined.ticket.site_id))
    commit(x.session)


def finish_unfinished(x: Exchange) -> None:
    """The provider sent this crisis text again: if its first delivery wrote the crisis lines
    but made no visit (the database went away mid-way), make it now."""
    if x.site is None or x.phone in (x.site.oncall_numbers or []):
        return  # an on-call phone's words are never a person's crisis (inbound_texts.py)
    if inbound.crisis_unfinished(x.session, x.sid, x.now):
        urgent_call_back(x)
