"""The few things the reports ask of SQL that PostgreSQL and SQLite say differently:
durations, local hours, weekdays, the needs in a JSON list, and percentiles.

PostgreSQL knows time zones, so a local hour is `timezone(zone, at)`; SQLite does not, so
the instant is shifted by the zone's UTC offset, which changes only at the clock changes
that domain.reports.utc_offsets finds for the range asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Date, Float, Integer, and_, case, cast, extract, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, FromClause

from ..domain import reports
from ..models import UTCDateTime

_AT = UTCDateTime()


class ReportSql:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def seconds(self, later: Any, earlier: Any) -> ColumnElement[float]:
        if self.postgres:
            return cast(extract("epoch", later - earlier), Float)
        # Julian days in floating point are a few microseconds off: to the millisecond.
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)

    def local_hour(
        self, at: Any, zone: str, offsets: Sequence[tuple[datetime, int]]
    ) -> ColumnElement[int]:
        """The hour (0 to 23) on the site's clock at the instant `at`."""
        if self.postgres:
            return cast(extract("hour", func.timezone(zone, at)), Integer)
        return cast(func.strftime("%H", at, self._shift(at, offsets)), Integer)

    def local_date(
        self, at: Any, zone: str, offsets: Sequence[tuple[datetime, int]]
    ) -> ColumnElement[Any]:
        """The date on the site's clock at the instant `at` (as the service day is kept)."""
        if self.postgres:
            return cast(func.timezone(zone, at), Date)
        return func.date(at, self._shift(at, offsets))

    def _shift(self, at: Any, offsets: Sequence[tuple[datetime, int]]) -> Any:
        """SQLite's modifier that moves a UTC time onto the site's clock."""
        if len(offsets) == 1:
            return literal(f"{offsets[0][1]:+d} seconds")
        return case(
            *[
                (at < literal(start, _AT), f"{before:+d} seconds")
                for (start, _o), (_s, before) in zip(offsets[1:], offsets, strict=False)
            ],
            else_=f"{offsets[-1][1]:+d} seconds",
        )

    def weekday(self, day: Any) -> ColumnElement[int]:
        """Monday 0 … Sunday 6, of a date column."""
        sunday_first = extract("dow", day) if self.postgres else func.strftime("%w", day)
        return (cast(sunday_first, Integer) + 6) % 7

    def needs_of(self, needs: Any) -> FromClause:
        """A row per need in a ticket's JSON list (joined ON true to the ticket)."""
        if self.postgres:
            return func.json_array_elements_text(needs).table_valued("value")
        return func.json_each(needs).table_valued("value")

    def percentiles(
        self,
        value: ColumnElement[float],
        groups: Sequence[ColumnElement[Any]],
        where: Sequence[ColumnElement[bool]],
        tenths: Sequence[int] = (reports.MEDIAN, reports.P90),
        select_from: Any = None,
    ) -> dict[tuple[Any, ...], dict[str, Any]]:
        """Per group: its count and each percentile of `value`, reading only the rows at the
        ranks around each percentile (never every value)."""
        labelled = [g.label(f"g{i}") for i, g in enumerate(groups)]
        ranked_q = select(
            *labelled,
            value.label("v"),
            func.row_number().over(partition_by=list(groups) or None, order_by=value).label("rn"),
            func.count().over(partition_by=list(groups) or None).label("n"),
        ).where(*where, value.is_not(None))
        if select_from is not None:
            ranked_q = ranked_q.select_from(select_from)
        ranked = ranked_q.subquery()
        rank = ranked.c.rn - 1
        near = or_(
            *[
                and_(rank >= (ranked.c.n - 1) * t // 10, rank <= (ranked.c.n - 1) * t // 10 + 1)
                for t in tenths
            ]
        )
        keys = [ranked.c[f"g{i}"] for i in range(len(groups))]
        rows = self.session.execute(select(*keys, ranked.c.v, rank, ranked.c.n).where(near))
        found: dict[tuple[Any, ...], dict[int, float]] = defaultdict(dict)
        counts: dict[tuple[Any, ...], int] = {}
        for row in rows:
            key = tuple(row[: len(groups)])
            found[key][row[-2]] = float(row[-3])
            counts[key] = row[-1]
        return {
            key: {
                "count": counts[key],
                **{t: reports.percentile(values, counts[key], t) for t in tenths},
            }
            for key, values in found.items()
        }
