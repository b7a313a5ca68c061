"""The reports' figures that are moments rather than visits of a service day: texts, case
reviews and changes, the hours in force over time, and the line and the duty desk through
the day (the sweep behind coverage). Counted in the database, as report_queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, text

from ..domain import report_coverage
from ..domain.cases import CaseEventKind, CaseStatus
from ..domain.messages import Direction, MessageStatus
from ..models import CaseEvent, CriticalNeedCase, DutyShift, Message, SiteHours, Ticket
from .report_queries import Key, count_where, on_days
from .report_sql import ReportSql


def text_counts(
    sql: ReportSql, site_id: int, start: datetime, end: datetime, day_of: Any
) -> dict[Any, dict[str, int]]:
    """Per local day (`day_of`: a text's time as its local day, in SQL; or a constant for
    the whole range): texts sent, delivered, failed, waiting to go, held back, received."""
    status = Message.status
    out = Message.direction == Direction.OUTBOUND
    figures = {
        "sent": and_(out, status.in_([MessageStatus.SENT, MessageStatus.DELIVERED])),
        "delivered": and_(out, status == MessageStatus.DELIVERED),
        "failed": and_(out, status.in_([MessageStatus.FAILED, MessageStatus.UNDELIVERED])),
        "pending": and_(out, status.in_([MessageStatus.QUEUED, MessageStatus.SENDING])),
        "suppressed": and_(out, status == MessageStatus.SUPPRESSED),
        "received": Message.direction == Direction.INBOUND,
    }
    rows = sql.session.execute(
        select(day_of, *[count_where(c) for c in figures.values()])
        .where(Message.site_id == site_id, Message.created_at >= start, Message.created_at < end)
        .group_by(day_of)
    )
    return {r[0]: dict(zip(figures, map(int, r[1:]), strict=True)) for r in rows}


def reviews(
    sql: ReportSql, site_id: int, start: datetime, end: datetime, day_of: Any
) -> dict[Any, int]:
    """Case reviews recorded per local day (`day_of` as for text_counts)."""
    rows = sql.session.execute(
        select(day_of, func.count())
        .select_from(CaseEvent)
        .join(CriticalNeedCase, CriticalNeedCase.id == CaseEvent.case_id)
        .where(CriticalNeedCase.site_id == site_id, CaseEvent.kind == CaseEventKind.REVIEWED)
        .where(CaseEvent.at >= start, CaseEvent.at < end)
        .group_by(day_of)
    )
    return {day: int(n) for day, n in rows}


def hours_in_force(sql: ReportSql, site_ids: Sequence[int]) -> dict[int, list[SiteHours]]:
    """Each site's hours over time, oldest first (a handful of rows per site)."""
    found: dict[int, list[SiteHours]] = defaultdict(list)
    for row in sql.session.scalars(
        select(SiteHours)
        .where(SiteHours.site_id.in_(site_ids))
        .order_by(SiteHours.from_at, SiteHours.id)
    ):
        found[row.site_id].append(row)
    return found


def levels(
    sql: ReportSql,
    site_ids: Sequence[int],
    first: date,
    last: date,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    changes_only: bool = False,
) -> dict[int, list[report_coverage.Level]]:
    """Per site: from each moment on, how many waited and how many were on duty (between
    `start` and `end`): a sweep over the moments anyone began or stopped waiting, or began
    or ended a shift, summed by a window in the database."""
    t0, t1 = literal(start, Ticket.created_at.type), literal(end, Ticket.created_at.type)

    def clip(at: Any) -> Any:
        return case((at < t0, t0), (at > t1, t1), else_=at)

    waited_until = func.coalesce(
        Ticket.first_called_at,
        Ticket.left_at,
        Ticket.cancelled_at,
        Ticket.completed_at,
        literal(now, Ticket.created_at.type),
    )
    # A visit of the day before may still be waiting after midnight (a late office, a
    # 24-hour one): its waiting counts on the day it goes on into.
    days = on_days(site_ids, first - timedelta(days=1), last)
    shift_end = func.coalesce(DutyShift.ended_at, literal(now, Ticket.created_at.type))
    shifts = [
        DutyShift.site_id.in_(site_ids),
        DutyShift.started_at < t1,
        shift_end > t0,
    ]
    moves = (
        select(
            Ticket.site_id.label("s"),
            clip(Ticket.created_at).label("t"),
            literal(1).label("w"),
            literal(0).label("d"),
        )
        .where(*days)
        .union_all(
            select(Ticket.site_id, clip(waited_until), literal(-1), literal(0)).where(*days),
            select(DutyShift.site_id, clip(DutyShift.started_at), literal(0), literal(1)).where(
                *shifts
            ),
            select(DutyShift.site_id, clip(shift_end), literal(0), literal(-1)).where(*shifts),
        )
        .subquery()
    )
    ordered = {"partition_by": moves.c.s, "order_by": moves.c.t}
    summed = select(
        moves.c.s,
        moves.c.t,
        func.sum(moves.c.w).over(**ordered).label("waiting"),
        func.sum(moves.c.d).over(**ordered).label("on_duty"),
    ).subquery()
    query = select(summed.c.s, summed.c.t, summed.c.waiting, summed.c.on_duty).distinct()
    if changes_only:
        # Only whether anyone waits and anyone is on duty, and only where that changes: a
        # month of a busy office is then a few rows a day, not two per visit.
        state = case((summed.c.waiting > 0, 2), else_=0) + case((summed.c.on_duty > 0, 1), else_=0)
        states = select(summed.c.s, summed.c.t, state.label("state")).distinct().subquery()
        before = func.lag(states.c.state).over(partition_by=states.c.s, order_by=states.c.t)
        marked = select(states, before.label("before")).subquery()
        query = select(marked.c.s, marked.c.t, marked.c.state / 2, marked.c.state % 2).where(
            or_(marked.c.before.is_(None), marked.c.before != marked.c.state)
        )
    rows = sql.session.execute(query.order_by(text("1"), text("2")))
    found: dict[int, list[report_coverage.Level]] = defaultdict(list)
    for site_id, at, waiting, on_duty in rows:
        found[site_id].append(report_coverage.Level(_aware(at), int(waiting), int(on_duty)))
    return found


def case_counts(
    sql: ReportSql, site_ids: Sequence[int], first: date, last: date
) -> dict[Key, dict[str, Any]]:
    """Per (site, day): cases opened, closed, and closed by destination."""
    found: dict[Key, dict[str, Any]] = defaultdict(
        lambda: {"opened": 0, "closed": 0, "closed_by_destination": {}}
    )
    c = CriticalNeedCase
    for site_id, day, n in sql.session.execute(
        select(c.site_id, c.opened_on, func.count())
        .where(c.site_id.in_(site_ids), c.opened_on.between(first, last))
        .group_by(c.site_id, c.opened_on)
    ):
        found[(site_id, day)]["opened"] = int(n)
    for site_id, day, destination, n in sql.session.execute(
        select(c.site_id, c.closed_on, c.destination, func.count())
        .where(c.site_id.in_(site_ids), c.status == CaseStatus.CLOSED)
        .where(c.closed_on.between(first, last))
        .group_by(c.site_id, c.closed_on, c.destination)
    ):
        entry = found[(site_id, day)]
        entry["closed"] += int(n)
        entry["closed_by_destination"][destination or "not_given"] = int(n)
    return found


def _aware(at: Any) -> datetime:
    return Ticket.created_at.type.process_result_value(at, None)  # type: ignore[no-any-return]
