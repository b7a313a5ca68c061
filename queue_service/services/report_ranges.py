"""Weeks, months and sites side by side: the range report of one site (its days, weekday
and hour patterns, the weekday by hour heatmaps) and the overview of every site a lead
works at, each measure beside the previous period of the same length."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain import reports
from ..models import Site, Staff
from ..persistence import report_queries as q
from ..persistence.report_sql import ReportSql
from .report_days import Row, Scope, day_rows, duration_fields
from .reports import readable_site, require_reports

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def range_report(
    session: Session, reader: Staff, slug: str, first: object, last: object,
    *, now: datetime | None = None,
) -> dict[str, Any]:  # fmt: skip
    require_reports(reader)
    site = readable_site(session, reader, slug)
    start, end = reports.parse_range(first, last)
    now = now or utcnow()
    reports.not_after_today(end, local_day(now, site.timezone), "to")
    scope = Scope((site,), start, end, now)
    rows = day_rows(session, scope)
    days = [rows[(site.id, d)] for d in reports.days_between(start, end)]
    totals = _totals(session, scope, rows)[site.id]
    before = _previous(session, scope)[site.id]
    return {
        "site": site.slug,
        "site_name": site.name,
        "timezone": site.timezone,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "previous": _previous_dates(start, end),
        "days": days,
        "partial": days[-1]["partial"],  # it ends today: the figures so far
        "totals": totals,
        "change": {m: reports.change(totals[m], before[m]) for m in reports.MEASURES},
        **_patterns(session, scope, site, days),
    }


def overview(
    session: Session, reader: Staff, first: object, last: object, *, now: datetime | None = None
) -> dict[str, Any]:
    """Every site the reader works at, over the same days, side by side."""
    require_reports(reader)
    start, end = reports.parse_range(first, last)
    sites = sorted(reader.sites, key=lambda s: s.name.lower())
    now = now or utcnow()
    # Today where it is latest: no site's range runs past its own today by more than that.
    latest = max((local_day(now, s.timezone) for s in sites), default=now.date())
    reports.not_after_today(end, latest, "to")
    scope = Scope(sites, start, end, now)
    totals = _totals(session, scope, day_rows(session, scope, durations=False)) if sites else {}
    before = _previous(session, scope) if sites else {}
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "previous": _previous_dates(start, end),
        "sites": [
            {
                "site": s.slug,
                "site_name": s.name,
                "totals": totals[s.id],
                "change": {
                    m: reports.change(totals[s.id][m], before[s.id][m]) for m in reports.MEASURES
                },
            }
            for s in sites
        ],
    }


def _previous_dates(start: date, end: date) -> dict[str, str]:
    first, last = reports.previous_period(start, end)
    return {"from": first.isoformat(), "to": last.isoformat()}


def _previous(session: Session, scope: Scope) -> dict[int, Row]:
    first, last = reports.previous_period(scope.first, scope.last)
    earlier = Scope(scope.sites, first, last, scope.now)
    return _totals(session, earlier, day_rows(session, earlier, durations=False))


def _totals(session: Session, scope: Scope, rows: dict[tuple[int, date], Row]) -> dict[int, Row]:
    """Each site's counts added up over its days, and its durations over all its visits."""
    sql = ReportSql(session)
    args = (sql, scope.ids, scope.first, scope.last)
    durations = {
        "wait": q.duration_percentiles(*args, q.wait_seconds(sql), per_day=False),
        "service": q.duration_percentiles(*args, q.service_seconds(sql), per_day=False),
        "urgent_contact": q.duration_percentiles(*args, q.contact_seconds(sql), per_day=False),
    }
    found = {}
    for site in scope.sites:
        total: Row = reports.add_up(row for (sid, _d), row in rows.items() if sid == site.id)
        for name, by_site in durations.items():
            total.update(duration_fields(name, by_site.get((site.id,))))
        found[site.id] = total
    return found


def _patterns(session: Session, scope: Scope, site: Site, days: list[Row]) -> dict[str, Any]:
    """Averages by weekday and by hour, and the weekday by hour heatmaps: arrivals per day
    of that weekday, and the median wait of the visits that arrived in that hour."""
    sql = ReportSql(session)
    offsets = scope.offsets(site)
    arrivals = q.arrivals_by_hour(
        sql, site.id, scope.first, scope.last, site.timezone, offsets, per_day=False
    )
    waits = q.wait_by_weekday_hour(sql, site.id, scope.first, scope.last, site.timezone, offsets)
    # Averages are over the days the office was open (or anyone came): a holiday or a
    # weekend is not a quiet day, and it would halve a Thursday's average.
    weekday_days = Counter(
        date.fromisoformat(d["date"]).weekday() for d in days if reports.was_open(d)
    )
    every_day = sum(weekday_days.values())

    def per_day(n: float, days: int) -> float:
        return round(n / days, 1) if days else 0.0

    heat_arrivals = [
        [per_day(arrivals.get((wd, h), 0), weekday_days[wd]) for h in range(24)] for wd in range(7)
    ]
    heat_waits = [
        [reports.minutes((waits.get((wd, h)) or {}).get(reports.MEDIAN)) for h in range(24)]
        for wd in range(7)
    ]
    return {
        "by_weekday": [
            {
                "weekday": WEEKDAYS[wd],
                "days": weekday_days[wd],
                "checkins_per_day": per_day(
                    sum(arrivals.get((wd, h), 0) for h in range(24)), weekday_days[wd]
                ),
            }
            for wd in range(7)
        ],
        "by_hour": [
            per_day(sum(arrivals.get((wd, h), 0) for wd in range(7)), every_day) for h in range(24)
        ],
        "heatmap": {
            "weekdays": list(WEEKDAYS),
            "arrivals": heat_arrivals,
            "wait_median_min": heat_waits,
        },
    }
