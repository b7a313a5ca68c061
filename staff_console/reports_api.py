"""The reports' JSON and CSV API (the contract's `reports/daily`, `reports/range` and
`reports/overview`): site leads and administrators at their own sites; a case manager, the
day's summary of their own site."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask.blueprints import Blueprint
from flask_login import login_required

from queue_service.domain.errors import ValidationFailed
from queue_service.services import report_csv, report_ranges, reports
from web_kernel.web import db_session

from .auth import check_csrf, signed_in_staff

reports_api = Blueprint("reports_api", __name__, url_prefix="/api/v1")
reports_api.before_request(check_csrf)


@reports_api.get("/sites/<site>/reports/daily")
@login_required
def daily(site: str) -> Response:
    wants_csv = _wants_csv()
    report = reports.daily(db_session(), signed_in_staff(), site, request.args.get("date"))
    if wants_csv:
        return _csv(report_csv.daily_csv(report), f"daily-{report['site']}-{report['date']}")
    return jsonify({"report": report})


@reports_api.get("/sites/<site>/reports/range")
@login_required
def day_range(site: str) -> Response:
    wants_csv = _wants_csv()
    report = report_ranges.range_report(
        db_session(), signed_in_staff(), site, request.args.get("from"), request.args.get("to")
    )
    if wants_csv:
        name = f"range-{report['site']}-{report['from']}-to-{report['to']}"
        return _csv(report_csv.range_csv(report), name)
    return jsonify({"report": report})


@reports_api.get("/reports/overview")
@login_required
def overview() -> Response:
    wants_csv = _wants_csv()
    report = report_ranges.overview(
        db_session(), signed_in_staff(), request.args.get("from"), request.args.get("to")
    )
    if wants_csv:
        name = f"overview-{report['from']}-to-{report['to']}"
        return _csv(report_csv.overview_csv(report), name)
    return jsonify({"report": report})


def _wants_csv() -> bool:
    wanted = request.args.get("format") or "json"
    if wanted not in ("json", "csv"):
        raise ValidationFailed(
            "Ask for json or csv.", code="invalid_query", fields={"format": "json or csv."}
        )
    return wanted == "csv"


def _csv(body: str, name: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
