"""Each site-day's figures (domain.reports.MEASURES), for any number of sites and days at
once: a query per kind of figure for all of them, never one per day."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain import report_coverage, reports
from ..domain.office_hours import OfficeHours
from ..models import CaseEvent, Message, Site, Ticket
from ..persistence import report_moments as m
from ..persistence import report_queries as q
from ..persistence import settled_days
from ..persistence.report_sql import ReportSql
from ..persistence.unit_of_work import begin_write, commit

Row = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """Sites and the local days asked for, with what every query needs to know of them."""

    sites: Sequence[Site]
    first: date
    last: date
    now: datetime

    @property
    def ids(self) -> list[int]:
        return [s.id for s in self.sites]

    def bounds(self, site: Site) -> tuple[datetime, datetime]:
        zone = ZoneInfo(site.timezone)
        return reports.day_bounds(self.first, zone)[0], reports.day_bounds(self.last, zone)[1]

    def offsets(self, site: Site) -> list[tuple[datetime, int]]:
        return reports.utc_offsets(ZoneInfo(site.timezone), *self.bounds(site))

    @property
    def span(self) -> tuple[datetime, datetime]:
        every = [self.bounds(s) for s in self.sites]
        return min(a for a, _ in every), max(b for _, b in every)


def hours_by_site(sql: ReportSql, scope: Scope) -> dict[int, list[tuple[datetime, OfficeHours]]]:
    versions = m.hours_in_force(sql, scope.ids)
    return {
        s.id: [(v.from_at, v.hours) for v in versions.get(s.id, [])] or [(s.created_at, s.hours)]
        for s in scope.sites
    }


def day_rows(
    session: Session, scope: Scope, *, durations: bool = True
) -> dict[tuple[int, date], Row]:
    """Every (site, day) of the scope, with each of its measures (zero on a day nobody came);
    without `durations`, the days' medians may be left out (a range's totals measure its
    own). A settled day is read as it was kept; the others are counted, and a settled one
    counted now is kept (persistence.settled_days), so a month is counted once."""
    days = reports.days_between(scope.first, scope.last)
    settled = {
        (s.id, d) for s in scope.sites for d in days
        if reports.is_settled(d, ZoneInfo(s.timezone), scope.now)
    }  # fmt: skip
    kept = {k: v for k, v in settled_days.load(session, scope.ids, *_span(days)).items()
            if k in settled}  # fmt: skip
    todo = [(s, d) for s in scope.sites for d in days if (s.id, d) not in kept]
    if not todo:
        return kept
    keeping = any((s.id, d) in settled for s, d in todo)
    sites = [s for s in scope.sites if any(s is t for t, _ in todo)]
    counted = _counted_rows(
        session, Scope(sites, *_span([d for _, d in todo]), scope.now),
        durations=durations or keeping,
    )  # fmt: skip
    fresh = {(s.id, d): counted[(s.id, d)] for s, d in todo if (s.id, d) in settled}
    if fresh:
        begin_write(session)
        settled_days.keep(session, fresh, scope.now)
        commit(session)
    return {**kept, **{(s.id, d): counted[(s.id, d)] for s, d in todo}}


def _span(days: Sequence[date]) -> tuple[date, date]:
    return min(days), max(days)


def _counted_rows(
    session: Session, scope: Scope, *, durations: bool
) -> dict[tuple[int, date], Row]:
    """Every (site, day) of the scope, counted from the visits, shifts, texts and cases."""
    sql = ReportSql(session)
    first, last, ids = scope.first, scope.last, scope.ids
    fates = q.fate_counts(sql, ids, first, last)
    medians = (
        {
            "wait": q.duration_percentiles(sql, ids, first, last, q.wait_seconds(sql)),
            "service": q.duration_percentiles(sql, ids, first, last, q.service_seconds(sql)),
            "urgent_contact": q.duration_percentiles(sql, ids, first, last, q.contact_seconds(sql)),
        }
        if durations
        else {}
    )
    visitors = q.visitor_counts(sql, ids, first, last)
    crisis = q.counts_by(sql, ids, first, last, Ticket.crisis_referral)
    cases = m.case_counts(sql, ids, first, last)
    start, end = scope.span
    levels = m.levels(sql, ids, first, last, start, end, scope.now, changes_only=True)
    hours = hours_by_site(sql, scope)
    rows = {}
    for site in scope.sites:
        texts, reviews = _timed_counts(sql, scope, site, per_day=True)
        zone = ZoneInfo(site.timezone)
        for day in reports.days_between(first, last):
            key = (site.id, day)
            row: Row = {"date": day.isoformat(), **dict.fromkeys(reports.COUNTS, 0)}
            row.update({k: v for k, v in fates.get(key, {}).items() if k in row})
            row.update(visitors.get(key, {}))
            row["crisis_referrals"] = sum(crisis.get(key, {}).values())
            case_day = cases.get(key, {})
            row["cases_opened"] = case_day.get("opened", 0)
            row["cases_closed"] = case_day.get("closed", 0)
            row["cases_reviewed"] = reviews.get(day, 0)
            for name in ("sent", "delivered", "failed", "pending"):
                row[f"texts_{name}"] = texts.get(day, {}).get(name, 0)
            bounds = reports.day_bounds(day, zone)
            spans = reports.hours_on(hours[site.id], day).spans(day)
            known = (site.created_at, scope.now)
            row.update(_coverage(levels.get(site.id, []), bounds, spans, known))
            row["partial"] = bounds[1] > scope.now
            for name, found in medians.items():
                row.update(duration_fields(name, found.get(key)))
            rows[key] = row
    return rows


def duration_fields(name: str, found: dict[str, Any] | None) -> Row:
    found = found or {}
    return {
        f"{name}_median_min": reports.minutes(found.get(reports.MEDIAN)),
        f"{name}_p90_min": reports.minutes(found.get(reports.P90)),
    }


def _coverage(
    levels: Sequence[report_coverage.Level],
    bounds: tuple[datetime, datetime],
    spans: list,
    known: tuple[datetime, datetime],
) -> Row:
    """The day's coverage from the range's levels: only those around the day are looked at."""
    times = [level.at for level in levels]
    lo = max(bisect_right(times, bounds[0]) - 1, 0)
    hi = bisect_right(times, bounds[1])
    return report_coverage.coverage(levels[lo:hi], bounds, spans, known).to_json()


def _timed_counts(
    sql: ReportSql, scope: Scope, site: Site, *, per_day: bool
) -> tuple[dict[Any, dict[str, int]], dict[Any, int]]:
    """Texts and case reviews are moments, not service days: counted by the local day they
    happened on (per_day), or over the whole range (keyed None)."""
    start, end = scope.bounds(site)
    offsets = scope.offsets(site)

    def day_of(at: Any) -> Any:
        if not per_day:
            return literal(None)
        return sql.local_date(at, site.timezone, offsets)

    texts = m.text_counts(sql, site.id, start, end, day_of(Message.created_at))
    reviews = m.reviews(sql, site.id, start, end, day_of(CaseEvent.at))
    return _by_date(texts), _by_date(reviews)


def _by_date(found: dict[Any, Any]) -> dict[Any, Any]:
    """SQLite answers a date as text."""
    return {date.fromisoformat(k) if isinstance(k, str) else k: v for k, v in found.items()}


def keep_newly_settled(session: Session, now: datetime | None = None) -> int:
    """The background job (with the day close): each site's latest settled day counted and
    kept once, so the month a lead opens in the morning is read, not counted. Returns how
    many days it kept (none, once each site's latest day is kept)."""
    now = now or utcnow()
    sites = list(session.scalars(select(Site).order_by(Site.id)))
    done = 0
    for site in sites:
        zone = ZoneInfo(site.timezone)
        day = local_day(now, site.timezone)
        while not reports.is_settled(day, zone, now):
            day -= timedelta(days=1)
        if reports.day_bounds(day, zone)[1] <= site.created_at:
            continue  # the site began after it
        if not settled_days.load(session, [site.id], day, day):
            day_rows(session, Scope((site,), day, day, now))
            done += 1
    session.rollback()
    return done
