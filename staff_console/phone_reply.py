"""A text typed on the console's phone page (FRONTDOOR_SMS_BACKEND=log only): it goes as that
number through the very webhook Twilio calls, signed with the server's own token, so it does
what a real text would. Only as a number in line at this site (or at none), and audited as
the staff member's: on this page a person's words can be typed by staff, and the audit log
must say so."""

from __future__ import annotations

from uuid import uuid4

from flask import Response, current_app, redirect, request, url_for
from flask_login import current_user
from twilio.request_validator import RequestValidator

from queue_service.domain.checkin import normalise_phone
from queue_service.domain.errors import Forbidden
from queue_service.models import Site
from queue_service.services import phone_trial
from web_kernel.web import core, db_session

from .message_pages import (
    BODY_MAX,
    WEBHOOK,
    _gate,
    _no_callback_number,
    _phone,
    _slug,
    anchor_of,
    message_pages,
)


@message_pages.post("/console/phone")
def phone_reply() -> str | Response | tuple[str, int]:
    if (gate := _gate(trying=True)) is not None:
        return gate
    slug = _slug(current_user.staff, request.form.get("site"))
    site = next((s for s in current_user.staff.sites if s.slug == slug), None)
    if site is None:  # not one of theirs: the page says so
        return _phone(slug)
    if not site.sms_callback_number:
        return _phone(slug, problems={"office": _no_callback_number(site)})
    number, body = request.form.get("number", ""), request.form.get("body", "")
    typed = {"number": number, "body": body, "reply_to": request.form.get("reply_to", "")}
    problems: dict[str, str] = {}
    try:
        phone = normalise_phone(number)
        if phone is None:
            problems["number"] = "Give the number the text comes from, e.g. (617) 555-0123."
    except ValueError as wrong:
        problems["number"] = f"{wrong} Give a mobile number, e.g. (617) 555-0123."
    if not body.strip():
        problems["body"] = "Write the words of the text, e.g. STATUS."
    elif len(body) > BODY_MAX:
        problems["body"] = f"A text is at most {BODY_MAX} characters; this one has {len(body)}."
    if problems or phone is None:
        return _phone(slug, problems=problems, typed=typed)
    try:
        visit_id = phone_trial.typed_as(
            db_session(), current_user.staff, site.slug, phone, origin=request.remote_addr
        )
    except Forbidden as refused:
        return _phone(slug, problems={"number": refused.message}, typed=typed)
    answer = _text_the_office(site, phone, body)
    if answer.status_code != 200:
        problems["body"] = f"The webhook refused the text ({answer.status_code}). Try again."
        return _phone(slug, problems=problems, typed=typed)
    page = url_for("message_pages.phone_page", site=slug, sent=phone[-4:])
    return redirect(f"{page}#{anchor_of(visit_id)}", code=303)


def _text_the_office(site: Site, phone: str, body: str) -> Response:
    """The form Twilio would post for a text from `phone`, signed as Twilio signs it, to
    the SMS webhook of this very server: the same checks and code path as a real text."""
    settings = core().settings
    origin = settings.public_url or request.host_url.rstrip("/")
    form = {"MessageSid": "SM" + uuid4().hex, "AccountSid": "AC" + "0" * 32, "From": phone,
            "To": site.sms_callback_number or "", "Body": body}  # fmt: skip
    signature = RequestValidator(settings.webhook_token).compute_signature(origin + WEBHOOK, form)
    # An application context of its own: the webhook's request gets its own `g`, and so
    # its own database session, closed when the context ends (not this page's).
    with current_app.app_context():
        return current_app.test_client().post(
            WEBHOOK, data=form, headers={"X-Twilio-Signature": signature}, base_url=origin
        )
