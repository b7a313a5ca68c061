"""The site leads' report pages, server-rendered: a site's day (/console/reports), a range
of days (/console/reports/range) and every site side by side (/console/reports/sites).

The figures are the services' (services.reports, services.report_ranges: the same answers
as the JSON API), called here directly; the pages word them and draw them as SVG on the
server (chart_svg.py), so the browser computes nothing. Who may read what is the services'
rule: a case manager gets today's summary of their own site, and any other question is the
services' refusal, shown as the page's error summary with its status, never a 500.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from queue_service.clock import local_day, utcnow
from queue_service.domain.errors import DomainError, NotFound
from queue_service.domain.roles import may_follow_up, may_read_reports
from queue_service.models import Site, Staff
from queue_service.services import report_ranges, reports
from web_kernel.errors import status_for
from web_kernel.web import db_session

from . import report_range_views as ranges
from . import report_views as views
from . import report_words as words
from .auth import check_csrf
from .case_forms import day, signed_in
from .pages import render_page

report_pages = Blueprint("report_pages", __name__)
report_pages.before_request(check_csrf)

# A refusal's field, in the words of the form's label (the form's ids are report-FIELD).
FIELD_WORDS = {"date": "Date", "from": "From", "to": "To", "site": "Site"}


def refusal(refused: DomainError, session: Session) -> tuple[dict, int]:
    session.rollback()
    lines = [
        {"href": f"#report-{field}", "text": f"{FIELD_WORDS.get(field, field)}: {problem}"}
        for field, problem in refused.fields.items()
    ]
    heading = refused.message or "That report cannot be shown."
    return {"form": "report", "heading": heading, "lines": lines}, status_for(refused)


def _site_of(staff: Staff, slug: str) -> Site | None:
    return next((s for s in staff.sites if s.slug == slug), None)


def _slug(staff: Staff) -> str:
    return (request.args.get("site") or "").strip() or (staff.sites[0].slug if staff.sites else "")


def _require_a_site(slug: str) -> None:
    if not slug:
        raise NotFound("You do not work at any site yet.", fields={"site": "No site."})


def quick_periods(today: date, endpoint: str, **args: str) -> list[dict[str, Any]]:
    """This week and this month so far, last week and last month: links, made here."""
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    chosen = [
        ("This week", monday, today),
        ("Last week", monday - timedelta(days=7), monday - timedelta(days=1)),
        ("This month", first, today),
        ("Last month", last_month_end.replace(day=1), last_month_end),
    ]
    return [
        {
            "label": label,
            "from": a.isoformat(),
            "to": b.isoformat(),
            "span": words.span_words(a, b),
            "href": url_for(endpoint, **args, **{"from": a.isoformat(), "to": b.isoformat()}),
        }
        for label, a, b in chosen
    ]


def _asked_range(today: date) -> tuple[str | None, str | None]:
    """The dates asked for; with neither, this week so far."""
    first, last = (request.args.get(k, "").strip() for k in ("from", "to"))
    if not first and not last:
        return (today - timedelta(days=today.weekday())).isoformat(), today.isoformat()
    return first or None, last or None


@report_pages.get("/console/reports")
def daily_page() -> str | Response | tuple[str, int]:
    if (gate := signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()
    slug = _slug(staff)
    asked = (request.args.get("date") or "").strip()
    report, problems, status = None, None, 200
    try:
        _require_a_site(slug)
        report = reports.daily(session, staff, slug, asked or None)
    except DomainError as refused:
        problems, status = refusal(refused, session)
    site = _site_of(staff, slug)
    today = local_day(utcnow(), site.timezone) if site else None
    context: dict[str, Any] = {"site": site, "slug": slug, "asked": asked, "today": today}
    lead = may_read_reports(staff.role)
    if report is not None and today is not None:
        shown = date.fromisoformat(report["date"])
        context |= {
            "day_words": day(shown),
            "headline": views.headline(report["summary"]),
            "hours": views.hours_words(report["hours"]),
        }
        if lead:
            monday = shown - timedelta(days=shown.weekday())
            context |= {
                "charts": views.daily_charts(report, site),  # type: ignore[arg-type]
                "equity": views.equity(report),
                "csv_href": url_for(
                    "reports_api.daily", site=slug, date=report["date"], format="csv"
                ),
                "earlier_href": url_for(
                    ".daily_page", site=slug, date=(shown - timedelta(days=1)).isoformat()
                ),
                "later_href": shown < today
                and url_for(".daily_page", site=slug, date=(shown + timedelta(days=1)).isoformat()),
                "week_href": url_for(
                    ".range_page",
                    site=slug,
                    **{
                        "from": monday.isoformat(),
                        "to": min(monday + timedelta(days=6), today).isoformat(),
                    },
                ),
            }
    html = render_page(
        "console/report_daily.html",
        report=report,
        follow_up_href=_follow_up_href(staff, slug),
        problems=problems,
        lead=lead,
        own_site_filter=True,
        **context,
    )
    return html, status


@report_pages.get("/console/reports/range")
def range_page() -> str | Response | tuple[str, int]:
    if (gate := signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()
    slug = _slug(staff)
    site = _site_of(staff, slug)
    today = local_day(utcnow(), site.timezone if site else "UTC")
    first, last = _asked_range(today)
    report, problems, status = None, None, 200
    try:
        reports.require_reports(staff)
        _require_a_site(slug)
        report = report_ranges.range_report(session, staff, slug, first, last)
    except DomainError as refused:
        problems, status = refusal(refused, session)
    context: dict[str, Any] = {}
    if report is not None:
        headline, every = ranges.totals(report)
        context = {
            "period": ranges.period_words(report),
            "span": words.span_words(*ranges.span_of(report)),
            "previous_span": words.span_words(
                date.fromisoformat(report["previous"]["from"]),
                date.fromisoformat(report["previous"]["to"]),
            ),
            "headline": headline,
            "measures": every,
            "charts": ranges.trends(report) + ranges.patterns(report),
            "heatmaps": ranges.heatmaps(report),
            "csv_href": url_for(
                "reports_api.day_range",
                site=slug,
                format="csv",
                **{"from": report["from"], "to": report["to"]},
            ),
            "sites_href": url_for(".sites_page", **{"from": report["from"], "to": report["to"]}),
        }
    html = render_page(
        "console/report_range.html",
        report=report,
        follow_up_href=_follow_up_href(staff, slug),
        problems=problems,
        site=site,
        slug=slug,
        asked={"from": first or "", "to": last or ""},
        quick=quick_periods(today, ".range_page", site=slug) if site else [],
        lead=may_read_reports(staff.role),
        own_site_filter=True,
        **context,
    )
    return html, status


@report_pages.get("/console/reports/sites")
def sites_page() -> str | Response | tuple[str, int]:
    if (gate := signed_in()) is not None:
        return gate
    staff, session = current_user.staff, db_session()
    # The quick choices by the first site's calendar (the overview lists them by name).
    first_site = min(staff.sites, key=lambda s: s.name.lower(), default=None)
    today = local_day(utcnow(), first_site.timezone if first_site else "UTC")
    first, last = _asked_range(today)
    report, problems, status = None, None, 200
    try:
        report = report_ranges.overview(session, staff, first, last)
    except DomainError as refused:
        problems, status = refusal(refused, session)
    context: dict[str, Any] = {}
    if report is not None:
        span = {"from": report["from"], "to": report["to"]}
        context = {
            "period": ranges.period_words(report),
            "span": words.span_words(*ranges.span_of(report)),
            "previous_span": words.span_words(
                date.fromisoformat(report["previous"]["from"]),
                date.fromisoformat(report["previous"]["to"]),
            ),
            "rows": [
                {**row, "href": url_for(".range_page", site=row["site"], **span)}
                for row in ranges.overview_rows(report)
            ],
            "columns": [words.SHORT_WORDS[m] for m in ranges.SITE_COLUMNS],
            "csv_href": url_for("reports_api.overview", format="csv", **span),
        }
    html = render_page(
        "console/report_sites.html",
        report=report,
        problems=problems,
        asked={"from": first or "", "to": last or ""},
        quick=quick_periods(today, ".sites_page"),
        lead=may_read_reports(staff.role),
        own_site_filter=True,
        **context,
    )
    return html, status


def _follow_up_href(staff: Staff, slug: str | None) -> str | None:
    """The lead's list of urgent people nobody saw, for a figure that says some wait."""
    if slug is None or not may_follow_up(staff.role):
        return None
    return url_for("console.urgent_not_seen_page", site=slug)
