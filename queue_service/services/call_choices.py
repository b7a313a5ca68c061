"""The keys a caller in line may press: 9, "I do not feel safe", and 1 for texts.

9 always reads the crisis lines and is always in the audit log: the visit becomes urgent (a
new call saying it again alerts the consoles again); with no visit in line (it ended while
they listened) they join as an urgent call-back, or, at a closed office with nobody on
duty, the audit log keeps that they asked. Only the provider sending the same step of the
same call twice (its CallSid) changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import voice_script as script
from ..domain.errors import OfficeClosed, ValidationFailed
from ..domain.events import UrgentArrival
from ..domain.history import AuditAction
from ..domain.lifecycle import Status
from ..domain.sms_replies import Staffing, staffing_of
from ..domain.urgent import AlertSource
from ..models import AuditEntry, Site, Ticket
from ..persistence import inbound, opt_outs
from ..persistence.unit_of_work import begin_write, commit
from . import audit, texts
from .call_parts import IncomingCall, caller_number, join_as_call_back, visit_of
from .office import site_status
from .views import PlaceInLine


def choose(
    session: Session,
    site: Site,
    call: IncomingCall,
    language: str,
    *,
    secret_key: str,
    now: datetime,
) -> script.Script:
    phone = caller_number(call.from_number)
    if phone is None:
        return script.hidden_number(language)
    with inbound.one_text_at_a_time(session, opt_outs.number_key(secret_key, phone)):
        begin_write(session)
        office = site_status(session, site, now)
        staffing = staffing_of(office.office)
        found = inbound.open_ticket_for(session, phone)
        ticket = found if found is not None and found.site_id == site.id else None
        if call.digits == script.UNSAFE_DIGIT:
            return _unsafe(session, site, call, ticket, phone, language, staffing, secret_key, now)
        if ticket is None:
            commit(session)
            return script.goodbye(language, None, staffing)
        visit = visit_of(ticket, PlaceInLine.read(session, ticket, office.numbers))
        if call.digits == script.TEXTS_DIGIT:  # again, too: the same answer, nothing new
            return _texts_on(session, ticket, phone, language, visit, staffing, secret_key, now)
        commit(session)
        if not call.digits:
            return script.goodbye(language, visit, staffing)
        return script.wrong_choice(language, visit, staffing, again=call.again)


def _texts_on(
    session: Session, ticket: Ticket, phone: str, language: str, visit: script.Visit,
    staffing: Staffing, secret_key: str, now: datetime,
) -> script.Script:  # fmt: skip
    # Pressing the key is the caller's consent, as START is: it lifts an earlier STOP.
    opt_outs.opt_in(session, secret_key, phone)
    ticket.sms_opt_in = True
    if ticket.status == Status.WAITING:
        texts.checked_in(session, ticket, PlaceInLine.read(session, ticket), now)
    commit(session)
    return script.texts_on(language, visit, staffing)


def _unsafe(
    session: Session, site: Site, call: IncomingCall, ticket: Ticket | None, phone: str,
    language: str, staffing: Staffing, secret_key: str, now: datetime,
) -> script.Script:  # fmt: skip
    if ticket is None:
        commit(session)
        return _unsafe_without_visit(
            session, site, call, phone, language, staffing, secret_key, now
        )
    if not _said_on_this_call(session, ticket, call.sid):
        raised = ticket.escalate(
            at=now, unstaffed=staffing != Staffing.STAFFED, via=AlertSource.CALL
        )
        if not raised and ticket.alert_open:
            ticket.record(UrgentArrival(ticket.id, ticket.site_id))  # alert the consoles again
        audit.record(
            session, None, AuditAction.TICKET_URGENT, ticket=ticket,
            detail={"by": "visitor", "via": "call", "call": call.sid,
                    "unstaffed": ticket.alert_unstaffed, "new_alert": raised},
            at=now,
        )  # fmt: skip
    # What the office is doing is said only while the alert waits for a person.
    told = staffing if ticket.alert_open else Staffing.UNKNOWN
    visit = visit_of(ticket, PlaceInLine.read(session, ticket))
    commit(session)
    return script.unsafe(language, told, visit, staffing)


def _said_on_this_call(session: Session, ticket: Ticket, call_sid: str) -> bool:
    """Whether this call already said it (the provider sent the step again)."""
    entries = session.scalars(
        select(AuditEntry.detail).where(
            AuditEntry.ticket_id == ticket.id, AuditEntry.action == AuditAction.TICKET_URGENT
        )
    )
    return any(isinstance(d, dict) and d.get("call") == call_sid for d in entries)


def _unsafe_without_visit(
    session: Session, site: Site, call: IncomingCall, phone: str, language: str,
    staffing: Staffing, secret_key: str, now: datetime,
) -> script.Script:  # fmt: skip
    """Their visit ended while they listened (or is at another site): they join again as an
    urgent call-back, as a crisis text would put them; at a closed office with nobody on
    duty the check-in is refused and the audit log keeps that they asked."""
    try:
        joined = join_as_call_back(
            session, site, call, phone, language, urgent=True, secret_key=secret_key, now=now
        )
    except OfficeClosed:
        return script.unsafe(language, Staffing.CLOSED, None, Staffing.CLOSED)
    except ValidationFailed:  # the site no longer offers their language, say
        return script.unsafe(language, Staffing.UNKNOWN, None, staffing)
    visit = visit_of(joined.ticket, joined.place)
    return script.unsafe(language, staffing, visit, staffing)
