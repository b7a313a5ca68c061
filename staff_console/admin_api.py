"""Staff JSON API for leads and admins: a site's settings and the urgent people nobody saw
(staff accounts: staff_api.py; the audit log: audit_api.py)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.persistence import repositories
from queue_service.services import safety, sites, views, visits
from queue_service.services.duty import require_member
from web_kernel.web import db_session, json_object

from .auth import check_csrf, signed_in_staff

admin_api = Blueprint("staff_admin", __name__, url_prefix="/api/v1")
admin_api.before_request(check_csrf)


@admin_api.get("/sites/<site>")
@login_required
def site_settings(site: str) -> Response:
    found = repositories.site_by_slug(db_session(), site)
    require_member(signed_in_staff(), found)
    return _with_version(sites.site_settings(found))


@admin_api.patch("/sites/<site>")
@login_required
def change_site(site: str) -> Response:
    """Site leads and admins change any of the settings; `If-Match: "VERSION"` (the ETag the
    GET gave) refuses the change with 412 if anyone changed them since."""
    body = json_object()
    expected = request.if_match
    changed = sites.update_site(
        db_session(),
        site,
        body,
        by=signed_in_staff(),
        origin=request.remote_addr,
        if_version=None if expected.star_tag or not expected else expected.as_set(),
    )
    return _with_version(sites.site_settings(changed))


def _with_version(settings: dict) -> Response:
    response = jsonify({"site": settings})
    response.set_etag(settings["version"])
    return response


@admin_api.get("/sites/<site>/urgent-not-seen")
@login_required
def urgent_not_seen(site: str) -> Response:
    """Urgent people whose visit ended without anyone seeing them, until followed up; and
    who asked for help at the kiosk while the office was closed (the last 30 days)."""
    found = visits.urgent_not_seen(db_session(), site, signed_in_staff())
    closed = visits.help_while_closed(db_session(), site, signed_in_staff())
    return jsonify(
        {
            "tickets": [views.staff_ticket(t, position=None) for t in found],
            "help_while_closed": [{"id": e.id, "at": views.iso(e.at)} for e in closed],
        }
    )


@admin_api.post("/sites/<site>/bursts/acknowledge")
@login_required
def acknowledge_burst(site: str) -> Response:
    """A manager has looked into a burst of urgent requests from one kiosk."""
    safety.acknowledge_burst(db_session(), site, signed_in_staff(), origin=request.remote_addr)
    return jsonify({"acknowledged": True})
