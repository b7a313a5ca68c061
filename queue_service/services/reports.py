"""The site leads' daily report: a site's day in its own time zone, every figure counted
in the database (persistence.report_queries), meanings as domain.reports has them.

Who sees what: a site lead or an administrator, any day of their own sites; a case manager,
today's summary of their own site and nothing more. Reports are counts and durations only,
so reading one is not a look at anyone (not audited, as the audit log is for people's data).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import report_coverage, reports
from ..domain.errors import Forbidden
from ..domain.roles import may_read_reports
from ..models import Site, Staff, Ticket
from ..persistence import report_moments as m
from ..persistence import report_queries as q
from ..persistence import repositories
from ..persistence.report_sql import ReportSql
from .duty import require_member
from .report_days import Scope, day_rows, duration_fields, hours_by_site

Report = dict[str, Any]


def readable_site(session: Session, reader: Staff, slug: str) -> Site:
    site = repositories.site_by_slug(session, slug)
    require_member(reader, site)
    return site


def require_reports(reader: Staff) -> None:
    if not may_read_reports(reader.role):
        raise Forbidden(
            "Reports over days and sites are for site leads and administrators.",
            code="not_allowed",
        )


def daily(
    session: Session, reader: Staff, slug: str, day_text: object, *, now: datetime | None = None
) -> Report:
    now = now or utcnow()
    site = readable_site(session, reader, slug)
    zone = ZoneInfo(site.timezone)
    today = now.astimezone(zone).date()
    day = today if day_text in (None, "") else reports.parse_day(day_text, "date")
    reports.not_after_today(day, today, "date")
    if not may_read_reports(reader.role) and day != today:
        raise Forbidden(
            "A case manager sees today's summary of their own site; earlier days are for "
            "the site lead.",
            code="not_allowed",
        )
    scope = Scope((site,), day, day, now)
    summary = day_rows(session, scope)[(site.id, day)]
    sql = ReportSql(session)
    hours = reports.hours_on(hours_by_site(sql, scope)[site.id], day)
    closure = hours.closure_on(day)
    report: Report = {
        "site": site.slug,
        "site_name": site.name,
        "date": day.isoformat(),
        "timezone": site.timezone,
        "today": day == today,
        "hours": {
            "spec": hours.weekly.spec(),
            "closed_for": closure.reason if closure else None,
            "spans": [[_clock(a, zone), _clock(b, zone)] for a, b in hours.spans(day)],
        },
        "summary": summary,
    }
    if may_read_reports(reader.role):
        report |= _detail(sql, site, day, now)
    return report


def _detail(sql: ReportSql, site: Site, day: date, now: datetime) -> Report:
    """What only the lead's full daily report has: the day hour by hour, the mixes, the
    equity tables, the distribution of waits and the line through the day."""
    ids, zone = [site.id], ZoneInfo(site.timezone)
    bounds = reports.day_bounds(day, zone)
    offsets = reports.utc_offsets(zone, *bounds)
    hourly = q.arrivals_by_hour(sql, site.id, day, day, site.timezone, offsets, per_day=True)
    key = (site.id, day)
    wait = q.wait_seconds(sql)
    levels = m.levels(sql, ids, day, day, *bounds, now).get(site.id, [])
    peak, peak_at = report_coverage.peak_line(levels, bounds)
    return {
        "checkins_by_hour": [hourly.get((day, h), 0) for h in range(24)],
        "by_channel": q.counts_by(sql, ids, day, day, Ticket.channel).get(key, {}),
        "by_language": q.counts_by(sql, ids, day, day, Ticket.language).get(key, {}),
        "by_need": q.need_counts(sql, ids, day, day).get(key, {}),
        "outcomes": q.counts_by(sql, ids, day, day, Ticket.outcome).get(key, {}),
        "crisis_referrals": q.counts_by(sql, ids, day, day, Ticket.crisis_referral).get(key, {}),
        "cases_closed_by_destination": m.case_counts(sql, ids, day, day)
        .get(key, {})
        .get("closed_by_destination", {}),
        "equity": {
            "by_language": _equity(sql, site, day, Ticket.language, wait),
            "by_channel": _equity(sql, site, day, Ticket.channel, wait),
        },
        "wait_distribution": [
            {"label": label, "count": n}
            for label, n in zip(
                reports.wait_bucket_labels(),
                q.wait_buckets(sql, ids, day, day).get((site.id,), [0] * len(reports.WAIT_BUCKETS)),
                strict=True,
            )
        ],
        "line": {
            "peak": peak,
            "peak_at": _clock(peak_at, zone) if peak_at else None,
            "samples": [
                {"at": _clock(at, zone), "waiting": n}
                for at, n in report_coverage.line_samples(levels, bounds)
            ],
        },
    }


def _equity(sql: ReportSql, site: Site, day: date, column: Any, wait: Any) -> list[Report]:
    """Wait and leaving unseen side by side for each language (or channel): a group that
    waits twice as long shows at once (language access, EO 615)."""
    ids = [site.id]
    fates = q.fate_counts(sql, ids, day, day, column)
    waits = q.duration_percentiles(sql, ids, day, day, wait, column)
    groups = []
    for (_site, _day, value), counts in sorted(fates.items(), key=lambda kv: -kv[1]["checkins"]):
        found = waits.get((site.id, day, value))
        unseen = counts["left_without_being_seen"]
        groups.append(
            {
                "group": value,
                "checkins": counts["checkins"],
                "waited": found["count"] if found else 0,
                **duration_fields("wait", found),
                "left_without_being_seen": unseen,
                "left_without_being_seen_pct": round(100 * unseen / counts["checkins"], 1),
            }
        )
    return groups


def _clock(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%H:%M")
