"""The outbox's queries: writing a text at most once, and claiming the next one to send so
that however many sender processes run, each text is taken by one.

Claims run inside begin_write(): on SQLite the write lock already makes them one at a time;
on PostgreSQL the sending number's pace row is locked (FOR UPDATE) and the text itself is
taken with FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, bindparam, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.lifecycle import Status
from ..domain.messages import ENDS_WITH_THE_VISIT, MessageKind, MessageStatus
from ..models import Message, SmsPace, Ticket
from .repositories import QUEUE_ORDER, WAITING_AT_SITE

# The first few in line, read off ix_ticket_queue: a handful of rows however long the line
# (a call asks it on the hot path; ranking everyone waiting cost a third of a call-next).
# Each row says whether that person is still to be told: evaluated for those few rows only.
_TO_TELL = (
    Ticket.sms_opt_in.is_(True)
    & Ticket.phone.is_not(None)
    & ~exists().where(Message.ticket_id == Ticket.id, Message.kind == bindparam("kind"))
)
HEAD_OF_LINE = (
    select(Ticket.id, _TO_TELL.label("to_tell"))
    .where(*WAITING_AT_SITE, Ticket.id != bindparam("besides"))
    .order_by(*QUEUE_ORDER)
    .limit(bindparam("first", type_=Integer))
)
_TICKETS = select(Ticket).where(Ticket.id.in_(bindparam("ids", expanding=True)))


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# Built once per dialect, as Core statements on the table: a text is written on most calls,
# and building an ORM insert from its values each time cost a tenth of a call-next.
_ADD_ONCE = {
    name: insert(Message.__table__).on_conflict_do_nothing().returning(Message.__table__.c.id)
    for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


def add_once(session: Session, values: dict[str, Any]) -> bool:
    """Write a text unless this visit already has one of its kind; True when written.

    ON CONFLICT DO NOTHING rather than a check first: two transactions on PostgreSQL (two
    managers calling two people at once) may both decide a third person is almost up, and
    the loser must neither fail its manager's change nor text the person twice.
    """
    written = _ADD_ONCE["postgresql" if _is_postgres(session) else "sqlite"]
    return session.execute(written, values).first() is not None


def in_line_not_yet_told(
    session: Session,
    site_id: int,
    kind: MessageKind,
    *,
    first: int | None = None,
    besides: int | None = None,
) -> list[tuple[Ticket, int]]:
    """The people waiting at a site who take texts and have no text of `kind` yet, each with
    their place (1 = next), among the first `first` in line (or all of it).
    `besides`: a ticket leaving the line in this transaction."""
    if first is not None:
        params = {"site_id": site_id, "besides": besides or 0, "first": first, "kind": kind.value}
        head = session.execute(HEAD_OF_LINE, params).all()
        place = {row.id: n for n, row in enumerate(head, 1) if row.to_tell}
        if not place:  # the usual answer: one statement, nobody to text
            return []
        found = session.scalars(_TICKETS, {"ids": list(place)})
        return sorted(((ticket, place[ticket.id]) for ticket in found), key=lambda t: t[1])
    # The closing-time sweep (once a minute) asks about everyone waiting.
    waiting = select(
        Ticket.id.label("id"), func.row_number().over(order_by=QUEUE_ORDER).label("place")
    ).where(Ticket.site_id == site_id, Ticket.status == Status.WAITING.value)
    if besides is not None:
        waiting = waiting.where(Ticket.id != besides)
    ranked = waiting.subquery()
    told = exists().where(Message.ticket_id == Ticket.id, Message.kind == kind.value)
    query = (
        select(Ticket, ranked.c.place)
        .join(ranked, ranked.c.id == Ticket.id)
        .where(Ticket.sms_opt_in.is_(True), Ticket.phone.is_not(None), ~told)
        .order_by(ranked.c.place)
    )
    return [(ticket, int(place)) for ticket, place in session.execute(query)]


def pace_row(session: Session, number: str, now: datetime, pace: timedelta) -> SmsPace:
    """The sending number's pacing, locked for this transaction (made on first use)."""
    insert = pg_insert if _is_postgres(session) else sqlite_insert
    session.execute(
        insert(SmsPace)
        .values(number=number, next_at=now, pace_ms=int(pace.total_seconds() * 1000))
        .on_conflict_do_nothing()
    )
    return session.scalars(
        select(SmsPace)
        .where(SmsPace.number == number)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def anything_to_do(session: Session, now: datetime) -> bool:
    """Whether a text is due, or a claim has run out: read without a lock, so an idle
    sender never takes SQLite's write lock from the people checking in."""
    due = (Message.status == MessageStatus.QUEUED.value) & (Message.next_attempt_at <= now)
    stuck = (Message.status == MessageStatus.SENDING.value) & (Message.claimed_until < now)
    return session.scalar(select(Message.id).where(due | stuck).limit(1)) is not None


def next_due(session: Session, now: datetime) -> Message | None:
    """The oldest queued text that is due, locked; None when none is."""
    query = (
        select(Message)
        .where(
            Message.status == MessageStatus.QUEUED.value,
            Message.next_attempt_at <= now,
        )
        .order_by(Message.next_attempt_at, Message.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if _is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def suppress_the_rest(session: Session, ticket_id: int, now: datetime, keep: str | None) -> None:
    """A visit closed: its texts still waiting to go are no longer true, and their copies of
    the number go now, with the visit's own (all but `keep`, the closing confirmation)."""
    # Only the visit's own texts: an answer to the person's text is true however the visit
    # ended (a crisis answer above all).
    query = update(Message).where(
        Message.ticket_id == ticket_id,
        Message.status == MessageStatus.QUEUED.value,
        Message.kind.in_(ENDS_WITH_THE_VISIT),
    )
    if keep is not None:
        query = query.where(Message.kind != keep)
    session.execute(
        query.values(
            status=MessageStatus.SUPPRESSED.value, why="no_longer_true", phone=None, updated_at=now
        ).execution_options(synchronize_session=False)
    )


def give_up_interrupted(session: Session, now: datetime) -> list[tuple[int, int]]:
    """Texts a sender claimed and never finished (its process died mid-send): they may have
    gone out, so they are failed for staff to see, never sent again. Their visits' (ticket,
    site) ids, for the consoles."""
    result = session.execute(
        update(Message)
        .where(Message.status == MessageStatus.SENDING.value, Message.claimed_until < now)
        .values(status=MessageStatus.FAILED.value, why="interrupted", phone=None, updated_at=now)
        .returning(Message.ticket_id, Message.site_id)
        .execution_options(synchronize_session=False)
    )
    return [(t, s) for t, s in result.all() if t is not None and s is not None]
