"""Delivery reports move a text only forward, and a number that opted out (STOP, or the
provider's error 21610) gets nothing more until START."""

import pytest

from queue_service.models import Ticket
from queue_service.notifications.transports import Refused
from queue_service.services import checkins


def text_of(outbox, ticket_id, kind):  # type: ignore[no-untyped-def]
    [found] = [m for m in outbox(ticket_id) if m.kind == kind]
    return found


def report(twilio_post, sid, status, **extra):  # type: ignore[no-untyped-def]
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32, **extra}
    return twilio_post("/webhooks/twilio/status", form)


@pytest.fixture
def sent_text(world, north, sms_network, outbox):  # type: ignore[no-untyped-def]
    ticket = world.walk_in()
    sms_network.deliver()
    return text_of(outbox, ticket.id, "checked_in")


def test_a_late_sent_never_undoes_delivered(sent_text, twilio_post, outbox):
    assert sent_text.status == "sent"
    assert report(twilio_post, sent_text.provider_sid, "delivered").status_code == 204
    assert report(twilio_post, sent_text.provider_sid, "sent").status_code == 204
    assert report(twilio_post, sent_text.provider_sid, "failed").status_code == 204
    assert text_of(outbox, sent_text.ticket_id, "checked_in").status == "delivered"


def test_an_undelivered_report_keeps_the_providers_code(sent_text, twilio_post, outbox):
    report(twilio_post, sent_text.provider_sid, "undelivered", ErrorCode="30003")
    now = text_of(outbox, sent_text.ticket_id, "checked_in")
    assert (now.status, now.why) == ("undelivered", "twilio_30003")


def test_a_report_for_no_text_of_ours_changes_nothing(sent_text, twilio_post, outbox):
    before = [(m.id, m.status) for m in outbox()]
    assert report(twilio_post, "SM" + "9" * 32, "delivered").status_code == 204
    assert [(m.id, m.status) for m in outbox()] == before


def test_a_forged_report_is_refused(sent_text, twilio_post, outbox):
    form = {"MessageSid": sent_text.provider_sid, "MessageStatus": "failed"}
    response = twilio_post("/webhooks/twilio/status", form, signature="Zm9yZ2Vk")
    assert response.status_code == 403
    assert text_of(outbox, sent_text.ticket_id, "checked_in").status == "sent"


def test_stop_stops_every_later_text_and_start_resumes_them(
    world, north, text_in, sms_network, outbox, api, sign_in
):
    world.staff("cm@example.org", on_duty_at="north")
    ticket = world.walk_in()
    sms_network.deliver()
    text_in(ticket.phone, "STOP")
    sms_network.deliver()
    assert text_of(outbox, ticket.id, "stopped").status == "sent", "the one confirmation goes"
    # Consent to texts came back only with START: the call's text is not sent meanwhile.
    with_manager = sign_in("cm@example.org")
    text_in(ticket.phone, "START")
    api.call_next(with_manager)
    sms_network.deliver()
    assert text_of(outbox, ticket.id, "called").status == "sent"
    bodies = [body for _, body, _ in sms_network.delivered]
    assert len(bodies) == len(set(bodies)) == 4  # checked in, stopped, started, called


def test_after_stop_the_visits_queued_texts_are_not_sent(
    world, north, text_in, sms_network, outbox
):
    first = world.walk_in(which=0)
    second = world.walk_in(which=1)
    text_in(first.phone, "stop")
    sms_network.deliver()
    held = text_of(outbox, first.id, "checked_in")
    assert (held.status, held.why) == ("suppressed", "opted_out")
    to_first = [body for to, body, _ in sms_network.delivered if to == first.phone]
    assert to_first == [text_of(outbox, first.id, "stopped").body]
    assert text_of(outbox, second.id, "checked_in").status == "sent"


def test_the_providers_21610_opts_the_number_out_for_later_visits(
    world, north, sms_network, outbox, database
):
    sms_network.failures.append(Refused("twilio_21610"))
    first = world.walk_in()
    sms_network.deliver()
    refused = text_of(outbox, first.id, "checked_in")
    assert (refused.status, refused.why) == ("failed", "twilio_21610")
    # The same number checks in again another time: nothing is sent to it.
    with database.session() as s:
        checkins.cancel_by_client(s, first.token)
    again = world.walk_in()
    sms_network.deliver()
    assert text_of(outbox, again.id, "checked_in").why == "opted_out"
    assert sms_network.delivered == []


def test_a_21610_delivery_report_opts_the_number_out(
    sent_text, twilio_post, world, sms_network, outbox, database
):
    to = f"+1{world.private.phones[0]}"
    report(twilio_post, sent_text.provider_sid, "failed", ErrorCode="21610", To=to)
    with database.session() as s:
        checkins.cancel_by_client(s, s.get(Ticket, sent_text.ticket_id).token)
    again = world.walk_in()
    sms_network.deliver()
    assert text_of(outbox, again.id, "checked_in").why == "opted_out"
