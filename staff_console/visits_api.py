"""Staff JSON API for one visit: its record, notes, the urgent alert, hand-over, call-backs."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.models import Ticket
from queue_service.services import views, visits
from web_kernel.web import core, db_session, json_object

from .auth import check_csrf, signed_in_staff

visits_api = Blueprint("staff_visits", __name__, url_prefix="/api/v1/tickets")
visits_api.before_request(check_csrf)


@visits_api.get("/<int:ticket_id>")
@login_required
def record(ticket_id: int) -> Response:
    """The visit with its notes and history. Each look is written to the audit log."""
    session = db_session()
    found = visits.open_record(session, ticket_id, signed_in_staff(), origin=request.remote_addr)
    return jsonify(
        {
            "ticket": _ticket(found.ticket),
            "notes": [
                {"id": n.id, "staff_id": n.staff_id, "body": n.body, "at": views.iso(n.at)}
                for n in found.notes
            ],
            "history": [
                {
                    "action": e.action,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "staff_id": e.staff_id,
                    "reason": e.reason,
                    "at": views.iso(e.at),
                }
                for e in found.history
            ],
        }
    )


@visits_api.post("/<int:ticket_id>/notes")
@login_required
def add_note(ticket_id: int) -> tuple[Response, int]:
    body = json_object(frozenset({"body"}))
    note = visits.add_note(
        db_session(), ticket_id, signed_in_staff(), body.get("body"), origin=request.remote_addr
    )
    return jsonify({"note": {"id": note.id, "body": note.body, "at": views.iso(note.at)}}), 201


@visits_api.post("/<int:ticket_id>/acknowledge")
@login_required
def acknowledge(ticket_id: int) -> Response:
    json_object(frozenset())
    ticket = visits.acknowledge_alert(
        db_session(), ticket_id, signed_in_staff(), origin=request.remote_addr
    )
    return jsonify({"ticket": _ticket(ticket)})


@visits_api.post("/<int:ticket_id>/transfer")
@login_required
def transfer(ticket_id: int) -> Response:
    body = json_object(frozenset({"to", "version"}))
    ticket = visits.transfer(
        db_session(),
        ticket_id,
        signed_in_staff(),
        body.get("to"),
        seen_version=body.get("version"),
        origin=request.remote_addr,
    )
    return jsonify({"ticket": _ticket(ticket)})


@visits_api.post("/<int:ticket_id>/attempts")
@login_required
def call_attempt(ticket_id: int) -> Response:
    """How a call-back went: `reached`, `no_answer` or `voicemail`."""
    body = json_object(frozenset({"result", "version"}))
    ticket = visits.record_call_attempt(
        db_session(),
        ticket_id,
        signed_in_staff(),
        body.get("result"),
        limit=core().settings.callback_attempts,
        retry_after=timedelta(minutes=core().settings.callback_retry_minutes),
        seen_version=body.get("version"),
        origin=request.remote_addr,
    )
    return jsonify({"ticket": _ticket(ticket)})


@visits_api.post("/<int:ticket_id>/follow-up")
@login_required
def follow_up(ticket_id: int) -> Response:
    """A site lead: how an urgent person nobody saw was followed up."""
    body = json_object(frozenset({"note"}))
    ticket = visits.follow_up(
        db_session(), ticket_id, signed_in_staff(), body.get("note"), origin=request.remote_addr
    )
    return jsonify({"ticket": _ticket(ticket)})


def _ticket(ticket: Ticket) -> dict:
    place = views.PlaceInLine.read(db_session(), ticket)
    return views.staff_ticket(ticket, position=place.position)
