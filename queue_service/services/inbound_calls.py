"""A person calls the office: they choose a language, join the line as a call-back (by the
number they call from), hear their place and wait, and may ask for texts or say they do not
feel safe (domain.voice_script). Outside hours, with nobody on duty, the call says when the
office opens and gives the crisis lines; no ticket is made.

A step the provider sends twice changes nothing: joining is keyed by the call's id (the
check-in's idempotency key), asking for texts writes the "checked in" text once per visit,
and "I do not feel safe" raises one alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain import voice_script as script
from ..domain.checkin import normalise_phone
from ..domain.errors import OfficeClosed, ValidationFailed
from ..domain.events import UrgentArrival
from ..domain.history import AuditAction
from ..domain.lifecycle import Channel, Status
from ..domain.sms_replies import Staffing, staffing_of
from ..domain.urgent import AlertSource
from ..models import Site, Ticket
from ..notifications.catalogs import clock_time, weekday_name
from ..persistence import inbound, opt_outs
from ..persistence.unit_of_work import begin_write, commit
from . import audit, checkins, texts
from .office import SiteStatus, site_status
from .views import PlaceInLine

# What callers' phones send when the number is withheld (Twilio's and the carriers' words).
HIDDEN = {"anonymous", "restricted", "unknown", "private", "blocked", "+266696687"}


@dataclass(frozen=True)
class IncomingCall:
    sid: str  # the provider's id for the call (Twilio's CallSid): the same at every step
    from_number: str
    to_number: str
    step: script.CallStep
    digits: str = ""
    language: str = ""  # chosen at an earlier step
    again: bool = False  # the menu was already read once


def answer(
    session: Session, call: IncomingCall, *, secret_key: str, now: datetime | None = None
) -> script.Script:
    """What the call hears next; what the step changes is committed on return."""
    now = now or utcnow()
    site = inbound.site_for_number(session, call.to_number)
    if site is None:
        return script.no_office()
    if call.step == script.CallStep.MENU:
        if len(site.languages) == 1:
            return _join(session, site, call, site.languages[0], secret_key, now)
        return script.language_menu(site.languages, again=call.again)
    if call.step == script.CallStep.LANGUAGE:
        language = _chosen(site, call.digits)
        if language is None:
            return script.not_a_key(site.languages[0])
        return _join(session, site, call, language, secret_key, now)
    language = call.language if call.language in site.languages else site.languages[0]
    return _choice(session, site, call, language, secret_key, now)


def _chosen(site: Site, digits: str) -> str | None:
    """The language of the key pressed; the site's first when none was (twice)."""
    if not digits:
        return site.languages[0]
    if digits.isdigit() and 1 <= int(digits) <= len(site.languages):
        return site.languages[int(digits) - 1]
    return None


def _phone(raw: str) -> str | None:
    if raw.strip().lower() in HIDDEN:
        return None
    try:
        return normalise_phone(raw)
    except ValueError:
        return None


def _join(
    session: Session, site: Site, call: IncomingCall, language: str, secret_key: str,
    now: datetime,
) -> script.Script:  # fmt: skip
    office = site_status(session, site, now)
    session.commit()  # a read only: nothing is held while the caller listens
    if not office.office.accepts_check_ins:
        return _closed(site, office, language)
    phone = _phone(call.from_number)
    if phone is None:
        return script.hidden_number(language)
    with inbound.one_text_at_a_time(session, opt_outs.number_key(secret_key, phone)):
        return _in_line(session, site, call, phone, language, secret_key, now)


def _in_line(
    session: Session, site: Site, call: IncomingCall, phone: str, language: str,
    secret_key: str, now: datetime,
) -> script.Script:  # fmt: skip
    begin_write(session)
    earlier = inbound.open_ticket_for(session, phone)
    if earlier is not None and earlier.site_id == site.id:
        office = site_status(session, site, now)
        place = PlaceInLine.read(session, earlier, office.numbers)
        commit(session)
        return _place(earlier, place, office, joined=False)
    commit(session)
    person = {"language": language, "phone": phone, "sms_opt_in": False}
    try:
        joined = checkins.check_in(
            session, site.slug, person, channel=Channel.PHONE,
            idempotency_key=f"call-{call.sid}", secret_key=secret_key, now=now,
        )  # fmt: skip
    except OfficeClosed:
        return _closed(site, site_status(session, site, now), language)
    except ValidationFailed:
        return script.try_again(language)
    assert isinstance(joined, checkins.CheckedIn)  # not urgent: never coalesced
    return _place(joined.ticket, joined.place, joined.office, joined=joined.created)


def _place(
    ticket: Ticket, place: PlaceInLine, office: SiteStatus, *, joined: bool
) -> script.Script:
    return script.in_line(
        ticket.language, ticket.code, place=place.position, minutes=place.wait,
        staffing=staffing_of(office.office), joined=joined, offer_texts=not ticket.sms_opt_in,
    )  # fmt: skip


def _closed(site: Site, office: SiteStatus, language: str) -> script.Script:
    opens = office.office.opens_at
    if opens is None:
        return script.closed(language, None, "", "")
    same_day = local_day(opens, site.timezone) == local_day(office.at, site.timezone)
    soon = same_day and opens - office.at < timedelta(days=1)
    day = "" if soon else weekday_name(opens, site.timezone, language)
    return script.closed(language, opens, day, clock_time(opens, site.timezone, language))


def _choice(
    session: Session, site: Site, call: IncomingCall, language: str, secret_key: str,
    now: datetime,
) -> script.Script:  # fmt: skip
    phone = _phone(call.from_number)
    if call.digits not in (script.TEXTS_DIGIT, script.UNSAFE_DIGIT) or phone is None:
        return script.goodbye(language, wrong_key=bool(call.digits))
    with inbound.one_text_at_a_time(session, opt_outs.number_key(secret_key, phone)):
        begin_write(session)
        ticket = inbound.open_ticket_for(session, phone)
        if ticket is None or ticket.site_id != site.id:
            session.rollback()
            return script.goodbye(language)
        if call.digits == script.TEXTS_DIGIT:
            return _texts_on(session, ticket, phone, language, secret_key, now)
        return _unsafe(session, site, ticket, language, now)


def _texts_on(
    session: Session, ticket: Ticket, phone: str, language: str, secret_key: str, now: datetime
) -> script.Script:
    # Pressing the key is the caller's consent, as START is: it lifts an earlier STOP.
    opt_outs.opt_in(session, secret_key, phone)
    ticket.sms_opt_in = True
    if ticket.status == Status.WAITING:
        texts.checked_in(session, ticket, PlaceInLine.read(session, ticket), now)
    commit(session)
    return script.texts_on(language)


def _unsafe(
    session: Session, site: Site, ticket: Ticket, language: str, now: datetime
) -> script.Script:
    office = site_status(session, site, now)
    staffing = staffing_of(office.office)
    already = ticket.alert_open and ticket.alert_via == AlertSource.CALL
    if not already:
        raised = ticket.escalate(
            at=now, unstaffed=staffing != Staffing.STAFFED, via=AlertSource.CALL
        )
        if not raised and ticket.alert_open:
            ticket.record(UrgentArrival(ticket.id, ticket.site_id))  # alert the consoles again
        audit.record(
            session, None, AuditAction.TICKET_URGENT, ticket=ticket,
            detail={"by": "visitor", "via": "call", "unstaffed": ticket.alert_unstaffed,
                    "new_alert": raised},
            at=now,
        )  # fmt: skip
    told = staffing if ticket.alert_open else Staffing.UNKNOWN
    commit(session)
    return script.unsafe(language, told)
