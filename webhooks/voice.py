"""Calls to the office (Twilio's voice webhook): each step of the call is a signed request to
this one URL, its state in the query (domain.voice_script), answered with TwiML built by the
provider's own VoiceResponse."""

from __future__ import annotations

import logging

from flask import Response, request, url_for
from twilio.twiml.voice_response import Gather, VoiceResponse

from queue_service.domain import voice_script as script
from queue_service.domain.voice_words import VOICES
from queue_service.notifications.catalogs import gettext_for
from queue_service.services import inbound_calls
from web_kernel.extensions import limiter
from web_kernel.web import core, db_session

from .twilio import WEBHOOK_LIMIT, form_field, missing_fields, signed, twilio_webhooks, twiml

log = logging.getLogger("frontdoor.webhooks")

KEY_TIMEOUT = 6  # seconds to wait for a key: long enough to hear the last choice


@twilio_webhooks.post("/voice")
@limiter.limit(WEBHOOK_LIMIT, exempt_when=signed)
def inbound_call() -> Response:
    sid, caller, to = (
        form_field("CallSid"),
        form_field("From", limit=40),
        form_field("To", limit=40),
    )
    if not (sid and to):
        return missing_fields(CallSid=sid, To=to)
    call = inbound_calls.IncomingCall(
        sid=sid,
        # A withheld number may come as an empty From.
        from_number=caller or "",
        to_number=to,
        step=_step(request.args.get("step", "")),
        digits=(request.form.get("Digits") or "")[:4],
        language=request.args.get("language", "")[:8],
        again=request.args.get("again") == "1",
    )
    try:
        answer = inbound_calls.answer(db_session(), call, secret_key=core().settings.secret_key)
    except Exception as failure:  # a caller must hear something: the crisis lines at least
        db_session().rollback()
        log.error("call %s failed at step %s: %s", sid, call.step.value, type(failure).__name__)
        answer = script.try_again(call.language or "en")
    log.info("call %s at step %s", sid, call.step.value)  # never the number or the keys
    return twiml(render(answer))


def _step(raw: str) -> script.CallStep:
    try:
        return script.CallStep(raw)
    except ValueError:
        return script.CallStep.MENU


def _url(step: script.CallStep, params: dict[str, str]) -> str:
    # Relative: the provider resolves it against the URL it called, the public one it signs.
    return url_for("twilio_webhooks.inbound_call", step=step.value, **params)


def _say(into: VoiceResponse | Gather, say: script.Say) -> None:
    language, voice = VOICES.get(say.language, VOICES["en"])
    into.say(script.spoken(say, gettext_for(say.language)), language=language, voice=voice)


def render(answer: script.Script) -> VoiceResponse:
    response = VoiceResponse()
    for say in answer.says:
        _say(response, say)
    if answer.ask is not None:
        gather = response.gather(
            num_digits=1,
            action=_url(answer.ask.step, answer.ask.params),
            method="POST",
            timeout=KEY_TIMEOUT,
            action_on_empty_result=False,
        )
        for say in answer.ask.says:
            _say(gather, say)
    for say in answer.after:
        _say(response, say)
    if answer.then is not None:
        step, params = answer.then
        response.redirect(_url(step, params), method="POST")
    else:
        response.hangup()
    return response
