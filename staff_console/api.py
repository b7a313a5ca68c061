"""Staff JSON API: sign in, go on duty, see the queue, call the next person, move tickets."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.models import Staff
from queue_service.services import checkins, duty, queue, sign_ins, views
from queue_service.services import staff as staff_service
from queue_service.services.commands import MoveTicket
from web_kernel.web import NotSignedIn, core, db_session, json_body, json_object

from .auth import bearer_token, check_csrf, end_browser_session, signed_in_staff

api = Blueprint("staff_api", __name__, url_prefix="/api/v1")
api.before_request(check_csrf)


@api.post("/auth/login")
def login() -> Response:
    # The allowance of tries is the core's, in the database, shared with the console's form.
    body = json_body()
    body = body if isinstance(body, dict) else {}
    signed_in = sign_ins.sign_in(
        db_session(),
        body.get("email"),
        body.get("password"),
        secret_key=core().settings.secret_key,
        address=request.remote_addr,
    )
    if signed_in is None:
        raise NotSignedIn("That email and password do not match.", code="bad_credentials")
    staff, token = signed_in
    return jsonify({"token": token, "staff": staff_json(staff)})


@api.post("/auth/logout")
@login_required
def logout() -> Response:
    token = bearer_token() or end_browser_session()
    if token:
        staff_service.revoke_token(db_session(), token, origin=request.remote_addr)
    return jsonify({"signed_out": True})


@api.get("/auth/me")
@login_required
def me() -> Response:
    return jsonify({"staff": staff_json(signed_in_staff())})


@api.put("/sites/<site>/duty")
@login_required
def set_duty(site: str) -> Response:
    body = json_object(frozenset({"on_duty", "desk"}))
    session = db_session()
    roster = duty.set_duty(
        session,
        site,
        signed_in_staff(),
        on_duty=body.get("on_duty"),
        desk=body.get("desk"),
        origin=request.remote_addr,
    )
    shift = roster.shift
    return jsonify(
        {
            "on_duty": shift is not None,
            "desk": shift.desk if shift else None,
            "since": views.iso(shift.started_at) if shift else None,
            **views.coverage(duty.coverage_at(session, site, signed_in_staff())),
        }
    )


@api.get("/sites/<site>/duty")
@login_required
def duty_now(site: str) -> Response:
    """Who is on duty here now, and whether the site is open with nobody on duty."""
    return jsonify(views.coverage(duty.coverage_at(db_session(), site, signed_in_staff())))


@api.get("/sites/<site>/queue")
@login_required
def open_queue(site: str) -> Response:
    entries = queue.open_queue(db_session(), site, signed_in_staff())
    return jsonify({"tickets": views.staff_tickets(entries)})


@api.get("/outcomes")
@login_required
def outcomes() -> Response:
    """How a visit can end, in the words every console and report uses."""
    return jsonify(views.outcome_choices())


@api.post("/sites/<site>/queue/next")
@login_required
def call_next(site: str) -> Response | tuple[str, int]:
    session = db_session()
    ticket = queue.call_next(
        session,
        site,
        signed_in_staff(),
        call_key=request.headers.get("Idempotency-Key"),
        origin=request.remote_addr,
    )
    if ticket is None:
        return "", 204
    return jsonify({"ticket": views.staff_ticket(ticket, position=None)})


@api.post("/tickets/<int:ticket_id>/transitions")
@login_required
def transition(ticket_id: int) -> Response:
    move = MoveTicket.from_body(ticket_id, json_object())
    session = db_session()
    ticket = queue.transition(session, signed_in_staff(), move, origin=request.remote_addr)
    place = views.PlaceInLine.read(session, ticket)
    return jsonify({"ticket": views.staff_ticket(ticket, position=place.position)})


@api.post("/sites/<site>/callbacks")
@login_required
def add_callback(site: str) -> tuple[Response, int]:
    result = checkins.add_callback(
        db_session(),
        site,
        signed_in_staff(),
        json_body(),
        idempotency_key=request.headers.get("Idempotency-Key"),
        origin=request.remote_addr,
        secret_key=core().settings.secret_key,
    )
    body = {"ticket": views.staff_ticket(result.ticket, position=result.place.position)}
    return jsonify(body), 201 if result.created else 200


def staff_json(staff: Staff) -> dict:
    return {
        "id": staff.id,
        "email": staff.email,
        "name": staff.name,
        "role": staff.role,
        "languages": list(staff.languages or []),
        "sites": [s.slug for s in staff.sites],
    }
