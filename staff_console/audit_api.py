"""The audit log's JSON API (admins): `GET /api/v1/audit`, and `&format=csv` to export."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request, stream_with_context
from flask_login import login_required

from queue_service.domain.errors import ValidationFailed
from queue_service.services import audit, audit_csv, views
from queue_service.services.audit_query import AuditQuery
from web_kernel.web import db_session

from .auth import check_csrf, signed_in_staff

audit_api = Blueprint("audit_api", __name__, url_prefix="/api/v1")
audit_api.before_request(check_csrf)


@audit_api.get("/audit")
@login_required
def audit_log() -> Response:
    """Newest first. Filters: `site`, `ticket` (an id, or a code such as A-003), `staff` (an
    id or e-mail), `action`, `from` and `to` (local dates); paging: `before` (the answer's
    `next_before`), `after`, `limit` (at most 500)."""
    query = AuditQuery.from_args(request.args)
    wanted = request.args.get("format") or "json"
    if wanted == "csv":
        return csv_export(query)
    if wanted != "json":
        raise ValidationFailed(
            "Some filters were not right.",
            code="invalid_query",
            fields={"format": "json or csv."},
        )
    page = audit.read(db_session(), signed_in_staff(), query)
    return jsonify(
        {
            "entries": [audit_json(line) for line in page.lines],
            "next_before": page.next_before,
            "newer_after": page.newer_after,
            "timezone": page.zone,
        }
    )


def csv_export(query: AuditQuery) -> Response:
    chunks = audit_csv.export(db_session(), signed_in_staff(), query, origin=request.remote_addr)
    name = f"audit-{query.site_slug or 'all-sites'}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def audit_json(line: audit.AuditLine) -> dict:
    entry = line.entry
    return {
        "id": entry.id,
        "at": views.iso(entry.at),
        "actor": entry.actor,
        "staff_id": entry.staff_id,
        "staff_email": entry.staff_email,
        "action": entry.action,
        "site_id": entry.site_id,
        "ticket_id": entry.ticket_id,
        "detail": entry.detail,
        "origin": entry.origin,
        # As a person reads it:
        "sentence": line.sentence,
        "local_time": line.local_time,
        "timezone": line.zone,
        "site": line.site_slug,
        "site_name": line.site_name,
        "staff_name": line.staff_name,
        "ticket_code": line.ticket_code,
    }
