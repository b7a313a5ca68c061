"""Staff JSON API for returning visitors and critical-need cases (the contract's
`repeat-visitors`, `visitors`, `tickets/{id}/visitor` and `cases` endpoints)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.services import case_reads, case_views, cases, views, visitor_links, visitors
from queue_service.services.case_commands import (
    CloseCase,
    ExtendCase,
    OpenCase,
    ReassignCase,
    RecordConsent,
    ReviewCase,
)
from web_kernel.web import core, db_session, json_object

from .auth import check_csrf, signed_in_staff

cases_api = Blueprint("cases_api", __name__, url_prefix="/api/v1")
cases_api.before_request(check_csrf)


@cases_api.get("/sites/<site>/repeat-visitors")
@login_required
def repeat_visitors(site: str) -> Response:
    found_site, found = visitors.repeat_visitors(
        db_session(), signed_in_staff(), site, origin=request.remote_addr
    )
    rule = found_site.repeat_rule
    return jsonify(
        {
            "rule": {
                "visits": rule.visits,
                "urgent_visits": rule.urgent_visits,
                "window_days": rule.window_days,
            },
            "repeat_visitors": [case_views.repeat_json(v) for v in found],
        }
    )


@cases_api.get("/visitors/<int:visitor_id>")
@login_required
def visitor(visitor_id: int) -> Response:
    found = visitors.history(
        db_session(), signed_in_staff(), visitor_id, origin=request.remote_addr
    )
    return jsonify(case_views.history_json(found))


@cases_api.put("/tickets/<int:ticket_id>/visitor")
@login_required
def link_visitor(ticket_id: int) -> Response:
    body = json_object(frozenset({"visitor_id"}))
    ticket = visitor_links.link(
        db_session(),
        signed_in_staff(),
        ticket_id,
        body.get("visitor_id"),
        secret_key=core().settings.secret_key,
        origin=request.remote_addr,
    )
    return jsonify({"ticket": _ticket(ticket)})


@cases_api.delete("/tickets/<int:ticket_id>/visitor")
@login_required
def unlink_visitor(ticket_id: int) -> Response:
    ticket = visitor_links.unlink(
        db_session(),
        signed_in_staff(),
        ticket_id,
        secret_key=core().settings.secret_key,
        origin=request.remote_addr,
    )
    return jsonify({"ticket": _ticket(ticket)})


@cases_api.post("/cases")
@login_required
def open_case() -> tuple[Response, int]:
    command = OpenCase.from_body(json_object())
    case = cases.open_case(db_session(), signed_in_staff(), command, origin=request.remote_addr)
    return jsonify({"case": case_views.case_json(case)}), 201


@cases_api.get("/sites/<site>/cases")
@login_required
def caseload(site: str) -> Response:
    args = request.args
    query = case_reads.CaseloadQuery(
        site=site,
        mine=args.get("mine", "").lower() in ("1", "true", "yes"),
        status=args.get("status", "open"),
        review=args.get("review") or None,
        sort=args.get("sort", "next_review"),
    )
    found = case_reads.caseload(db_session(), signed_in_staff(), query, origin=request.remote_addr)
    return jsonify(
        {"cases": [case_views.case_json(c, today=found.today, full=False) for c, _ in found.cases]}
    )


@cases_api.get("/sites/<site>/cases/reviews-due")
@login_required
def reviews_due(site: str) -> Response:
    """How many of my open cases here have a review due today or overdue: the console's
    reminder. A count, showing no one, so not audited."""
    query = case_reads.CaseloadQuery(site=site, mine=True, review="due")
    found = case_reads.caseload(db_session(), signed_in_staff(), query, audited=False)
    return jsonify({"count": len(found.cases)})


@cases_api.get("/cases/<int:case_id>")
@login_required
def case(case_id: int) -> Response:
    found = case_reads.record(db_session(), signed_in_staff(), case_id, origin=request.remote_addr)
    return jsonify(
        {
            "case": case_views.case_json(found.case),
            "visits": [case_views.visit_json(t) for t in found.visits],
        }
    )


_STEPS = {
    "reviews": (ReviewCase, cases.review),
    "extend": (ExtendCase, cases.extend),
    "close": (CloseCase, cases.close),
    "reassign": (ReassignCase, cases.reassign),
    "consent": (RecordConsent, cases.record_consent),
}


@cases_api.post("/cases/<int:case_id>/<any(reviews, extend, close, reassign, consent):step>")
@login_required
def case_step(case_id: int, step: str) -> Response:
    command_type, act = _STEPS[step]
    command = command_type.from_body(json_object())
    changed = act(db_session(), signed_in_staff(), case_id, command, origin=request.remote_addr)
    return jsonify({"case": case_views.case_json(changed)})


def _ticket(ticket) -> dict:  # type: ignore[no-untyped-def]
    place = views.PlaceInLine.read(db_session(), ticket)
    return views.staff_ticket(ticket, position=place.position)
