"""A person texts the office: STATUS, CANCEL, HELP, STOP/START, JOIN, or words of a crisis
(domain.sms_commands). Each text is written once (by the provider's id: a webhook the
provider retries changes nothing), and its answer goes out through the outbox like every
other text: retried, paced and shown to staff.

Nothing about the number is kept but its visit's own copy (erased when the visit closes), a
masked form for the message log, and, after STOP, a keyed hash (opt_outs.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.checkin import normalise_phone
from ..domain.errors import OfficeClosed, ValidationFailed
from ..domain.events import TicketTexted
from ..domain.history import AuditAction
from ..domain.lifecycle import Action, Channel, Status
from ..domain.messages import MessageKind
from ..domain.sms_commands import Command, read_text
from ..domain.sms_replies import (
    CANNOT_LEAVE,
    CLOSED,
    NOT_IN_LINE,
    NOT_IN_LINE_JOIN,
    RECEIVED,
    STARTED,
    STOPPED,
    help_lines,
    simple,
    staffing_of,
    status_lines,
)
from ..models import Site, Ticket
from ..persistence import inbound, opt_outs
from ..persistence.unit_of_work import begin_write, commit, publish_after_commit
from . import answers, audit, checkins, crisis_texts, texts
from .answers import Exchange
from .views import PlaceInLine

BODY_MAX = 1600  # Twilio's own limit for one message


@dataclass(frozen=True)
class IncomingText:
    sid: str  # the provider's id for it (Twilio's MessageSid)
    from_number: str
    to_number: str
    body: str


@dataclass(frozen=True)
class Handled:
    command: Command | None  # None: the provider delivered this text before; nothing done
    ticket_id: int | None = None


def receive(
    session: Session,
    text: IncomingText,
    *,
    secret_key: str,
    now: datetime | None = None,
) -> Handled:
    """Record a person's text and act on it; the answer is in the outbox on return."""
    phone = _phone(text.from_number)
    if phone is None:  # a short code or a name, not a number anyone can answer
        return _receive(session, text, None, secret_key, now)
    with inbound.one_text_at_a_time(session, opt_outs.number_key(secret_key, phone)):
        return _receive(session, text, phone, secret_key, now)


def _receive(
    session: Session, text: IncomingText, phone: str | None, secret_key: str, now: datetime | None
) -> Handled:
    now = now or utcnow()
    body = text.body[:BODY_MAX]
    reading = read_text(body)
    begin_write(session)
    ticket = inbound.open_ticket_for(session, phone) if phone else None
    site = ticket.site if ticket is not None else inbound.site_for_number(session, text.to_number)
    if not inbound.record_received(
        session, text.sid, body, site, ticket,
        masked=texts.mask(phone) if phone else None,
        language=ticket.language if ticket else (reading.language or "en"),
        command=reading.command.value, now=now,
    ):  # fmt: skip
        session.rollback()
        if reading.command == Command.CRISIS and phone:
            crisis_texts.finish_unfinished(
                Exchange(session, phone, site, None, reading.language or "en", secret_key, now,
                         text.sid)
            )  # fmt: skip
        return Handled(None)
    if ticket is not None:
        # Their card shows what they wrote, and lights up.
        publish_after_commit(session, TicketTexted(ticket.id, ticket.site_id))
    if phone is None or _from_on_call(site, ticket, phone, reading.command):
        # A work phone of the on-call rota answering an escalation is staff, not a person
        # in need: kept for the message log, and acted on by nobody ("is she safe?" must
        # not make a crisis ticket); only its STOP and START count, as the carriers say.
        commit(session)
        return Handled(reading.command)
    language = ticket.language if ticket is not None else (reading.language or "en")
    exchange = Exchange(session, phone, site, ticket, language, secret_key, now, text.sid)
    handler = _HANDLERS.get(reading.command, _other)
    handler(exchange)
    return Handled(reading.command, exchange.ticket.id if exchange.ticket else None)


def _from_on_call(
    site: Site | None, ticket: Ticket | None, phone: str | None, command: Command
) -> bool:
    if command in (Command.STOP, Command.START) or ticket is not None or site is None:
        return False
    return phone in (site.oncall_numbers or [])


