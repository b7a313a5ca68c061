"""Texts about a visit, written to the outbox inside the transaction of the change that calls
for them (the check-in, the call, leaving the line, the office about to close), so a text
exists exactly when its change committed. The sender sends them after the commit.

Only to a number that opted in. Each kind at most once per visit (the outbox's unique index).
These functions never commit: the service that made the change does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.events import TicketTexted
from ..domain.lifecycle import OPEN_STATUSES, Status
from ..domain.messages import Direction, MessageKind, MessageStatus, is_callback, kind_after_move
from ..domain.segments import count_segments
from ..domain.sms_wording import Facts, render
from ..domain.urgent import AlertSource
from ..models import Site, Ticket
from ..notifications.catalogs import clock_time, gettext_for
from ..persistence import outbox
from ..persistence.unit_of_work import publish_after_commit
from .office import SiteStatus
from .views import PlaceInLine


@dataclass(frozen=True)
class BeforeMove:
    """What a move may erase: a visit that ends loses its number (and its consent) at once,
    but its confirmation text still needs them."""

    phone: str | None
    waiting: bool

    @classmethod
    def of(cls, ticket: Ticket) -> BeforeMove:
        return cls(ticket.phone if ticket.sms_opt_in else None, ticket.status == Status.WAITING)


def checked_in(session: Session, ticket: Ticket, place: PlaceInLine, now: datetime) -> None:
    """The person joined the line: their code, place, wait and how to reply. Not for someone
    who joined by writing words of a crisis: the crisis lines were their answer, and a wait
    with how to leave the line is the last thing they need to read."""
    phone = BeforeMove.of(ticket).phone
    if phone is None or (ticket.urgent and ticket.alert_via == AlertSource.TEXT):
        return
    facts = facts_for(ticket, MessageKind.CHECKED_IN, place=place.position, minutes=place.wait)
    _write(session, ticket, phone, facts, now)
    if place.position is not None and place.position <= ticket.site.sms_almost_turn_ahead + 1:
        # Their first text already says how near the front they are: "almost your turn"
        # would only repeat it. Kept (suppressed) so it is not sent later either.
        almost = facts_for(ticket, MessageKind.ALMOST_TURN, place=place.position)
        _write(session, ticket, phone, almost, now, suppressed="told_at_check_in")


def after_move(session: Session, ticket: Ticket, before: BeforeMove, now: datetime) -> None:
    """A ticket moved: the text its new status calls for, and, when it left the line, the
    people who are now almost up."""
    # Not flushed here: a ticket another transaction changed meanwhile must fail at the
    # service's commit, as the Conflict it is, not in a query of ours.
    with session.no_autoflush:
        kind = kind_after_move(ticket.status_enum, ticket.end_reason)
        if kind is not None and before.phone is not None:
            _write(session, ticket, before.phone, facts_for(ticket, kind), now)
        if ticket.status_enum not in OPEN_STATUSES and before.phone is not None:
            outbox.suppress_the_rest(session, ticket.id, now, keep=kind)
        if before.waiting and ticket.status != Status.WAITING:
            almost_turn(session, ticket.site, now, besides=ticket.id)


def day_closed(session: Session, ticket: Ticket, now: datetime) -> None:
    """The service day ended the visit: nothing to say (the ticket page tells why), and the
    texts still waiting to go are no longer true."""
    with session.no_autoflush:
        outbox.suppress_the_rest(session, ticket.id, now, keep=None)


def almost_turn(session: Session, site: Site, now: datetime, *, besides: int | None = None) -> None:
    """Everyone with at most the site's number of people ahead who has not been told yet.
    `besides`: a ticket that just left the line (its change is not flushed yet)."""
    first = site.sms_almost_turn_ahead + 1
    found = outbox.in_line_not_yet_told(
        session, site.id, MessageKind.ALMOST_TURN, first=first, besides=besides
    )
    for ticket, place in found:
        facts = facts_for(ticket, MessageKind.ALMOST_TURN, place=place)
        _write(session, ticket, _number(ticket), facts, now)


def closing_time(session: Session, found: SiteStatus, now: datetime) -> None:
    """From 30 minutes before closing: each person waiting who may not be seen today is
    told when the office closes (by the sweep, once a minute; once per visit)."""
    closes_at = found.office.closes_at
    if not found.closing_soon or closes_at is None:
        return
    site, minutes_left = found.site, found.office.minutes_to_close(now) or 0
    for ticket, place in outbox.in_line_not_yet_told(session, site.id, MessageKind.CLOSING):
        wait = found.numbers.wait_for(place) if found.office.staffed_now else None
        if wait is not None and wait <= minutes_left:
            continue  # they will be seen: no reason to worry them
        when = clock_time(closes_at, site.timezone, ticket.language)
        facts = facts_for(ticket, MessageKind.CLOSING, place=place, closes_at=when)
        _write(session, ticket, _number(ticket), facts, now)


def _number(ticket: Ticket) -> str:
    assert ticket.phone is not None  # the queries take only tickets with one
    return ticket.phone


def mask(phone: str) -> str:
    """The number as staff see it in the message log: its last four digits."""
    return "•••" + "".join(c for c in phone if c.isdigit())[-4:]


def facts_for(ticket: Ticket, kind: MessageKind, **known: object) -> Facts:
    """What a text of `kind` about this visit may say (and an answer that says the same)."""
    return Facts(
        kind=kind,
        code=ticket.code,
        callback=is_callback(ticket.channel),
        desk=ticket.desk,
        callback_number=ticket.site.sms_callback_number,
        **known,  # type: ignore[arg-type]
    )


def _write(
    session: Session,
    ticket: Ticket,
    phone: str,
    facts: Facts,
    now: datetime,
    *,
    suppressed: str | None = None,
) -> None:
    publish_after_commit(session, TicketTexted(ticket.id, ticket.site_id))
    body = render(facts, ticket.language, gettext_for(ticket.language), ticket.site.sms_sender_name)
    segments = count_segments(body)
    outbox.add_once(
        session,
        {
            "site_id": ticket.site_id,
            "ticket_id": ticket.id,
            "direction": Direction.OUTBOUND.value,
            "kind": facts.kind.value,
            "language": ticket.language,
            "phone": None if suppressed else phone,
            "phone_masked": mask(phone),
            "body": body,
            "segments": segments.count,
            "encoding": segments.encoding.value,
            "status": (MessageStatus.SUPPRESSED if suppressed else MessageStatus.QUEUED).value,
            "attempts": 0,
            "next_attempt_at": None if suppressed else now,
            "why": suppressed,
            "created_at": now,
            "updated_at": now,
        },
    )
