"""Queries for texts people send: whose visit a number belongs to, which site a text reached,
and each text written once however often the provider delivers it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.lifecycle import OPEN_STATUSES
from ..domain.messages import Direction, MessageKind, MessageStatus
from ..domain.segments import count_segments
from ..models import Message, Site, Ticket

_OPEN = tuple(s.value for s in OPEN_STATUSES)


def _open_with_phone(phone: str):  # type: ignore[no-untyped-def]
    # site_id IN (every site) lets both databases walk ix_ticket_queue (site, status) rather
    # than every visit ever made.
    return (
        Ticket.site_id.in_(select(Site.id)),
        Ticket.status.in_(_OPEN),
        Ticket.phone == phone,
    )


def open_ticket_for(session: Session, phone: str) -> Ticket | None:
    """The number's open visit (the latest, if it is in line at two sites)."""
    query = (
        select(Ticket)
        .where(*_open_with_phone(phone))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(1)
        # Locked (PostgreSQL): a manager or the sweep changing it meanwhile waits, instead of
        # failing this text's whole transaction at the commit.
        .with_for_update(of=Ticket)
    )
    return session.scalars(query).first()


def set_consent(session: Session, phone: str, consent: bool) -> None:
    """STOP and START: every open visit of the number stops or starts taking texts."""
    session.execute(
        update(Ticket)
        .where(*_open_with_phone(phone))
        .values(sms_opt_in=consent)
        .execution_options(synchronize_session="fetch")
    )


def site_for_number(session: Session, to_number: str) -> Site | None:
    """The site a text to `to_number` is for: the one that gives that number as its own;
    else the first site made, so that a text to a number several sites share (a crisis
    above all) always reaches an office. None only when there is no site at all."""
    own = session.scalars(
        select(Site).where(Site.sms_callback_number == to_number).order_by(Site.id).limit(1)
    ).first()
    return own or session.scalars(select(Site).order_by(Site.id).limit(1)).first()


def record_received(
    session: Session,
    sid: str,
    body: str,
    site: Site | None,
    ticket: Ticket | None,
    *,
    masked: str | None,
    language: str,
    command: str,
    now: datetime,
) -> bool:
    """Write a person's text unless one with its provider id is there already (the provider
    retries a webhook it got no answer to); True when written. `command`: what it was read
    as, kept as the row's `why`."""
    segments = count_segments(body)
    # A text that reached no site has no staff to read it: its words are not kept at all.
    kept = site is not None
    values = {
        "site_id": site.id if site else None,
        "ticket_id": ticket.id if ticket else None,
        "direction": Direction.INBOUND.value,
        "kind": MessageKind.REPLY.value,
        "language": language,
        "phone": None,
        "phone_masked": masked if kept else None,
        "body": body if kept else None,
        "segments": segments.count,
        "encoding": segments.encoding.value,
        "status": MessageStatus.RECEIVED.value,
        "attempts": 0,
        "why": command,
        "provider_sid": sid,
        "created_at": now,
        "updated_at": now,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    written = session.execute(
        insert(Message.__table__)
        .values(values)
        .on_conflict_do_nothing(index_elements=["provider_sid"])
        .returning(Message.__table__.c.id)
    )
    return written.first() is not None


# The provider retries a webhook within minutes; a signed request replayed later (its
# signature never expires) must not make a visit on another day.
RETRY_WINDOW = timedelta(hours=1)


def crisis_unfinished(session: Session, sid: str, now: datetime) -> bool:
    """Whether the crisis text with this provider id reached a site within the retry window
    but made no visit yet (its check-in failed, or was refused at a closed office)."""
    found = session.scalar(
        select(Message.id).where(
            Message.provider_sid == sid,
            Message.why == "crisis",
            Message.ticket_id.is_(None),
            Message.site_id.is_not(None),
            Message.created_at >= now - RETRY_WINDOW,
        )
    )
    session.rollback()
    return found is not None


def link_text(session: Session, sid: str, ticket: Ticket, *, answered_at: datetime) -> None:
    """A person's text, and the crisis answer written to it at `answered_at`, are now part of
    the visit it made (a crisis text's call-back)."""
    session.execute(update(Message).where(Message.provider_sid == sid).values(ticket_id=ticket.id))
    session.execute(
        update(Message)
        .where(
            Message.site_id == ticket.site_id,
            Message.ticket_id.is_(None),
            Message.kind == MessageKind.CRISIS.value,
            Message.created_at == answered_at,
        )
        .values(ticket_id=ticket.id)
    )


# SQLite: one process holds the database; its texts from one number take turns on one of
# these (striped, so the table does not grow with every number ever seen).
_STRIPES = [threading.Lock() for _ in range(64)]


@contextmanager
def one_text_at_a_time(session: Session, number_key: str) -> Iterator[None]:
    """Texts from one number are handled one after another, across the transactions a text
    may take (a JOIN or a crisis text commits, then checks the person in): two at once must
    not both find no visit and both make one. PostgreSQL: an advisory lock on a connection
    of its own, held across those transactions, for every process."""
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        with _STRIPES[int(number_key[:8], 16) % len(_STRIPES)]:
            yield
        return
    lock = func.pg_advisory_lock(func.hashtext(f"sms:{number_key}"))
    with engine.connect() as held:
        held.execute(select(lock))
        held.commit()
        try:
            yield
        finally:
            held.execute(select(func.pg_advisory_unlock(func.hashtext(f"sms:{number_key}"))))
            held.commit()
