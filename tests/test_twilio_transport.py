"""The twilio backend: the official library's Client, with only its HTTP transport
(twilio.http.HttpClient) replaced, so each test sees the exact request Twilio would get."""

import json
import logging
from datetime import timedelta

import pytest
import requests
from twilio.http import HttpClient
from twilio.http.response import Response

from queue_service.clock import utcnow
from queue_service.models import Message
from queue_service.notifications.sender import Sender
from queue_service.notifications.transports import Refused, Sent, TryLater, TwilioTransport

ACCOUNT = "AC" + "0" * 32
TOKEN = "test-auth-token"
FROM = "+16175550000"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


class TwilioApi(HttpClient):
    """Twilio's API as the client meets it: scripted answers, every request kept."""

    def __init__(self, *answers: object) -> None:
        super().__init__(logging.getLogger("tests.twilio"), is_async=False)
        self.answers = list(answers)
        self.requests: list[dict[str, object]] = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,  # type: ignore[no-untyped-def]
                timeout=None, allow_redirects=False):  # fmt: skip
        self.requests.append(
            {"method": method, "uri": uri, "data": data, "auth": auth, "headers": headers}
        )
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer  # type: ignore[misc]
        return Response(status, json.dumps(body))


def created(sid: str = "SM" + "a" * 32) -> tuple[int, dict]:
    return 201, {"sid": sid, "status": "queued", "account_sid": ACCOUNT, "to": "+16175550123"}


def refused(status: int, code: int) -> tuple[int, dict]:
    info = f"https://www.twilio.com/docs/errors/{code}"
    return status, {"code": code, "message": "refused", "more_info": info, "status": status}


def transport(api: TwilioApi) -> TwilioTransport:
    return TwilioTransport(ACCOUNT, TOKEN, FROM, http_client=api)


def test_a_text_is_one_post_to_the_messages_resource_with_to_from_and_body():
    api = TwilioApi(created())
    assert transport(api).send("+16175550123", "Front Door: It is your turn.") == Sent(
        "SM" + "a" * 32
    )
    [request] = api.requests
    assert (request["method"], request["uri"], request["auth"]) == (
        "POST", MESSAGES_URL, (ACCOUNT, TOKEN))  # fmt: skip
    assert request["data"] == {
        "To": "+16175550123", "From": FROM, "Body": "Front Door: It is your turn."}  # fmt: skip
    assert request["headers"]["Accept"] == "application/json"


@pytest.mark.parametrize(
    ("answer", "outcome", "why"),
    [
        (refused(429, 20429), TryLater, "http_429"),
        (refused(503, 20503), TryLater, "http_503"),
        (refused(400, 21211), Refused, "twilio_21211"),  # not a valid number
        (refused(400, 21610), Refused, "twilio_21610"),  # the number sent STOP to Twilio
        (requests.ConnectionError("connection refused"), TryLater, "transport_ConnectionError"),
        (requests.Timeout("read timed out"), TryLater, "transport_Timeout"),
    ],
)
def test_each_answer_is_a_retry_or_a_refusal(answer, outcome, why):
    with pytest.raises(outcome) as raised:
        transport(TwilioApi(answer)).send("+16175550123", "Front Door: hello")
    assert raised.value.why == why
    if why == "http_429":
        assert raised.value.slow_down


def test_a_refusal_keeps_only_the_code_never_twilios_words_which_can_hold_the_number():
    api = TwilioApi((400, {"code": 21211, "message": "The 'To' number +16175550123 is not valid",
                           "status": 400}))  # fmt: skip
    with pytest.raises(Refused) as raised:
        transport(api).send("+16175550123", "Front Door: hello")
    assert "6175550123" not in str(raised.value) and raised.value.why == "twilio_21211"


def test_through_the_outbox_a_dropped_connection_then_a_retry_posts_once_successfully(
    world, north, outbox, database
):
    ticket = world.walk_in()
    api = TwilioApi(requests.ConnectionError("reset by peer"), created("SM" + "b" * 32))
    sender = Sender(database, transport(api), secret_key="test-secret-key", pace=timedelta(0))
    now = utcnow()
    assert sender.tick(now).retried is not None
    assert sender.tick(now + timedelta(seconds=31)).sent is not None
    [text] = [t for t in outbox(ticket.id) if t.kind == "checked_in"]
    assert (text.status, text.provider_sid, text.attempts) == ("sent", "SM" + "b" * 32, 2)
    posts = [r["data"] for r in api.requests]
    assert posts == [{"To": "+16175550123", "From": FROM, "Body": text.body}] * 2
    assert sender.tick(now + timedelta(minutes=5)).sent is None and len(api.requests) == 2


def test_through_the_outbox_an_unsubscribed_number_fails_and_is_not_tried_again(
    world, north, database
):
    world.walk_in()
    api = TwilioApi(refused(400, 21610))
    sender = Sender(database, transport(api), secret_key="test-secret-key", pace=timedelta(0))
    failed = sender.tick().failed
    with database.session() as s:
        text = s.get(Message, failed)
        assert (text.status, text.why, text.phone) == ("failed", "twilio_21610", None)
    sender.tick(utcnow() + timedelta(hours=1))
    assert len(api.requests) == 1
