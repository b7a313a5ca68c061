"""The reports' figures, counted in the database off the indexes: a site's tickets by
service day (uq_ticket_site_day_number), its texts by time (ix_message_site_created), its
shifts by start (ix_duty_shift_site_started). Never a ticket loaded into Python.

Every function takes the sites and the local days asked for and returns plain values keyed
by (site id, day, …); services.reports puts them together. The meanings are
domain.reports'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.sql import ColumnElement

from ..domain import reports
from ..domain.lifecycle import OPEN_STATUSES, EndReason, Outcome, Status
from ..models import Ticket
from .report_sql import ReportSql
from .urgent import needs_follow_up

Key = tuple[Any, ...]


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def first_contact(raised: ColumnElement[datetime]) -> ColumnElement[datetime]:
    """An urgent person's first contact after they asked for help: a manager seeing the
    alert, or a call at or after it, whichever came first. A lead's later follow-up also
    clears the alert, but it is not a contact that day; a call made before the person
    became urgent is not one either (the latest call may be)."""
    seen = case(
        (Ticket.alert_acknowledged_at.is_not_distinct_from(Ticket.followed_up_at), None),
        else_=Ticket.alert_acknowledged_at,
    )
    called = case(
        (Ticket.first_called_at >= raised, Ticket.first_called_at),
        (Ticket.called_at >= raised, Ticket.called_at),
        else_=None,
    )
    return case(
        (seen.is_(None), called),
        (called.is_(None), seen),
        (seen < called, seen),
        else_=called,
    )


def wait_seconds(sql: ReportSql) -> ColumnElement[float]:
    return sql.seconds(Ticket.first_called_at, Ticket.created_at)


def service_seconds(sql: ReportSql) -> ColumnElement[float]:
    """A session's length; one the day close ended unrecorded has no true end to measure."""
    begun = func.coalesce(Ticket.started_at, Ticket.called_at)
    return case((_SERVED, sql.seconds(Ticket.completed_at, begun)), else_=None)


def contact_seconds(sql: ReportSql) -> ColumnElement[float]:
    raised = func.coalesce(Ticket.alert_raised_at, Ticket.created_at)
    return case((Ticket.urgent.is_(True), sql.seconds(first_contact(raised), raised)), else_=None)


# Each visit's fate, counted once (the outcome lines are the served visits').
_DAY_CLOSED = Ticket.end_reason == EndReason.DAY_CLOSED
_NOT_DAY_CLOSED = Ticket.end_reason.is_distinct_from(EndReason.DAY_CLOSED)
_COMPLETED = Ticket.status == Status.COMPLETED
_SERVED = and_(
    _COMPLETED, Ticket.outcome.not_in([Outcome.UNREACHABLE.value, Outcome.NOT_RECORDED.value])
)
FATES: dict[str, ColumnElement[bool]] = {
    "checkins": true(),
    "served": _SERVED,
    "unreachable": and_(_COMPLETED, Ticket.outcome == Outcome.UNREACHABLE),
    "not_recorded": and_(_COMPLETED, Ticket.outcome == Outcome.NOT_RECORDED),
    "no_show": and_(Ticket.status == Status.NO_SHOW, _NOT_DAY_CLOSED),
    "left": and_(Ticket.status == Status.LEFT, _NOT_DAY_CLOSED),
    "cancelled": Ticket.status == Status.CANCELLED,
    "day_closed": _DAY_CLOSED,
    "left_at_day_close": and_(Ticket.status == Status.LEFT, _DAY_CLOSED),
    "still_open": Ticket.status.in_([s.value for s in OPEN_STATUSES]),
    "urgent": Ticket.urgent.is_(True),
    "urgent_not_seen": needs_follow_up(),
    "urgent_followed_up": and_(needs_follow_up(), Ticket.followed_up_at.is_not(None)),
    "urgent_not_followed_up": and_(needs_follow_up(), Ticket.followed_up_at.is_(None)),
    "left_without_being_seen": Ticket.status == Status.LEFT,
}


def on_days(site_ids: Sequence[int], first: date, last: date) -> list[ColumnElement[bool]]:
    return [Ticket.site_id.in_(site_ids), Ticket.service_day.between(first, last)]


def fate_counts(
    sql: ReportSql, site_ids: Sequence[int], first: date, last: date, *by: Any
) -> dict[Key, dict[str, int]]:
    """Per (site, day, *by): how many checked in, and what became of them."""
    keys = [Ticket.site_id, Ticket.service_day, *by]
    rows = sql.session.execute(
        select(*keys, *[count_where(c).label(name) for name, c in FATES.items()])
        .where(*on_days(site_ids, first, last))
        .group_by(*keys)
    )
    return {
        tuple(r[: len(keys)]): dict(zip(FATES, map(int, r[len(keys) :]), strict=True)) for r in rows
    }


