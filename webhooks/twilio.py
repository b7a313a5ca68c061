"""Twilio's webhooks, form-encoded. Each is signed by Twilio with the account's auth token
(`X-Twilio-Signature` over the public URL and the form): a wrong or missing signature is 403
and nothing is read or written. Twilio retries a webhook it got no answer to; the services
act on each MessageSid once.

The URL signed is the one Twilio was given, FRONTDOOR_PUBLIC_URL's, not the one this process
sees behind a proxy.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, g, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from queue_service.services import delivery, inbound_texts
from web_kernel.errors import error_response
from web_kernel.extensions import limiter
from web_kernel.web import core, db_session

log = logging.getLogger("frontdoor.webhooks")

twilio_webhooks = Blueprint("twilio_webhooks", __name__, url_prefix="/webhooks/twilio")

# Per client address, counting only requests Twilio did not sign: every webhook comes from
# Twilio's addresses, so a flood of forged ones must not use up what people's texts need.
WEBHOOK_LIMIT = "600 per minute"
SID_MAX = 64


def signed_url() -> str:
    """The URL as Twilio was told it: the public URL's origin and this request's path."""
    public = core().settings.public_url
    if not public:
        return request.url
    query = request.query_string.decode("latin-1")
    return f"{public}{request.path}" + (f"?{query}" if query else "")


def signed() -> bool:
    """Whether Twilio signed this request (worked out once per request)."""
    if "twilio_signed" not in g:
        signature = request.headers.get("X-Twilio-Signature", "")
        validator = RequestValidator(core().settings.webhook_token)
        g.twilio_signed = bool(signature) and validator.validate(
            signed_url(), request.form, signature
        )
    return bool(g.twilio_signed)


@twilio_webhooks.before_request
def _check_signature() -> Response | None:
    if signed():
        return None
    signature = request.headers.get("X-Twilio-Signature", "")
    log.warning("refused a webhook to %s: the signature is %s", request.path,
                "wrong" if signature else "missing")  # fmt: skip
    return error_response(403, "bad_signature", "This request is not signed by the provider.")


def form_field(name: str, *, limit: int = SID_MAX) -> str | None:
    value = request.form.get(name, "")
    return value if value and len(value) <= limit and value.isprintable() else None


def missing_fields(**given: str | None) -> Response:
    return error_response(
        400, "invalid_request", "Some fields are missing.",
        {name: "Required." for name, value in given.items() if not value},
    )  # fmt: skip


def twiml(answer: object) -> Response:
    return Response(str(answer), mimetype="text/xml")


@twilio_webhooks.post("/sms")
@limiter.limit(WEBHOOK_LIMIT, exempt_when=signed)
def inbound_sms() -> Response:
    sid, sender, to = (
        form_field("MessageSid"),
        form_field("From", limit=40),
        form_field("To", limit=40),
    )
    if not (sid and sender and to):
        return missing_fields(MessageSid=sid, From=sender, To=to)
    # A NUL no database can store, and no person means.
    body = request.form.get("Body", "").replace("\x00", "")
    text = inbound_texts.IncomingText(sid, sender, to, body)
    handled = inbound_texts.receive(db_session(), text, secret_key=core().settings.secret_key)
    # Never what it said or was read as: a provider id beside "crisis" is too much to log.
    log.info("text %s %s", sid, "handled" if handled.command else "already handled")
    # The answer goes through the outbox (retried, paced, shown to staff), not as TwiML.
    return twiml(MessagingResponse())


@twilio_webhooks.post("/status")
@limiter.limit(WEBHOOK_LIMIT, exempt_when=signed)
def delivery_status() -> tuple[Response, int] | Response:
    sid, status = form_field("MessageSid"), form_field("MessageStatus", limit=20)
    if not (sid and status):
        return missing_fields(MessageSid=sid, MessageStatus=status)
    report = delivery.DeliveryReport(
        sid, status, form_field("ErrorCode", limit=10), form_field("To", limit=40)
    )
    delivery.record_report(db_session(), report, secret_key=core().settings.secret_key)
    return Response(status=204)
