"""The console's audit page (/console/audit), server-rendered."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for
from flask_login import current_user

from queue_service.services import audit
from web_kernel.web import db_session

from .audit_api import audit_json
from .auth import check_csrf
from .pages import render_page

audit_pages = Blueprint("audit_pages", __name__)
audit_pages.before_request(check_csrf)


@audit_pages.get("/console/audit")
def audit_page() -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("console.home"))
    site = request.args.get("site") or None
    before = request.args.get("before", "")
    entries = audit.read(
        db_session(),
        current_user.staff,
        site_slug=site,
        before_id=int(before) if before.isdigit() and len(before) < 12 else None,
        limit=100,
    )
    return render_page("console/audit.html", entries=[audit_json(e) for e in entries], site=site)
