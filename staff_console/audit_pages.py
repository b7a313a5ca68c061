"""The console's audit page (/console/audit), server-rendered: the log in plain words, with
filters, paging and a CSV link carrying the same filters. The sentences, times and names
come from the core (queue_service.services.audit), as the API's do."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from queue_service.domain.audit_labels import ACTION_LABELS
from queue_service.domain.errors import Forbidden, NotFound, ValidationFailed
from queue_service.services import audit
from queue_service.services.audit_query import FIELDS, AuditQuery
from web_kernel.web import db_session

from . import navigation
from .auth import check_csrf
from .pages import render_page

audit_pages = Blueprint("audit_pages", __name__)
audit_pages.before_request(check_csrf)

# The action filter in the order people look for things, each with its plain label.
ACTION_CHOICES = sorted(
    ((a.value, label) for a, label in ACTION_LABELS.items()), key=lambda c: c[1]
)


@audit_pages.get("/console/audit")
def audit_page() -> str | Response | tuple[str, int]:
    if not current_user.is_authenticated:
        return redirect(url_for("console.home"))
    reader = current_user.staff
    if not navigation.may_open(request.endpoint or "", reader.role):
        abort(403)
    asked = {k: request.args.get(k, "").strip() for k in FIELDS if request.args.get(k, "").strip()}
    filters = {k: v for k, v in asked.items() if k not in ("before", "after", "limit")}
    problems: dict[str, str] = {}
    page = None
    status = 200
    try:
        page = audit.read(db_session(), reader, AuditQuery.from_args(asked))
    except ValidationFailed as refused:
        problems, status = refused.fields, 422
    except (Forbidden, NotFound) as refused:  # a site filter that is not the reader's
        problems, status = {"site": refused.message}, 404 if isinstance(refused, NotFound) else 403
    html = render_page(
        "console/audit.html",
        page=page,
        filters=filters,
        problems=problems,
        people=audit.people(db_session(), reader, filters.get("site")),
        actions=ACTION_CHOICES,
        own_site_filter=True,
        several_zones=len({s.timezone for s in reader.sites}) > 1,
        csv_href=url_for("audit_api.audit_log", **filters, format="csv"),
        older_href=page
        and page.next_before
        and url_for("audit_pages.audit_page", **filters, before=page.next_before),
        newer_href=page
        and page.newer_after
        and url_for("audit_pages.audit_page", **filters, after=page.newer_after),
    )
    return html, status
