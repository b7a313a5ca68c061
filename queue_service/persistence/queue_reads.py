"""What the lobby, the ticket page and the console count: places in line, the line's order,
who is on duty and busy, and how long visits have lately taken.

Like repositories' hot paths, these statements are built once, with bound parameters.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, false, func, select, true, tuple_
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.lifecycle import BUSY_STATUSES, Status
from ..models import DutyShift, Ticket
from .duty_queries import ON_DUTY_AT_SITE
from .repositories import QUEUE_ORDER, WAITING_AT_SITE
from .staff_queries import sign_in_params

RECENT_VISITS = 20
RECENT_DAYS = 14

_COUNT_WAITING = select(func.count()).select_from(Ticket).where(*WAITING_AT_SITE)
# A place in line is counted along ix_ticket_queue, never by testing every waiting row
# against an OR (that cost grew with the line: 0.6 ms per check-in at 6,000 waiting).
_KEY = tuple_(Ticket.queued_at, Ticket.id)
_HERE = tuple_(
    bindparam("queued_at", type_=Ticket.queued_at.type), bindparam("id", type_=Ticket.id.type)
)
# Urgent people are few: count the ones who came earlier.
_AHEAD_OF_URGENT = _COUNT_WAITING.where(Ticket.urgent == true(), _KEY < _HERE)
# Everyone else: all who wait, less those who came later. For a check-in, the busiest
# case, nobody came later, and one count of the index range is all it costs.
_PLACE_OF_OTHERS = select(
    _COUNT_WAITING.scalar_subquery()
    - _COUNT_WAITING.where(Ticket.urgent == false(), _KEY > _HERE).scalar_subquery()
)
_DUTY_AND_BUSY = select(
    select(func.count()).select_from(DutyShift).where(*ON_DUTY_AT_SITE).scalar_subquery(),
    select(func.count())
    .select_from(Ticket)
    .where(Ticket.site_id == bindparam("site_id"), Ticket.status.in_(list(BUSY_STATUSES)))
    .scalar_subquery(),
)
# The office's status needs all three: one statement instead of two.
_DUTY_BUSY_AND_WAITING = _DUTY_AND_BUSY.add_columns(_COUNT_WAITING.scalar_subquery())
_RECENT_VISITS = (
    select(Ticket.called_at, Ticket.completed_at)
    .where(
        Ticket.site_id == bindparam("site_id"),
        Ticket.status == Status.COMPLETED,
        Ticket.completed_at >= bindparam("since"),
        Ticket.called_at.is_not(None),
    )
    .order_by(Ticket.completed_at.desc())
    .limit(RECENT_VISITS)
)


def position(session: Session, ticket: Ticket) -> int | None:
    """1 for the next person to be called; None when the ticket is not waiting."""
    if ticket.status != Status.WAITING:
        return None
    params = {"site_id": ticket.site_id, "queued_at": ticket.queued_at, "id": ticket.id}
    if ticket.urgent:
        return int(session.scalar(_AHEAD_OF_URGENT, params) or 0) + 1
    return int(session.scalar(_PLACE_OF_OTHERS, params) or 0)


def count_waiting(session: Session, site_id: int) -> int:
    return int(session.scalar(_COUNT_WAITING, {"site_id": site_id}) or 0)


def waiting_ids_in_order(session: Session, site_id: int) -> list[int]:
    """Everyone waiting at a site, in the order they will be served."""
    return list(
        session.scalars(
            select(Ticket.id)
            .where(Ticket.site_id == site_id, Ticket.status == Status.WAITING)
            .order_by(*QUEUE_ORDER)
        )
    )


def duty_and_busy(session: Session, site_id: int, now: datetime | None = None) -> tuple[int, int]:
    """Case managers on duty at the site, and people with a manager right now."""
    params = {"site_id": site_id, **sign_in_params(now or utcnow())}
    on_duty_count, busy = session.execute(_DUTY_AND_BUSY, params).one()
    return int(on_duty_count or 0), int(busy or 0)


def duty_busy_and_waiting(
    session: Session, site_id: int, now: datetime | None = None
) -> tuple[int, int, int]:
    """duty_and_busy, and count_waiting, read together."""
    params = {"site_id": site_id, **sign_in_params(now or utcnow())}
    on_duty_count, busy, waiting = session.execute(_DUTY_BUSY_AND_WAITING, params).one()
    return int(on_duty_count or 0), int(busy or 0), int(waiting or 0)


def recent_visit_minutes(session: Session, site_id: int, now: datetime) -> list[float]:
    """Lengths of the site's last visits, from being called to being done."""
    rows = session.execute(
        _RECENT_VISITS, {"site_id": site_id, "since": now - timedelta(days=RECENT_DAYS)}
    )
    return [(done - called).total_seconds() / 60 for called, done in rows]
