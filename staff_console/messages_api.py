"""Staff JSON API for texts: the site's message log (the contract's `messages`) and a case
manager's own text to a person in line."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_login import login_required

from queue_service.services import message_log, staff_texts
from queue_service.services.staff_views import text_view
from web_kernel.web import core, db_session, json_object

from .auth import check_csrf, signed_in_staff

messages_api = Blueprint("staff_messages", __name__, url_prefix="/api/v1")
messages_api.before_request(check_csrf)


@messages_api.get("/sites/<site>/messages")
@login_required
def site_messages(site: str) -> Response:
    """Newest first; `?ticket=ID` for one visit's, `?before=ID` for the page after."""
    found = message_log.site_messages(
        db_session(), site, signed_in_staff(),
        ticket_id=request.args.get("ticket"), before_id=request.args.get("before"),
        limit=request.args.get("limit"), origin=request.remote_addr,
    )  # fmt: skip
    return jsonify({"messages": [text_view(m) for m in found]})


@messages_api.post("/tickets/<int:ticket_id>/messages")
@login_required
def staff_text(ticket_id: int) -> tuple[Response, int]:
    body = json_object(frozenset({"body"}))
    message, new = staff_texts.send(
        db_session(), ticket_id, signed_in_staff(), body.get("body"),
        secret_key=core().settings.secret_key, origin=request.remote_addr,
    )  # fmt: skip
    return jsonify({"message": text_view(message)}), 201 if new else 200
