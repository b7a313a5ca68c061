"""A called walk-in who does not come is flagged at the server's `no_show_due_at`, and a
caller whose tries all fail is closed as unreachable, with the tries spaced by the server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow
NO_SHOW_AFTER = 5  # seconds: the shortest the server takes


@pytest.fixture(scope="module")
def server(tmp_path_factory, serve):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("no-show")
    running = serve(folder, FRONTDOOR_NO_SHOW_AFTER_SECONDS=str(NO_SHOW_AFTER),
                    FRONTDOOR_CALLBACK_RETRY_MINUTES="0")  # fmt: skip
    yield running
    running.stop()


def test_a_called_walk_in_who_does_not_come_is_flagged(console_of, check_in, live, card):
    maria = console_of("maria@example.org", desk="3")
    ticket = check_in(name="Ana")
    expect(maria.locator(f"tr[data-code='{ticket['code']}']")).to_be_visible(timeout=live)
    maria.click("[data-call-next]")
    mine = card(maria, ticket["code"])
    expect(mine).to_be_visible(timeout=live)
    expect(mine.locator(".flag")).to_have_count(0)
    expect(mine.locator(".flag")).to_contain_text("No-show?", timeout=(NO_SHOW_AFTER + 2) * 1000)
    mine.get_by_role("button", name="No-show").click()
    expect(maria.locator("[data-message]")).to_have_text(f"{ticket['code']} marked as a no-show.")
    expect(mine).to_have_count(0)


def test_a_caller_not_reached_after_every_try_is_closed_as_unreachable(console_of, card):
    maria = console_of("maria@example.org", desk="3")
    maria.fill("#caller-phone", "617-555-0199")
    maria.click("text=Add to the line as a call-back")
    expect(maria.locator("[data-message]")).to_contain_text("added to the line as a call-back")
    code = maria.locator("[data-message]").text_content().split()[0]
    for attempt in (1, 2, 3):
        maria.locator(f"tr[data-code='{code}']").get_by_role("button", name=f"Call {code}").click()
        expect(card(maria, code)).to_contain_text(f"Call attempt {attempt} of 3")
        card(maria, code).get_by_role("button", name="No answer").click()
        if attempt < 3:
            expect(card(maria, code)).to_have_count(0)
    expect(maria.locator("[data-message]")).to_have_text(
        f"{code} closed as unreachable after 3 tries."
    )
