"""Public JSON API: join the line, follow your ticket, leave the line. No sign-in."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from queue_service.domain.errors import ValidationFailed
from queue_service.domain.lifecycle import Channel
from queue_service.persistence import repositories
from queue_service.services import checkins, office, safety, views
from web_kernel.extensions import limiter
from web_kernel.web import core, db_session, json_body

from .pages import ticket_page_url
from .qr import qr_svg

api = Blueprint("public_api", __name__, url_prefix="/api/v1")

CHECK_IN_LIMIT = "30 per minute"
URGENT_LIMIT = "120 per minute"


def status_url(token: str) -> str:
    """The person's own ticket page (what the QR code opens)."""
    return ticket_page_url(token)


def _asks_for_help() -> bool:
    try:
        body = json_body()
    except Exception:  # a bad body is the view's to refuse; here it simply is not urgent
        return False
    return isinstance(body, dict) and body.get("urgent") is True


def _ordinary() -> bool:
    return not _asks_for_help()


# Someone who feels unsafe is never turned away by the limit meant for ordinary check-ins:
# urgent check-ins have their own, larger allowance per address.
@api.post("/sites/<site>/check-ins")
@limiter.limit(CHECK_IN_LIMIT, exempt_when=_asks_for_help)
@limiter.limit(URGENT_LIMIT, exempt_when=_ordinary)
def check_in(site: str) -> tuple[Response, int]:
    with_qr = _wants_qr()
    session = db_session()
    result = checkins.check_in(
        session,
        site,
        json_body(),
        channel=Channel.KIOSK,
        idempotency_key=request.headers.get("Idempotency-Key"),
        origin=request.remote_addr,
        secret_key=core().settings.secret_key,
    )
    if isinstance(result, checkins.Coalesced):
        # Past one address's urgent allowance: the crisis lines, no new ticket (domain.urgent).
        body = {"ticket": None, "coalesced": True, "office": views.office_status(result.office)}
        return no_store(jsonify(body)), 202
    url = status_url(result.ticket.token)
    ticket = views.public_ticket(
        result.ticket, position=result.place.position, wait=result.place.wait, status_url=url
    )
    body = {
        "ticket": ticket,
        "office": views.office_status(result.office),
        "return_code_found": result.return_code_found,
    }
    if with_qr:
        # The kiosk shows the code and its QR at once; an integrator that did not ask does
        # not pay for the QR, which costs more than the rest of the check-in.
        body["qr_svg"] = qr_svg(url)
    return no_store(jsonify(body)), 201 if result.created else 200


def _wants_qr() -> bool:
    asked = request.args.get("qr")
    if asked not in (None, "svg"):
        raise ValidationFailed("The QR code comes as SVG.", fields={"qr": "Use qr=svg."})
    return asked == "svg"


@api.get("/sites/<site>/status")
def site_status(site: str) -> Response:
    """The office now: open? staffed? how long a wait? For kiosks, ticket pages, integrators."""
    found = office.status_by_slug(db_session(), site)
    return no_store(jsonify(views.office_status(found)))


@api.get("/tickets/<token>")
def ticket(token: str) -> Response:
    session = db_session()
    found = repositories.ticket_by_token(session, token)
    return no_store(jsonify({"ticket": views.public_ticket_for(session, found, status_url)}))


@api.post("/tickets/<token>/help")
def ask_for_help(token: str) -> Response:
    """The person holding this ticket says they feel unsafe (kiosk ticket screen, phone)."""
    session = db_session()
    asked = safety.ask_for_help(session, token, origin=request.remote_addr)
    ticket = views.public_ticket_for(session, asked.ticket, status_url)
    return no_store(jsonify({"ticket": ticket, "office": views.office_status(asked.office)}))


@api.post("/tickets/<token>/cancel")
def cancel(token: str) -> Response:
    session = db_session()
    cancelled = checkins.cancel_by_client(session, token, origin=request.remote_addr)
    return no_store(jsonify({"ticket": views.public_ticket_for(session, cancelled, status_url)}))


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
