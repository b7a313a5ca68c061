"""Duty case managers on the live console, in real Chromium, against a real server."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]


def test_two_managers_see_each_others_work_live(console_of, check_in, live, row):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="5")
    expect(maria.locator("[data-on-duty]")).to_contain_text("Jean (desk 5)", timeout=live)
    expect(jean.locator("[data-on-duty]")).to_contain_text("Maria (desk 3)")

    ticket = check_in(name="Ana", needs=["housing"])
    shown_at = time.monotonic()
    for page in (maria, jean):
        expect(row(page, ticket["code"])).to_contain_text("Ana", timeout=live)
    assert time.monotonic() - shown_at < 1.0

    maria.click("[data-call-next]")
    card = maria.locator(f"[data-card][data-code='{ticket['code']}']")
    expect(card).to_be_visible(timeout=live)
    expect(row(jean, ticket["code"])).to_contain_text("Maria", timeout=live)
    expect(row(jean, ticket["code"])).to_contain_text("called to desk 3")

    card.get_by_role("button", name="Start").click()
    expect(row(jean, ticket["code"])).to_contain_text("in session", timeout=live)
    card.get_by_label("Outcome").select_option("referred")
    card.get_by_label("Referred to what?").fill("housing")
    card.get_by_role("button", name=f"Complete {ticket['code']}").click()
    expect(maria.locator("[data-message]")).to_have_text(
        f"{ticket['code']} completed: referred to housing."
    )
    for page in (maria, jean):
        expect(row(page, ticket["code"])).to_have_count(0, timeout=live)


def test_the_line_is_shown_in_the_servers_order(console_of, check_in, manager, live):
    maria = console_of("maria@example.org")
    first = check_in(name="First")
    second = check_in(name="Second")
    urgent = check_in(name="Urgent", urgent=True)
    expected = [t["code"] for t in manager("lena@example.org").queue() if t["status"] == "waiting"]
    assert expected[0] == urgent["code"]  # the server puts the urgent person first
    assert set(expected) == {first["code"], second["code"], urgent["code"]}
    rows = maria.locator("[data-waiting] tr[data-code]")
    expect(rows).to_have_count(3, timeout=live)
    assert [rows.nth(i).get_attribute("data-code") for i in range(3)] == expected


def test_a_caller_is_added_and_tried_again_later_with_a_number_to_dial(console_of, row):
    maria = console_of("maria@example.org", desk="3")
    maria.fill("#caller-phone", "617-555-0147")
    maria.fill("#caller-name", "Rui")
    maria.select_option("#caller-language", "pt")
    maria.check("input[name=needs][value=benefits]")
    maria.click("text=Add to the line as a call-back")
    expect(maria.locator("[data-message]")).to_contain_text("added to the line as a call-back")
    code = maria.locator("[data-message]").text_content().split()[0]
    expect(row(maria, code)).to_contain_text("phone")

    maria.click(f"text=Call {code}")
    card = maria.locator(f"[data-card][data-code='{code}']")
    expect(card).to_contain_text("Call attempt 1 of 3")
    # Only what the server allows a called call-back: no walk-in moves.
    expect(card.get_by_role("button", name="Reached them")).to_be_visible()
    for walk_in_only in ("Start", "No-show", "Left without being seen"):
        expect(card.get_by_role("button", name=walk_in_only, exact=True)).to_have_count(0)
    dial = card.locator("a[href^='tel:']")
    expect(dial).to_have_attribute("href", "tel:+16175550147")
    expect(dial).to_have_text("(617) 555-0147")  # formatted for dialling
    card.get_by_role("button", name="No answer").click()
    # Back in the line, not tried again at once: the server spaces the tries.
    expect(maria.locator("[data-message]")).to_contain_text("Next try after")
    expect(card).to_have_count(0)
    expect(row(maria, code).locator("[data-next-try]")).to_contain_text("Next try after")
    expect(row(maria, code).locator("a[href='tel:+16175550147']")).to_have_text("(617) 555-0147")


def test_after_a_reload_the_desk_field_shows_the_rostered_desk(console_of, live):
    maria = console_of("maria@example.org", desk="2")
    maria.reload()
    expect(maria.locator("[data-my-duty]")).to_contain_text("desk 2", timeout=live)
    expect(maria.get_by_label("Desk")).to_have_value("2")


def test_signing_out_then_back_shows_nothing(console_of, check_in, live, row):
    maria = console_of("maria@example.org")
    ticket = check_in(name="Private Person")
    expect(row(maria, ticket["code"])).to_be_visible(timeout=live)
    maria.click("text=Sign out")
    expect(maria.locator("[data-signed-out]")).to_have_text("You have signed out.")
    maria.go_back()
    maria.wait_for_load_state()
    expect(maria.locator("#email")).to_be_visible()
    assert "Private Person" not in maria.content()
    assert (
        maria.request.get(maria.url.split("/console")[0] + "/api/v1/sites/north/queue").status
        == 401
    )


def test_a_manager_of_another_site_sees_nothing_of_this_one(console_of, check_in, server):
    sam = console_of("sam@example.org")
    ticket = check_in(name="North Only")
    assert sam.request.get(f"{server.base}/api/v1/sites/north/queue").status == 403
    sam.wait_for_timeout(500)  # time for a leaked event to arrive, if one ever did
    assert ticket["code"] not in sam.content() and "North Only" not in sam.content()


@pytest.mark.parametrize(
    ("email", "sections", "queue_pages"),
    [
        # The test servers use the log backend: "Phone (trying texts)" stands in for one.
        (
            "maria@example.org",
            ["Queue", "Visitors", "Cases", "Reports"],
            ["Live queue", "Texts", "Phone (trying texts)"],
        ),
        (
            "lena@example.org",
            ["Queue", "Visitors", "Cases", "Reports", "Administration"],
            ["Live queue", "Urgent, not seen", "Texts", "Phone (trying texts)"],
        ),
        (
            "ada@example.org",
            ["Queue", "Visitors", "Cases", "Reports", "Administration", "Audit"],
            ["Live queue", "Urgent, not seen", "Texts", "Phone (trying texts)"],
        ),
    ],
)
def test_each_role_is_offered_only_the_pages_it_may_use(console_of, email, sections, queue_pages):
    page = console_of(email)
    nav = page.get_by_role("navigation", name="Console")
    expect(nav.get_by_role("link")).to_have_text(sections)
    expect(nav.get_by_role("link", name="Queue")).to_have_attribute("aria-current", "true")
    pages = page.get_by_role("navigation", name="Queue")
    expect(pages.get_by_role("link")).to_have_text(queue_pages)
    expect(pages.get_by_role("link", name="Live queue")).to_have_attribute("aria-current", "page")


def test_the_site_picker_shows_only_for_someone_with_more_than_one_site(console_of):
    expect(console_of("maria@example.org").locator("[data-site-pick]")).to_be_hidden()
    lena = console_of("lena@example.org")
    expect(lena.get_by_label("Site")).to_be_visible()
    lena.get_by_label("Site").select_option("west")
    expect(lena.locator("[data-connection]")).to_have_text("Live.")
    assert lena.url.endswith("?site=west")
    expect(lena.get_by_role("link", name="Administration")).to_have_attribute(
        "href", "/console/site-settings?site=west"
    )


def test_the_urgent_sound_is_on_for_a_manager_on_duty_and_can_be_switched_off(console_of, manager):
    manager("jean@example.org").duty(False)
    jean = console_of("jean@example.org")
    sound = jean.get_by_role("switch", name="Sound for urgent alerts (and new texts)")
    expect(sound).not_to_be_checked()
    jean.fill("#desk", "5")
    jean.click("[data-duty-start]")
    expect(sound).to_be_checked()
    sound.uncheck()
    jean.fill("#desk", "6")  # a duty change later does not undo the manager's choice
    jean.click("[data-duty-start]")
    expect(jean.locator("[data-my-duty]")).to_contain_text("desk 6")
    expect(sound).not_to_be_checked()


def test_the_console_fits_an_office_laptop_screen(console_of, check_in, live, row):
    maria = console_of("maria@example.org", desk="3")
    ticket = check_in(name="Wide Name For A Narrow Screen", needs=["housing", "legal"])
    expect(row(maria, ticket["code"])).to_be_visible(timeout=live)
    maria.click("[data-call-next]")
    expect(maria.locator("[data-card]")).to_be_visible(timeout=live)
    assert maria.evaluate("document.documentElement.scrollWidth") <= 1366


def test_the_console_has_no_serious_accessibility_problems(console_of, check_in, axe, live):
    maria = console_of("maria@example.org", desk="3")
    check_in(urgent=True)
    check_in(name="Ana")
    expect(maria.locator("[data-alert]").first).to_be_visible(timeout=live)
    maria.click("[data-call-next]")
    expect(maria.locator("[data-card]").first).to_be_visible(timeout=live)
    assert axe(maria) == []
