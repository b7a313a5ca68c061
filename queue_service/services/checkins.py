"""Joining the line: walk-ins at the kiosk, people on the web, and callers put in by staff."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain.checkin import CheckInRequest, SiteRules, parse_check_in
from ..domain.codes import ticket_code
from ..domain.errors import Conflict, ValidationFailed
from ..domain.events import TicketCreated, UrgentArrival
from ..domain.history import AuditAction
from ..domain.lifecycle import Action, Channel, Status
from ..domain.urgent import source_of_check_in
from ..models import Staff, Ticket
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit
from . import audit, continuity, recognition, safety, texts
from .duty import require_member
from .office import SiteStatus, site_status
from .service_day import close_earlier_days
from .views import PlaceInLine

IDEMPOTENCY_KEY_MIN = 16
IDEMPOTENCY_KEY_MAX = 200


@dataclass(frozen=True)
class CheckedIn:
    ticket: Ticket
    created: bool  # False when an Idempotency-Key retry returned the first ticket
    place: PlaceInLine
    office: SiteStatus
    # Whether a typed return code named an earlier visitor (None: none was typed, or a retry).
    return_code_found: bool | None = None


@dataclass(frozen=True)
class Coalesced:
    """An urgent request past one address's allowance (domain.urgent): no new ticket; the
    consoles get one summary, and the person gets the crisis lines."""

    office: SiteStatus


def check_in(
    session: Session,
    site_slug: str,
    data: object,
    *,
    channel: Channel = Channel.KIOSK,
    idempotency_key: str | None = None,
    by: Staff | None = None,
    origin: str | None = None,
    secret_key: str | None = None,
    now: datetime | None = None,
) -> CheckedIn | Coalesced:
    """Put a person in the site's line (`by`: the staff member who did it for them;
    `origin`: where the request came from, for the audit log and the urgent-burst rule;
    `secret_key`: the app's, required with an `idempotency_key`, to key the request's
    fingerprint).
    A refused request writes nothing; a check-in while the office is closed and nobody is on
    duty is refused as OfficeClosed (an urgent one is still noted in the audit log).

    Checked before the write lock is taken, so bad requests never queue behind good ones.
    """
    key = _check_key(idempotency_key)
    site = repositories.site_by_slug(session, site_slug)
    request = parse_check_in(
        data,
        SiteRules(site.languages, site.need_categories),
        number_is_consent=channel in (Channel.KIOSK, Channel.WEB),
    )
    if channel == Channel.PHONE and not request.phone:
        raise ValidationFailed(
            "A call-back needs a phone number.", fields={"phone": "Required for a call-back."}
        )
    fingerprint = _fingerprint(secret_key, channel, request) if key else None

    begin_write(session)
    day = local_day(now or utcnow(), site.timezone)
    if key:
        earlier = _by_key(session, site.id, day, key)
        if earlier is not None:
            return _replay(session, earlier, fingerprint, site_status(session, site, now))
    moment = now or utcnow()
    close_earlier_days(session, site, moment)
    office = site_status(session, site, moment)
    if by is None:
        if not office.office.accepts_check_ins:
            safety.refuse_closed(session, site, request.urgent, office, origin, channel.value)
        if request.urgent and origin and safety.past_allowance(session, site, origin, moment):
            return Coalesced(office)
    number = repositories.next_ticket_number(session, site.id, day)
    # Read the clock only now, under the counter's row lock: arrival times then follow the
    # order in which numbers were handed out, so two people never share a place in line.
    now = now or utcnow()
    ticket = Ticket(
        site=site,
        token=secrets.token_urlsafe(24),
        service_day=day,
        number=number,
        code=ticket_code(number),
        channel=channel.value,
        status=Status.WAITING.value,
        urgent=request.urgent,
        needs=list(request.needs),
        language=request.language,
        name=request.name,
        phone=request.phone,
        sms_opt_in=request.sms_opt_in,
        alert_unstaffed=request.urgent and not office.office.staffed_now,
        alert_raised_at=now if request.urgent else None,
        alert_via=source_of_check_in(channel).value if request.urgent else None,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        created_at=now,
        queued_at=now,
        updated_at=now,
    )
    known = None
    if secret_key:
        known = recognition.recognise(
            session, ticket, site, secret_key=secret_key, return_code=request.return_code, now=now
        )
    session.add(ticket)
    ticket.log_check_in(at=now, by=by)
    try:
        session.flush()
    except IntegrityError:
        # Only a concurrent retry with the same Idempotency-Key can collide here (PostgreSQL).
        session.rollback()
        earlier = _by_key(session, site.id, day, key) if key else None
        if earlier is None:
            raise
        return _replay(session, earlier, fingerprint, office)
    ticket.record(TicketCreated(ticket.id, site.id, ticket.urgent))
    if known is not None:
        recognition.add_keys(session, ticket, known, now)
        if known.returning:
            continuity.tell_case_manager(session, ticket, known.visitor)
    if by is not None:
        audit.record(
            session,
            by,
            AuditAction.TICKET_ADDED,
            ticket=ticket,
            detail={"channel": channel},
            at=now,
            origin=origin,
        )
    if ticket.urgent:
        ticket.record(UrgentArrival(ticket.id, site.id))
        if by is None:
            audit.record(
                session,
                None,
                AuditAction.URGENT_CHECK_IN,
                ticket=ticket,
                detail={"unstaffed": ticket.alert_unstaffed},
                at=now,
                origin=origin,
            )
    # Read in the same transaction: exact (check-ins are serialised up to here) and cheaper
    # than a second transaction after the commit. Joining the line changes neither who is
    # on duty nor who is busy: the office's figures stand.
    place = PlaceInLine.read(session, ticket, office.numbers)
    texts.checked_in(session, ticket, place, now)
    commit(session)
    return CheckedIn(
        ticket,
        created=True,
        place=place,
        office=office,
        return_code_found=known.code_matched if known else None,
    )


def add_callback(
    session: Session,
    site_slug: str,
    staff: Staff,
    data: object,
    *,
    idempotency_key: str | None = None,
    origin: str | None = None,
    secret_key: str | None = None,
    now: datetime | None = None,
) -> CheckedIn:
    """A case manager puts a phone caller in the line, to be called back (at any hour:
    a manager is there to do it)."""
    require_member(staff, repositories.site_by_slug(session, site_slug))
    result = check_in(
        session,
        site_slug,
        data,
        channel=Channel.PHONE,
        idempotency_key=idempotency_key,
        by=staff,
        origin=origin,
        secret_key=secret_key,
        now=now,
    )
    assert isinstance(result, CheckedIn)  # staff check-ins are never coalesced
    return result


def cancel_by_client(
    session: Session, token: str, *, origin: str | None = None, now: datetime | None = None
) -> Ticket:
    """The person leaves the line themselves (from their phone or the kiosk)."""
    begin_write(session)
    ticket = repositories.ticket_by_token(session, token)
    now = now or utcnow()
    before = texts.BeforeMove.of(ticket)
    ticket.apply(Action.CANCEL, at=now, by=None)
    texts.after_move(session, ticket, before, now)
    audit.record(
        session,
        None,
        AuditAction.TICKET_CANCEL,
        ticket=ticket,
        detail={"by": "visitor"},
        origin=origin,
    )
    commit(session)
    return ticket


def _check_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    # A replay returns the ticket's token, so a key must be as hard to guess as one.
    if not IDEMPOTENCY_KEY_MIN <= len(key) <= IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise ValidationFailed(
            "The idempotency key is not valid.",
            code="invalid_idempotency_key",
            fields={
                "idempotency_key": f"{IDEMPOTENCY_KEY_MIN} to {IDEMPOTENCY_KEY_MAX} printable "
                "characters; use a random UUID."
            },
        )
    return key


def _by_key(session: Session, site_id: int, day: date, key: str) -> Ticket | None:
    return session.scalar(
        select(Ticket).where(
            Ticket.site_id == site_id, Ticket.service_day == day, Ticket.idempotency_key == key
        )
    )


def _fingerprint(secret_key: str | None, channel: Channel, request: CheckInRequest) -> str:
    """An HMAC of the request, so a retry can be told from a different check-in.

    Keyed, because the request holds the phone: an unkeyed hash of it gives the number back
    to anyone who tries the few million numbers of an area code.
    """
    if not secret_key:
        raise ValueError("an Idempotency-Key check-in needs the secret key")
    message = json.dumps(["check-in", channel.value, asdict(request)], sort_keys=True)
    return hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def _replay(
    session: Session, earlier: Ticket, fingerprint: str | None, office: SiteStatus
) -> CheckedIn:
    session.rollback()
    # A closed visit's fingerprint was erased with its phone: nothing is left to compare, and
    # the key (random, and good for one service day) already names that ticket, so the
    # retry gets the ticket as it is now.
    if earlier.request_fingerprint is not None and earlier.request_fingerprint != fingerprint:
        raise Conflict(
            "This Idempotency-Key was already used for a different check-in.",
            code="idempotency_key_reused",
        )
    return CheckedIn(earlier, created=False, place=_place_in_line(session, earlier), office=office)


def _place_in_line(session: Session, ticket: Ticket) -> PlaceInLine:
    return PlaceInLine.read(session, ticket)
