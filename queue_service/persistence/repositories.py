"""Queries the services share. The queue order here is domain.ordering's, written in SQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.errors import NotFound
from ..domain.lifecycle import BUSY_STATUSES, OPEN_STATUSES, Status
from ..domain.ordering import QueuedTicket
from ..models import DailyCounter, DutyShift, Site, Staff, Ticket

QUEUE_ORDER = (Ticket.urgent.desc(), Ticket.queued_at, Ticket.id)
RECENT_VISITS = 20
RECENT_DAYS = 14


def site_by_slug(session: Session, slug: str) -> Site:
    site = session.scalar(select(Site).where(Site.slug == slug))
    if site is None:
        raise NotFound(f"There is no site called {slug!r}.", code="site_not_found")
    return site


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.token == token)) if token else None
    if ticket is None:
        raise NotFound("We could not find that ticket.", code="ticket_not_found")
    return ticket


def next_ticket_number(session: Session, site_id: int, day: date) -> int:
    """Atomically take the next number of the site's day (the row lock serialises check-ins)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(DailyCounter)
        .values(site_id=site_id, service_day=day, last_number=1)
        .on_conflict_do_update(
            index_elements=[DailyCounter.site_id, DailyCounter.service_day],
            set_={"last_number": DailyCounter.last_number + 1},
        )
        .returning(DailyCounter.last_number)
    )
    return session.execute(statement).scalar_one()


def position(session: Session, ticket: Ticket) -> int | None:
    """1 for the next person to be called; None when the ticket is not waiting."""
    if ticket.status != Status.WAITING:
        return None
    earlier = or_(
        Ticket.queued_at < ticket.queued_at,
        and_(Ticket.queued_at == ticket.queued_at, Ticket.id < ticket.id),
    )
    if ticket.urgent:
        ahead = and_(Ticket.urgent.is_(True), earlier)
    else:
        ahead = or_(Ticket.urgent.is_(True), earlier)
    count = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.site_id == ticket.site_id, Ticket.status == Status.WAITING, ahead)
    )
    return int(count or 0) + 1


def waiting_queue(session: Session, site_id: int, limit: int = 500) -> list[QueuedTicket]:
    rows = session.execute(
        select(Ticket.id, Ticket.urgent, Ticket.queued_at, Ticket.language)
        .where(Ticket.site_id == site_id, Ticket.status == Status.WAITING)
        .order_by(*QUEUE_ORDER)
        .limit(limit)
    )
    return [QueuedTicket(id=r[0], urgent=r[1], queued_at=r[2], language=r[3]) for r in rows]


def open_tickets(session: Session, site_id: int) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.site_id == site_id, Ticket.status.in_(list(OPEN_STATUSES)))
            .order_by(*QUEUE_ORDER)
        )
    )


def claim_if_waiting(session: Session, ticket_id: int) -> Ticket | None:
    """Lock the ticket if it is still waiting; a ticket another manager holds is skipped."""
    return session.scalar(
        select(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == Status.WAITING)
        .with_for_update(skip_locked=True, of=Ticket)
        .execution_options(populate_existing=True)
    )


def open_shift(session: Session, staff_id: int) -> DutyShift | None:
    return session.scalar(
        select(DutyShift).where(DutyShift.staff_id == staff_id, DutyShift.ended_at.is_(None))
    )


def on_duty(session: Session, site_id: int) -> list[DutyShift]:
    return list(
        session.scalars(
            select(DutyShift)
            .where(DutyShift.site_id == site_id, DutyShift.ended_at.is_(None))
            .order_by(DutyShift.started_at)
        )
    )


def managers_on_duty_count(session: Session, site_id: int) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(DutyShift)
        .where(DutyShift.site_id == site_id, DutyShift.ended_at.is_(None))
    )
    return int(count or 0)


def busy_count(session: Session, site_id: int) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.site_id == site_id, Ticket.status.in_(list(BUSY_STATUSES)))
    )
    return int(count or 0)


def recent_visit_minutes(session: Session, site_id: int, now: datetime) -> list[float]:
    """Lengths of the site's last visits, from being called to being done."""
    rows = session.execute(
        select(Ticket.called_at, Ticket.completed_at)
        .where(
            Ticket.site_id == site_id,
            Ticket.status == Status.COMPLETED,
            Ticket.completed_at >= now - timedelta(days=RECENT_DAYS),
            Ticket.called_at.is_not(None),
        )
        .order_by(Ticket.completed_at.desc())
        .limit(RECENT_VISITS)
    )
    return [(done - called).total_seconds() / 60 for called, done in rows]


def staff_by_email(session: Session, email: str) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
