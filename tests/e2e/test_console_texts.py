"""Texts on the console, in Chromium: the card shows each text and where it got to (the
"called" text after a manager calls someone who takes texts), a manager sends a text of
their own, and a person's reply lights their row and card until someone marks it seen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]

PHONE = "+16175550163"
# The sender keeps the provider's pace (about a text a second per number) and rests while
# the outbox is empty: a text goes within seconds, not within the console's live time.
SENT_WITHIN = 10_000


@pytest.fixture
def called(console_of, check_in, row, card, live):  # type: ignore[no-untyped-def]
    """Maria on duty at desk 3 has called someone who takes texts: (her page, ticket, card)."""
    maria = console_of("maria@example.org", desk="3")
    ticket = check_in(name="Luz", phone=PHONE, sms_opt_in=True)
    expect(row(maria, ticket["code"])).to_be_visible(timeout=live)
    maria.click("[data-call-next]")
    mine = card(maria, ticket["code"])
    expect(mine).to_be_visible(timeout=live)
    return maria, ticket, mine


def test_the_called_text_and_its_status_show_on_the_card(called, live):
    _maria, _ticket, mine = called
    text = mine.locator("[data-texts] [data-kind=called]")
    # The log backend "sends" it within a second of the call: the card follows it there.
    expect(text).to_have_attribute("data-status", "sent", timeout=SENT_WITHIN)
    expect(text).to_contain_text("Called")
    expect(text).to_contain_text("sent")
    expect(mine.locator("[data-texts] [data-kind=checked_in]")).to_be_visible()


def test_a_manager_texts_the_person_from_the_card(called, live):
    _maria, ticket, mine = called
    mine.get_by_label(f"Text {ticket['code']}").fill("I am at desk 3 when you are ready.")
    mine.get_by_role("button", name="Send text").click()
    mine_text = mine.locator("[data-texts] [data-kind=staff]")
    expect(mine_text).to_contain_text("I am at desk 3 when you are ready.", timeout=live)
    expect(mine_text).to_have_attribute("data-status", "sent", timeout=SENT_WITHIN)
    expect(mine.get_by_label(f"Text {ticket['code']}")).to_have_value("")


def test_a_reply_lights_the_card_until_it_is_marked_seen(called, text_to_office, live, axe):
    maria, ticket, mine = called
    text_to_office(PHONE, "Running 5 minutes late")
    expect(mine).to_have_class(re.compile(r"\breplied\b"), timeout=live)
    expect(mine.locator("[data-new-reply]")).to_contain_text(f"New text from {ticket['code']}")
    expect(mine.locator("[data-texts]")).to_contain_text("Running 5 minutes late")
    # The words where the light is: a manager reads them without opening anything.
    expect(mine.locator("[data-new-reply]")).to_contain_text("“Running 5 minutes late”")
    assert axe(maria) == []
    mine.get_by_role("button", name=f"Mark {ticket['code']}'s text seen").click()
    expect(mine.locator("[data-new-reply]")).to_have_count(0)
    maria.reload()
    expect(mine).to_be_visible(timeout=live)
    expect(mine.locator("[data-new-reply]")).to_have_count(0)


def test_a_reply_from_someone_waiting_lights_their_row(
    console_of, check_in, row, text_to_office, live
):
    lena = console_of("lena@example.org")
    ticket = check_in(name="Rosa", phone="+16175550147", sms_opt_in=True)
    waiting = row(lena, ticket["code"])
    expect(waiting).to_be_visible(timeout=live)
    text_to_office("+16175550147", "Is it long still?")
    expect(waiting.locator("[data-new-reply]")).to_be_visible(timeout=live)
    expect(waiting).to_have_class(re.compile(r"\breplied\b"))


def test_a_reply_typed_on_the_phone_page_lights_that_persons_card(
    called, change_site, browser, server, live, axe
):
    maria, ticket, mine = called
    # Texts reach a site by its number: the office's, as Twilio would be set up.
    change_site("north", sms_callback_number="+16175550100")
    phone_page = maria.context.new_page()
    phone_page.goto(f"{server.base}/console/phone?site=north")
    chat = phone_page.locator("section.phone-chat", has_text=ticket["code"]).first
    expect(chat.locator("[data-text]").first).to_be_visible(timeout=live)
    assert axe(phone_page) == []
    chat.get_by_label(re.compile(rf"Text the office as {ticket['code']}")).fill("Outside now")
    chat.get_by_role("button", name=f"Send as {ticket['code']}").click()
    # The same webhook as a real text: the card lights, and the answer reaches the "phone".
    expect(mine.locator("[data-new-reply]")).to_be_visible(timeout=live)
    expect(mine.locator("[data-texts]")).to_contain_text("Outside now")
    chat = phone_page.locator("section.phone-chat", has_text=ticket["code"]).first
    expect(chat).to_contain_text("Outside now", timeout=live)
    expect(chat.locator(".bubble.ours").last).to_contain_text(
        "We got your message", timeout=SENT_WITHIN
    )
    phone_page.close()


def test_someone_with_me_who_cancels_by_text_is_said_not_just_gone(called, text_to_office, live):
    maria, ticket, mine = called
    text_to_office(PHONE, "CANCEL")
    expect(mine).to_have_count(0, timeout=live)
    expect(maria.locator("[data-message]")).to_contain_text(
        f"{ticket['code']} cancelled their visit themselves"
    )
