"""A case manager's day on the console: calling past an urgent person needs a reason, notes
stay on the card, a half-typed note survives live updates, outcomes read as words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]


@pytest.fixture
def with_maria(console_of, check_in, row, card, live):  # type: ignore[no-untyped-def]
    """Maria on duty at desk 3 has called Ana, a walk-in: (her page, the ticket, its card)."""
    maria = console_of("maria@example.org", desk="3")
    ticket = check_in(name="Ana")
    expect(row(maria, ticket["code"])).to_be_visible(timeout=live)
    maria.click("[data-call-next]")
    mine = card(maria, ticket["code"])
    expect(mine).to_be_visible(timeout=live)
    return maria, ticket, mine


def test_calling_past_an_urgent_person_asks_for_a_reason_and_keeps_it(
    console_of, check_in, row, card, live
):
    maria = console_of("maria@example.org", desk="3")
    urgent = check_in(urgent=True)
    other = check_in(name="Walk In")
    call = row(maria, other["code"]).get_by_role("button", name=f"Call {other['code']}")
    expect(call).to_be_visible(timeout=live)

    call.click()
    dialog = maria.get_by_role("dialog", name="Someone urgent is waiting")
    expect(dialog).to_be_visible()
    # Who waits urgently, and for how long, from the line the console already has.
    expect(dialog.locator("[data-reason-who] li")).to_have_text(
        re.compile(rf"^{urgent['code']}, waiting \d+ min$")
    )
    dialog.get_by_role("button", name="Do not call").click()
    expect(dialog).to_be_hidden()
    expect(maria.locator("[data-message]")).to_have_text(f"{other['code']} was not called.")
    expect(call).to_be_visible()  # still waiting

    call.click()
    dialog.get_by_label("Why call this person first?").fill("Interpreter only here now")
    dialog.get_by_role("button", name=f"Call {other['code']}").click()
    expect(card(maria, other["code"])).to_be_visible(timeout=live)
    expect(maria.locator("[data-message]")).to_contain_text("Reason kept")
    expect(row(maria, urgent["code"])).to_contain_text(urgent["code"])  # the urgent one waits

    row(maria, other["code"]).get_by_role("button", name=f"Record {other['code']}").click()
    expect(maria.locator("[data-record]")).to_contain_text("Interpreter only here now")


def test_a_saved_note_stays_on_the_card_even_after_a_reload(with_maria, card, live):
    maria, ticket, mine = with_maria
    mine.get_by_label("Private note").fill("Needs a letter for the landlord")
    mine.get_by_role("button", name="Save note").click()
    expect(mine.locator("[data-notes]")).to_contain_text("Needs a letter for the landlord")
    expect(mine.locator("[data-notes]")).to_contain_text("Maria")
    expect(mine.get_by_label("Private note")).to_have_value("")
    maria.reload()
    expect(card(maria, ticket["code"]).locator("[data-notes]")).to_contain_text(
        "Needs a letter for the landlord", timeout=live
    )


def test_a_half_typed_note_and_its_focus_survive_live_updates(with_maria, check_in, row, live):
    maria, _, mine = with_maria
    note = mine.get_by_label("Private note")
    note.click()
    note.type("Half a thought")
    mine.get_by_label("Outcome").select_option("follow_up")
    note.focus()
    for i in range(3):  # the line changes under the manager's hands
        arrived = check_in(name=f"New {i}")
        expect(row(maria, arrived["code"])).to_be_visible(timeout=live)
    expect(note).to_have_value("Half a thought")
    expect(note).to_be_focused()
    expect(mine.get_by_label("Outcome")).to_have_value("follow_up")


def test_a_crisis_outcome_records_where_the_person_was_referred(with_maria):
    maria, ticket, mine = with_maria
    mine.get_by_role("button", name="Start").click()
    outcome = mine.get_by_label("Outcome")
    expect(outcome.locator("option", has_text="Crisis referral")).to_have_count(1)
    assert "Could not be reached" not in outcome.locator("option").all_text_contents()
    outcome.select_option(label="Crisis referral")
    mine.get_by_label("Crisis: referred to").select_option(label="988 Lifeline")
    mine.get_by_role("button", name=f"Complete {ticket['code']}").click()
    expect(maria.locator("[data-message]")).to_have_text(
        f"{ticket['code']} completed: crisis referral: 988 Lifeline."
    )


def test_a_referral_without_a_destination_is_refused_in_the_servers_words(with_maria, live):
    maria, ticket, mine = with_maria
    mine.get_by_role("button", name="Start").click()
    mine.get_by_label("Outcome").select_option("referred")
    detail = mine.get_by_label("Referred to what?")
    expect(detail).to_have_attribute("required", "")
    # The browser would stop an empty detail; remove that to see the server refuse it too.
    detail.evaluate("el => el.removeAttribute('required')")
    mine.get_by_role("button", name=f"Complete {ticket['code']}").click()
    expect(maria.locator("[data-message]")).to_contain_text("referred", timeout=live)
    expect(mine).to_be_visible()
