"""`frontdoor serve` runs the sender beside the server, the way it runs the day sweep: a text
written by a check-in goes out (on the log backend) without anything else being started."""

import time

import pytest
import requests


def test_serve_sends_what_a_check_in_wrote_to_the_outbox(world, north, serve, outbox):
    server = serve()  # FRONTDOOR_SMS_BACKEND unset: the log backend
    answer = requests.post(
        f"{server.base}/api/v1/sites/north/check-ins",
        json={"language": "vi", "phone": "+16175550163", "sms_opt_in": True},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        texts = [t for t in outbox() if t.kind == "checked_in"]
        if texts and texts[0].status == "sent":
            break
        time.sleep(0.2)
    [text] = texts
    assert (text.status, text.provider_sid[:3], text.phone) == ("sent", "LOG", None)
    assert text.body.startswith("Front Door: Quý vị đã lấy số A-001.")
    assert (text.encoding, text.segments) == ("ucs2", 2)


def test_serve_refuses_to_start_with_twilio_but_no_account(world, serve):
    with pytest.raises(RuntimeError) as refused:
        serve(FRONTDOOR_SMS_BACKEND="twilio")
    assert "FRONTDOOR_SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID" in str(refused.value)
