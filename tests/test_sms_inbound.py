"""A person texts the office: STATUS, CANCEL, HELP, STOP/START, JOIN and words of a crisis each
do what they say, in English and in each language's own words, through the signed webhook;
a forged or replayed webhook changes nothing."""

import pytest
from sqlalchemy import func, select, update

from queue_service.models import AuditEntry, Message, Site, Ticket


def answers(outbox, ticket_id=None):  # type: ignore[no-untyped-def]
    return [
        m for m in outbox(ticket_id) if m.direction == "outbound" and m.kind in ("answer", "crisis")
    ]


def received(outbox):  # type: ignore[no-untyped-def]
    return [m for m in outbox() if m.direction == "inbound"]


def ticket_now(database, ticket_id):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.get(Ticket, ticket_id)


def count(database, model) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def allow_join(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:
        s.execute(update(Site).values(sms_join=True))
        s.commit()


def test_status_answers_the_place_and_wait_in_spanish(world, north, text_in, outbox):
    world.staff(on_duty_at="north")
    ticket = world.walk_in(language="es")
    response = text_in(ticket.phone, "estado")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert "<Response" in response.get_data(as_text=True)
    [answer] = answers(outbox, ticket.id)
    assert answer.language == "es" and ticket.code in answer.body
    assert answer.status == "queued" and answer.phone == ticket.phone
    assert answer.phone_masked == "•••" + ticket.phone[-4:]
    [inbound] = received(outbox)
    assert (inbound.ticket_id, inbound.status, inbound.why) == (ticket.id, "received", "status")
    assert inbound.body == "estado" and inbound.phone is None


def test_status_with_nobody_on_duty_says_nobody_can_say_how_long(world, north, text_in, outbox):
    ticket = world.walk_in()
    text_in(ticket.phone, "STATUS")
    [answer] = answers(outbox, ticket.id)
    assert "No case manager is on duty yet" in answer.body and "min" not in answer.body


def test_cancel_in_vietnamese_leaves_the_line_once_with_one_confirmation(
    world, north, text_in, outbox, database
):
    ticket = world.walk_in(language="vi")
    text_in(ticket.phone, "Hủy")
    assert ticket_now(database, ticket.id).status == "cancelled"
    left = [m for m in outbox(ticket.id) if m.kind == "left"]
    assert len(left) == 1 and left[0].status == "queued" and left[0].language == "vi"
    assert answers(outbox, ticket.id) == [], "the move's own text is the confirmation"
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.cancel"))
    assert entry.actor == "visitor" and entry.detail["via"] == "sms"


def test_cancel_without_texts_still_gets_one_answer(world, north, text_in, outbox, database):
    ticket = world.walk_in(sms_opt_in=False)
    text_in(ticket.phone, "cancel")
    assert ticket_now(database, ticket.id).status == "cancelled"
    [answer] = answers(outbox, ticket.id)
    assert "You left the line" in answer.body


def test_a_replayed_webhook_changes_nothing(world, north, text_in, outbox, database):
    ticket = world.walk_in()
    first = text_in(ticket.phone, "CANCEL", sid="SM" + "1" * 32)
    again = text_in(ticket.phone, "CANCEL", sid="SM" + "1" * 32)
    assert first.status_code == again.status_code == 200
    assert len(received(outbox)) == 1
    assert len([m for m in outbox(ticket.id) if m.kind == "left"]) == 1
    with database.session() as s:
        cancels = s.scalar(select(func.count()).where(AuditEntry.action == "ticket.cancel"))
    assert cancels == 1


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_a_forged_or_missing_signature_is_refused_and_writes_nothing(
    world, north, twilio_post, database, assert_contract_error, signature
):
    ticket = world.walk_in()
    before = count(database, Message)
    form = {"MessageSid": "SM" + "2" * 32, "From": ticket.phone, "To": "+16175550100",
            "Body": "CANCEL"}  # fmt: skip
    response = twilio_post("/webhooks/twilio/sms", form, signature=signature)
    assert_contract_error(response, 403, "bad_signature")
    assert count(database, Message) == before
    assert ticket_now(database, ticket.id).status == "waiting"


def test_a_signature_for_other_words_is_refused(world, north, client, settings, database):
    from twilio.request_validator import RequestValidator

    ticket = world.walk_in()
    signed = {"MessageSid": "SM" + "3" * 32, "From": ticket.phone, "To": "+1", "Body": "STATUS"}
    signature = RequestValidator(settings.webhook_token).compute_signature(
        "http://localhost/webhooks/twilio/sms", signed
    )
    sent = {**signed, "Body": "CANCEL"}
    response = client.post(
        "/webhooks/twilio/sms", data=sent, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403
    assert ticket_now(database, ticket.id).status == "waiting"


def test_stop_in_any_case_opts_out_and_start_opts_back_in(world, north, text_in, database):
    ticket = world.walk_in(language="es")
    text_in(ticket.phone, "parar")
    assert ticket_now(database, ticket.id).sms_opt_in is False
    text_in(ticket.phone, "Iniciar")
    assert ticket_now(database, ticket.id).sms_opt_in is True


def test_help_names_the_reply_words_and_nothing_that_reveals_the_office(
    world, north, text_in, outbox
):
    ticket = world.walk_in(language="es")
    text_in(ticket.phone, "AYUDA")
    [answer] = answers(outbox, ticket.id)
    assert "ESTADO" in answer.body and "CANCELAR" in answer.body and "PARAR" in answer.body
    assert "988" not in answer.body


def test_a_text_to_a_number_several_sites_share_reaches_the_first_site(
    world, north, south, text_in, database
):
    world.staff(on_duty_at="south", sites_=("south",))
    text_in("+16175550199", "I want to kill myself")
    with database.session() as s:
        [ticket] = s.scalars(select(Ticket))
        assert ticket.site.slug == "north" and ticket.urgent


def test_a_text_from_a_number_not_in_line_is_told_how_to_join(world, north, text_in, outbox):
    text_in("+16175550199", "STATUS")
    [answer] = answers(outbox)
    assert "not in the line" in answer.body and answer.ticket_id is None


def test_join_puts_the_sender_in_the_line_where_the_site_allows_it(
    world, north, text_in, outbox, database
):
    text_in("+16175550199", "JOIN")
    assert count(database, Ticket) == 0 and "not in the line" in answers(outbox)[0].body
    allow_join(database)
    text_in("+16175550199", "排队")
    with database.session() as s:
        [ticket] = s.scalars(select(Ticket))
    assert (ticket.channel, ticket.language, ticket.sms_opt_in) == ("sms", "zh", True)
    [checked_in] = [m for m in outbox(ticket.id) if m.kind == "checked_in"]
    assert checked_in.status == "queued" and ticket.code in checked_in.body


def test_two_joins_from_one_number_at_once_make_one_visit(world, north, database, all_at_once):
    from queue_service.services.inbound_texts import IncomingText, receive

    allow_join(database)

    def join(i: int) -> None:
        text = IncomingText(f"SM{i:032d}", "+16175550199", "+16175550100", "JOIN")
        with database.session() as s:
            receive(s, text, secret_key="test-secret-key")

    all_at_once(2, join)
    assert count(database, Ticket) == 1


def test_status_once_called_says_where_to_go(world, north, text_in, outbox, api, sign_in):
    world.staff("cm@example.org", on_duty_at="north", desk="4")
    ticket = world.walk_in()
    api.call_next(sign_in("cm@example.org"))
    text_in(ticket.phone, "status")
    [answer] = answers(outbox, ticket.id)
    assert "Please come to desk 4 now" in answer.body


def test_join_at_a_closed_office_makes_no_ticket_and_says_so(
    world, north, closed_today, text_in, outbox, database
):
    allow_join(database)
    text_in("+16175550199", "join")
    assert count(database, Ticket) == 0
    assert "closed" in answers(outbox)[-1].body


def test_other_words_are_kept_for_the_office_and_acknowledged(world, north, text_in, outbox):
    ticket = world.walk_in()
    text_in(ticket.phone, "I'm parking the car, back in 5")
    [inbound] = received(outbox)
    assert inbound.why == "other" and inbound.ticket_id == ticket.id
    assert "We got your message" in answers(outbox, ticket.id)[0].body


def test_a_webhook_without_its_fields_is_refused_clearly(twilio_post, assert_contract_error):
    response = twilio_post("/webhooks/twilio/sms", {"Body": "STATUS"})
    error = assert_contract_error(response, 400, "invalid_request")
    assert set(error["fields"]) == {"MessageSid", "From", "To"}


def test_a_number_not_in_line_at_a_closed_office_is_told_the_truth(
    world, north, closed_today, text_in, outbox
):
    text_in("+16175550199", "hola")
    [answer] = answers(outbox)
    assert "closed" in answer.body and "come to the office" not in answer.body
