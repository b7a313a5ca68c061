"""Staff and texts: a case manager texts a person in line (same rules as every text, once per
retry, audited without the words); the site's message log lists every text both ways,
newest first, numbers masked, each look audited; each card shows its texts and their
status, and a change to any of them reaches the consoles."""

import pytest
from sqlalchemy import select

from queue_service.domain.events import TicketTexted
from queue_service.models import AuditEntry

SITE = "/api/v1/sites/north"


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


def staff_text(client, headers, ticket_id, body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/tickets/{ticket_id}/messages", json={"body": body},
                       headers=headers)  # fmt: skip


def test_a_manager_texts_a_person_in_their_visit_after_the_sender_name(
    client, manager, world, outbox, database
):
    ticket = world.walk_in(language="es")
    response = staff_text(client, manager, ticket.id, "  Please come back by 3.  ")
    assert response.status_code == 201, response.get_json()
    message = response.get_json()["message"]
    assert message["kind"] == "staff" and message["status"] == "queued"
    assert message["phone"] == "•••" + ticket.phone[-4:] and message["direction"] == "outbound"
    assert message["body"].endswith(": Please come back by 3.")
    [row] = [m for m in outbox(ticket.id) if m.kind == "staff"]
    assert row.phone == ticket.phone and row.language == "es"
    with database.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.texted"))
    assert entry.actor == "staff" and "Please" not in str(entry.detail)


def test_the_same_words_sent_twice_are_one_text(client, manager, world, outbox):
    ticket = world.walk_in()
    first = staff_text(client, manager, ticket.id, "On my way")
    again = staff_text(client, manager, ticket.id, "On my way")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["message"]["id"] == again.get_json()["message"]["id"]
    assert len([m for m in outbox(ticket.id) if m.kind == "staff"]) == 1


@pytest.mark.parametrize(
    ("person", "code"),
    [
        ({"sms_opt_in": False}, "cannot_text_no_consent"),
        ({"phone": None, "sms_opt_in": False}, "cannot_text_no_phone"),
    ],
)
def test_a_text_to_someone_who_did_not_agree_is_refused(
    client, manager, world, outbox, assert_contract_error, person, code
):
    ticket = world.walk_in(**person)
    assert_contract_error(staff_text(client, manager, ticket.id, "Hello"), 409, code)
    assert [m for m in outbox(ticket.id) if m.kind == "staff"] == []


def test_a_number_that_sent_stop_gets_no_staff_text(
    client, manager, world, text_in, assert_contract_error
):
    ticket = world.walk_in()
    text_in(ticket.phone, "STOP")
    response = staff_text(client, manager, ticket.id, "Hi")
    assert_contract_error(response, 409, "cannot_text_no_consent")
    card = client.get(f"{SITE}/queue", headers=manager).get_json()
    assert "text" not in _card(card, ticket.id)["allowed_actions"]


@pytest.mark.parametrize("body", ["", "   ", None, 7, "x" * 301])
def test_an_empty_or_long_text_is_refused(client, manager, world, assert_contract_error, body):
    ticket = world.walk_in()
    error = assert_contract_error(staff_text(client, manager, ticket.id, body), 422)
    assert "body" in error["fields"]


def test_another_sites_manager_cannot_text_or_read(
    client, world, north, sign_in, assert_contract_error
):
    world.site("south")
    world.staff("other@example.org", sites_=("south",))
    other = sign_in("other@example.org")
    ticket = world.walk_in()
    assert_contract_error(staff_text(client, other, ticket.id, "Hi"), 403)
    assert_contract_error(client.get(f"{SITE}/messages", headers=other), 403)


