"""A person calls the office: they choose a language, join the line as a call-back (by the
number they call from), hear their place and wait, and may ask for texts or say they do not
feel safe (domain.voice_script). Outside hours, with nobody on duty, the call says when the
office opens and gives the crisis lines; no ticket is made.

A step the provider sends twice changes nothing: joining is keyed by the call's id (the
check-in's idempotency key), asking for texts writes the "checked in" text once per visit,
and "I do not feel safe" raises one alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain import voice_script as script
from ..domain.errors import OfficeClosed, ValidationFailed
from ..domain.sms_replies import staffing_of
from ..models import Site, Ticket
from ..notifications.catalogs import clock_time, weekday_name
from ..persistence import inbound, opt_outs
from ..persistence.unit_of_work import begin_write, commit
from . import call_choices
from .call_parts import IncomingCall, caller_number, join_as_call_back, visit_of
from .office import SiteStatus, site_status
from .views import PlaceInLine


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
    return call_choices.choose(session, site, call, language, secret_key=secret_key, now=now)


def _chosen(site: Site, digits: str) -> str | None:
    """The language of the key pressed; the site's first when none was (twice)."""
    if not digits:
        return site.languages[0]
    if digits.isdigit() and 1 <= int(digits) <= len(site.languages):
        return site.languages[int(digits) - 1]
    return None


def _join(
    session: Session, site: Site, call: IncomingCall, language: str, secret_key: str,
    now: datetime,
) -> script.Script:  # fmt: skip
    office = site_status(session, site, now)
    session.commit()  # a read only: nothing is held while the caller listens
    if not office.office.accepts_check_ins:
        return _closed(site, office, language)
    phone = caller_number(call.from_number)
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
        return _place(earlier, place, office, language, joined=False)
    commit(session)
    try:
        joined = join_as_call_back(
            session, site, call, phone, language, urgent=False, secret_key=secret_key, now=now
        )
    except OfficeClosed:
        return _closed(site, site_status(session, site, now), language)
    except ValidationFailed:
        return script.try_again(language)
    return _place(joined.ticket, joined.place, joined.office, language, joined=joined.created)


def _place(
    ticket: Ticket, place: PlaceInLine, office: SiteStatus, language: str, *, joined: bool
) -> script.Script:
    visit = visit_of(ticket, place)
    return script.in_line(language, visit, staffing_of(office.office), joined=joined)


def _closed(site: Site, office: SiteStatus, language: str) -> script.Script:
    opens = office.office.opens_at
    if opens is None:
        return script.closed(language, None, "", "")
    same_day = local_day(opens, site.timezone) == local_day(office.at, site.timezone)
    soon = same_day and opens - office.at < timedelta(days=1)
    day = "" if soon else weekday_name(opens, site.timezone, language)
    return script.closed(language, opens, day, clock_time(opens, site.timezone, language))


__all__ = ["IncomingCall", "answer"]
