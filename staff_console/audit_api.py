"""The audit log's JSON API (admins): `GET /api/v1/audit`."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.models import AuditEntry
from queue_service.services import audit, views
from web_kernel.web import BadRequest, db_session

from .auth import check_csrf, signed_in_staff

audit_api = Blueprint("audit_api", __name__, url_prefix="/api/v1")
audit_api.before_request(check_csrf)


@audit_api.get("/audit")
@login_required
def audit_log() -> Response:
    """Newest first; `site`, `ticket`, `before` (an entry id, for the next page), `limit`."""
    entries = audit.read(
        db_session(),
        signed_in_staff(),
        site_slug=request.args.get("site") or None,
        ticket_id=_int_arg("ticket"),
        before_id=_int_arg("before"),
        limit=_int_arg("limit") or 100,
    )
    return jsonify({"entries": [audit_json(e) for e in entries]})


def audit_json(entry: AuditEntry) -> dict:
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
    }


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 12:
        raise BadRequest(f"'{name}' must be a whole number.", code="invalid_query")
    return int(value)