def counts_by(
    sql: ReportSql,
    site_ids: Sequence[int],
    first: date,
    last: date,
    column: Any,
    *,
    unnest: Any = None,
) -> dict[Key, dict[str, int]]:
    """Per (site, day): visits counted by `column`'s value (channel, language, outcome…);
    `unnest`: a row source joined to each visit (its needs)."""
    query = select(Ticket.site_id, Ticket.service_day, column, func.count()).select_from(Ticket)
    if unnest is not None:
        query = query.join(unnest, true())
    rows = sql.session.execute(
        query.where(*on_days(site_ids, first, last), column.is_not(None)).group_by(
            Ticket.site_id, Ticket.service_day, column
        )
    )
    found: dict[Key, dict[str, int]] = defaultdict(dict)
    for site_id, day, value, n in rows:
        found[(site_id, day)][str(value)] = int(n)
    return found


def need_counts(
    sql: ReportSql, site_ids: Sequence[int], first: date, last: date
) -> dict[Key, dict[str, int]]:
    """Per (site, day): visits by each need they came for (a visit may have several)."""
    need = sql.needs_of(Ticket.needs)
    return counts_by(sql, site_ids, first, last, need.c.value, unnest=need)


def visitor_counts(
    sql: ReportSql, site_ids: Sequence[int], first: date, last: date
) -> dict[Key, dict[str, int]]:
    """Per (site, day): visits by people known from an earlier day here, by people new
    here, and by people nobody could recognise (no number or code given)."""
    earlier = Ticket.__table__.alias("earlier")
    returning = (
        select(earlier.c.id)
        .where(
            earlier.c.visitor_id == Ticket.visitor_id,
            earlier.c.service_day < Ticket.service_day,
            earlier.c.site_id == Ticket.site_id,
        )
        .exists()
    )
    kind = case(
        (Ticket.visitor_id.is_(None), "not_recognised"),
        (returning, "returning"),
        else_="first_time",
    )
    return counts_by(sql, site_ids, first, last, kind)


def duration_percentiles(
    sql: ReportSql,
    site_ids: Sequence[int],
    first: date,
    last: date,
    value: Any,
    *by: Any,
    per_day: bool = True,
) -> dict[Key, dict[str, Any]]:
    """Median and 90th percentile of `value` per (site, day, *by), or per (site, *by)."""
    groups = [Ticket.site_id, *([Ticket.service_day] if per_day else []), *by]
    return sql.percentiles(value, groups, on_days(site_ids, first, last))


def wait_buckets(
    sql: ReportSql, site_ids: Sequence[int], first: date, last: date
) -> dict[Key, list[int]]:
    """Per site: how many waited within each of domain.reports.WAIT_BUCKETS."""
    wait = wait_seconds(sql)
    bucket = case(
        *[(wait < high * 60, i) for i, high in enumerate(reports.WAIT_BUCKETS[1:])],
        else_=len(reports.WAIT_BUCKETS) - 1,
    )
    rows = sql.session.execute(
        select(Ticket.site_id, bucket, func.count())
        .where(*on_days(site_ids, first, last), Ticket.first_called_at.is_not(None))
        .group_by(Ticket.site_id, bucket)
    )
    found: dict[Key, list[int]] = defaultdict(lambda: [0] * len(reports.WAIT_BUCKETS))
    for site_id, i, n in rows:
        found[(site_id,)][int(i)] = int(n)
    return found


def arrivals_by_hour(
    sql: ReportSql,
    site_id: int,
    first: date,
    last: date,
    zone: str,
    offsets: Sequence[tuple[datetime, int]],
    *,
    per_day: bool,
) -> dict[Key, int]:
    """Check-ins per (day, local hour), or per (weekday, local hour) over the range."""
    hour = sql.local_hour(Ticket.created_at, zone, offsets)
    day = Ticket.service_day if per_day else sql.weekday(Ticket.service_day)
    rows = sql.session.execute(
        select(day, hour, func.count()).where(*on_days([site_id], first, last)).group_by(day, hour)
    )
    return {(d, int(h)): int(n) for d, h, n in rows}


def wait_by_weekday_hour(
    sql: ReportSql,
    site_id: int,
    first: date,
    last: date,
    zone: str,
    offsets: Sequence[tuple[datetime, int]],
) -> dict[Key, dict[str, Any]]:
    hour = sql.local_hour(Ticket.created_at, zone, offsets)
    return sql.percentiles(
        wait_seconds(sql), [sql.weekday(Ticket.service_day), hour], on_days([site_id], first, last)
    )