def test_the_message_log_lists_both_ways_newest_first_with_masked_numbers(
    client, manager, world, text_in, database
):
    ticket = world.walk_in()
    text_in(ticket.phone, "running late")
    log = client.get(f"{SITE}/messages", headers=manager).get_json()["messages"]
    kinds = [(m["direction"], m["kind"]) for m in log]
    assert kinds[-1] == ("outbound", "checked_in")
    assert ("inbound", "reply") in kinds and ("outbound", "answer") in kinds
    assert [m["id"] for m in log] == sorted((m["id"] for m in log), reverse=True)
    assert all(m["phone"] == "•••" + ticket.phone[-4:] for m in log)
    assert all(ticket.phone not in str(m) for m in log)
    [reply] = [m for m in log if m["direction"] == "inbound"]
    assert reply["body"] == "running late" and reply["status"] == "received"
    one = client.get(f"{SITE}/messages?ticket={ticket.id}", headers=manager).get_json()
    assert {m["ticket_id"] for m in one["messages"]} == {ticket.id}
    page = client.get(f"{SITE}/messages?limit=1&before={log[0]['id']}", headers=manager)
    assert [m["id"] for m in page.get_json()["messages"]] == [log[1]["id"]]
    with database.session() as s:
        looks = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "messages.viewed")))
    assert len(looks) == 3


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=501", "before=x", "ticket=abc", "before=" + "9" * 24, "ticket=-1"]
)
def test_a_bad_page_of_the_log_is_refused(client, manager, assert_contract_error, query):
    response = client.get(f"{SITE}/messages?{query}", headers=manager)
    assert response.status_code in (404, 422)
    assert_contract_error(response, response.status_code)


def _card(queue, ticket_id):  # type: ignore[no-untyped-def]
    return next(t for t in queue["tickets"] if t["id"] == ticket_id)


def test_each_card_shows_its_texts_and_when_they_last_wrote(
    client, manager, world, text_in, sms_network
):
    ticket = world.walk_in()
    sms_network.deliver()
    card = _card(client.get(f"{SITE}/queue", headers=manager).get_json(), ticket.id)
    [checked_in] = card["texts"]["items"]
    assert (checked_in["kind"], checked_in["status"]) == ("checked_in", "sent")
    assert checked_in["status_label"] == "sent" and card["texts"]["last_reply_at"] is None
    assert "text" in card["allowed_actions"]
    text_in(ticket.phone, "I am outside")
    card = _card(client.get(f"{SITE}/queue", headers=manager).get_json(), ticket.id)
    assert card["texts"]["last_reply_at"] is not None
    assert card["texts"]["items"][-2]["body"] == "I am outside"


def test_a_texts_progress_and_a_reply_reach_the_consoles(
    app, world, north, text_in, sms_network, published, twilio_post
):
    seen = published  # the sender's, here; the webhooks' go on the server's own bus
    app.extensions["frontdoor"].bus.subscribe(TicketTexted, seen.append)
    ticket = world.walk_in()
    texted = TicketTexted(ticket.id, ticket.site_id)
    seen.clear()
    sms_network.deliver()
    assert texted in seen, "the sender's 'sent' was not shown"
    seen.clear()
    [(_to, _body, sid)] = sms_network.delivered
    twilio_post("/webhooks/twilio/status", {"MessageSid": sid, "MessageStatus": "delivered"})
    assert texted in seen, "the delivery report was not shown"
    seen.clear()
    text_in(ticket.phone, "thanks")
    assert texted in seen, "their reply was not shown"


def test_a_managers_text_still_waiting_when_the_visit_ends_is_never_sent(
    client, manager, world, outbox, sms_network
):
    ticket = world.walk_in()
    staff_text(client, manager, ticket.id, "Come to desk 3")
    client.post(f"/api/v1/tickets/{ticket.id}/transitions", json={"action": "cancel"},
                headers=manager)  # fmt: skip
    sms_network.deliver()
    [text] = [m for m in outbox(ticket.id) if m.kind == "staff"]
    assert (text.status, text.phone) == ("suppressed", None)
    assert all("desk 3" not in body for _to, body, _sid in sms_network.delivered)