def _phone(raw: str) -> str | None:
    try:
        return normalise_phone(raw)
    except ValueError:
        return None


# ---- what each command does ----


def _stop(x: Exchange) -> None:
    opt_outs.opt_out(x.session, x.secret_key, x.phone, opt_outs.OptOutSource.STOP, x.now)
    inbound.set_consent(x.session, x.phone, False)
    x.answer(simple(STOPPED), kind=MessageKind.STOPPED)
    commit(x.session)


def _start(x: Exchange) -> None:
    opt_outs.opt_in(x.session, x.secret_key, x.phone)
    inbound.set_consent(x.session, x.phone, True)
    x.answer(simple(STARTED))
    commit(x.session)


def _help(x: Exchange) -> None:
    x.answer(help_lines())
    commit(x.session)


def _status(x: Exchange) -> None:
    if x.ticket is None:
        return _not_in_line(x)
    if x.ticket.status == Status.CALLED:
        # The words of the "called" text: which desk, or that we are calling them.
        x.answer(answers.visit_lines(x.ticket, MessageKind.CALLED))
        commit(x.session)
        return
    office = x.office()
    place = PlaceInLine.read(x.session, x.ticket, office.numbers if office else None)
    staffing = staffing_of(office.office if office else None)
    x.answer(status_lines(x.ticket.code, place.position, place.wait, staffing))
    commit(x.session)


def _cancel(x: Exchange) -> None:
    ticket = x.ticket
    if ticket is None:
        return _not_in_line(x)
    if ticket.status == Status.IN_SESSION:
        x.answer(simple(CANNOT_LEAVE, code=ticket.code))
        commit(x.session)
        return
    before = texts.BeforeMove.of(ticket)
    ticket.apply(Action.CANCEL, at=x.now, by=None)
    # A visit that takes texts gets its "you left the line" from the move itself.
    texts.after_move(x.session, ticket, before, x.now)
    if before.phone is None:
        x.answer(answers.visit_lines(ticket, MessageKind.LEFT))
    audit.record(
        x.session, None, AuditAction.TICKET_CANCEL, ticket=ticket,
        detail={"by": "visitor", "via": "sms"}, at=x.now,
    )  # fmt: skip
    commit(x.session)


def _join(x: Exchange) -> None:
    site = x.site
    if site is None or not site.sms_join:
        return _other(x)
    if x.ticket is not None:
        return _status(x)
    # JOIN is a word carriers read as consent to texts (as START is).
    opt_outs.opt_in(x.session, x.secret_key, x.phone)
    commit(x.session)
    language = x.language if x.language in site.languages else site.languages[0]
    person = {"language": language, "phone": x.phone, "sms_opt_in": True}
    try:
        # Its "you are checked in" text is the answer.
        joined = checkins.check_in(
            x.session, site.slug, person, channel=Channel.SMS, secret_key=x.secret_key, now=x.now
        )
    except (OfficeClosed, ValidationFailed) as refused:
        begin_write(x.session)
        x.answer(simple(CLOSED if isinstance(refused, OfficeClosed) else NOT_IN_LINE))
        commit(x.session)
        return
    assert isinstance(joined, checkins.CheckedIn)  # not urgent: never coalesced
    x.ticket = joined.ticket


def _other(x: Exchange) -> None:
    if x.ticket is None:
        return _not_in_line(x)
    x.answer(simple(RECEIVED))
    commit(x.session)


def _not_in_line(x: Exchange) -> None:
    office = x.office()
    if office is not None and not office.office.accepts_check_ins:
        x.answer(simple(CLOSED))  # "come to the office or call us" would not be true now
    else:
        joins = x.site is not None and x.site.sms_join
        x.answer(simple(NOT_IN_LINE_JOIN if joins else NOT_IN_LINE))
    commit(x.session)


_HANDLERS = {
    Command.STOP: _stop,
    Command.START: _start,
    Command.HELP: _help,
    Command.STATUS: _status,
    Command.CANCEL: _cancel,
    Command.JOIN: _join,
    Command.CRISIS: crisis_texts.crisis,
}
