"""Site settings in the browser: a site lead adds a need category with a label in each of
the six languages, moves it up by keyboard, and a Haitian Creole kiosk shows the Creole
label; a missing label is refused beside its field; the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from web_kernel.i18n import LANGUAGE_NAMES

pytestmark = pytest.mark.slow

FORMS = {
    "en": "Help with forms",
    "es": "Ayuda con formularios",
    "pt": "Ajuda com formulários",
    "ht": "Èd ak fòmilè",
    "zh": "帮忙填表",
    "vi": "Giúp điền đơn",
}


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    return own_server


@pytest.fixture
def settings_page(console_of, server):  # type: ignore[no-untyped-def]
    page = console_of("lena@example.org")
    page.get_by_role("navigation", name="Console").get_by_role(
        "link", name="Administration"
    ).click()
    expect(page.get_by_role("heading", name="Site settings", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Need categories")).to_be_visible()
    return page


def new_need_row(page, slug: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-slug='{slug}']")


def test_a_lead_adds_a_need_with_six_labels_and_the_creole_kiosk_shows_it(
    settings_page, tablet, server, axe
) -> None:
    page = settings_page
    assert axe(page) == []
    page.get_by_label("New need's short name").fill("forms")
    page.get_by_role("button", name="Add a need").click()
    row = new_need_row(page, "forms")
    for lang, field in LANGUAGE_NAMES.items():
        row.get_by_label(field, exact=True).fill(FORMS[lang])
    # Up by the keyboard, past "Something else": the focus stays on the moved row's button.
    row.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-slug]").nth(7)).to_have_attribute("data-slug", "forms")
    expect(new_need_row(page, "forms").get_by_role("button", name="Move up")).to_be_focused()
    page.get_by_role("button", name="Save", exact=True).click()
    outcome = page.locator("[data-outcome]")
    expect(outcome).to_have_text("Saved: Need categories.")
    expect(outcome).to_be_focused()  # beside Save, where the keyboard is
    page.reload()
    expect(new_need_row(page, "forms").get_by_label("Kreyòl ayisyen")).to_have_value("Èd ak fòmilè")
    assert axe(page) == []

    tablet.goto(f"{server.base}/kiosk/north/ht")
    tiles = tablet.locator("[data-need]")
    expect(tablet.locator("[data-need='forms']")).to_have_text("Èd ak fòmilè")
    expect(tiles.nth(7)).to_have_attribute("data-need", "forms")
    expect(tablet.get_by_text("forms", exact=True)).to_have_count(0)


def test_a_need_without_a_creole_label_is_refused_beside_that_field(settings_page) -> None:
    page = settings_page
    page.get_by_label("New need's short name").fill("passes")
    page.get_by_role("button", name="Add a need").click()
    row = new_need_row(page, "passes")
    for lang, field in LANGUAGE_NAMES.items():
        if lang != "ht":
            row.get_by_label(field, exact=True).fill(FORMS[lang])
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("[data-errors]")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(1)
    expect(summary).to_contain_text("(passes), Kreyòl ayisyen")
    creole = row.get_by_label("Kreyòl ayisyen")
    expect(creole).to_have_attribute("aria-invalid", "true")
    expect(row.locator(".field-error")).to_contain_text("A label in Haitian Creole is needed")
    summary.get_by_role("link").click()
    expect(creole).to_be_focused()
    page.reload()
    expect(new_need_row(page, "passes")).to_have_count(0)  # nothing half-saved


def test_a_retired_need_leaves_the_kiosk_and_can_be_brought_back(
    settings_page, tablet, server
) -> None:
    page = settings_page
    legal = new_need_row(page, "legal")
    legal.get_by_role("button", name="Retire").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-outcome]")).to_have_text("Saved: Need categories.")
    expect(new_need_row(page, "legal")).to_contain_text("Retired")
    tablet.goto(f"{server.base}/kiosk/north/en")
    expect(tablet.locator("[data-need]").first).to_be_attached()
    expect(tablet.locator("[data-need='legal']")).to_have_count(0)

    new_need_row(page, "legal").get_by_role("button", name="Bring back").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-outcome]")).to_have_text("Saved: Need categories.")
    tablet.reload()
    expect(tablet.locator("[data-need='legal']")).to_have_count(1)


def test_a_save_after_someone_else_saved_is_refused_names_their_change_and_keeps_both(
    settings_page, change_site
) -> None:
    page = settings_page
    retention = page.get_by_label("Days to keep names, phone numbers and notes", exact=False)
    retention.fill("60")
    # Meanwhile another lead, on another screen, retires a need.
    as_read = change_site("north")["needs"]
    needs = [{"slug": n["slug"], "labels": n["labels"], "retired": n["retired"]} for n in as_read]
    try:
        change_site("north", needs=[{**n, "retired": n["slug"] == "transport"} for n in needs])
        page.get_by_role("button", name="Save", exact=True).click()
        outcome = page.locator("[data-outcome]")
        expect(outcome).to_contain_text("Not saved: someone else changed Need categories after")
        expect(outcome).to_be_focused()
        expect(retention).to_have_value("60")  # the person's own change is still on the screen
        outcome.get_by_role("button", name="Show the settings as saved now").click()
        expect(new_need_row(page, "transport")).to_contain_text("Retired")
        expect(retention).to_have_value("30")
        retention.fill("60")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(outcome).to_have_text("Saved: Retention period.")
        page.reload()
        expect(retention).to_have_value("60")
        expect(new_need_row(page, "transport")).to_contain_text("Retired")
    finally:
        change_site("north", needs=needs, retention_days=30)  # as the module's other tests expect


def test_a_standard_needs_empty_field_shows_the_kiosks_own_words(settings_page) -> None:
    housing = new_need_row(settings_page, "housing")
    expect(housing.get_by_label("Kreyòl ayisyen")).to_have_value("")
    expect(housing.get_by_label("Español")).to_have_attribute("placeholder", "Un lugar donde vivir")


def test_a_lead_sets_the_texts_and_on_call_and_a_bad_number_is_refused_beside_it(
    settings_page, axe
) -> None:
    page = settings_page
    page.get_by_label("Sender name").fill("North Office")
    page.get_by_label("On-call numbers").fill("(617) 555-0111\nnot a number")
    page.get_by_label("Minutes before an unacknowledged urgent alert goes to on-call").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#site-oncall-error")).to_contain_text("not a number")
    expect(page.get_by_label("On-call numbers")).to_have_attribute("aria-invalid", "true")
    assert axe(page) == []
    page.get_by_label("On-call numbers").fill("(617) 555-0111")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-outcome]")).to_contain_text("On-call numbers")
    page.reload()
    expect(page.get_by_label("On-call numbers")).to_have_value("+16175550111")
    expect(page.get_by_label("Sender name")).to_have_value("North Office")
    expect(
        page.get_by_label("Minutes before an unacknowledged urgent alert goes to on-call")
    ).to_have_value("3")


def test_a_lead_sets_the_repeat_visit_rule_and_a_bad_value_is_refused_beside_it(
    settings_page, axe
) -> None:
    page = settings_page
    page.get_by_label("Days with a visit").fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#site-repeat-visits-error")).to_contain_text("from 2 to 50")
    expect(page.get_by_label("Days with a visit")).to_have_attribute("aria-invalid", "true")
    assert axe(page) == []
    page.get_by_label("Days with a visit").fill("4")
    page.get_by_label("Within the last … days (today included)").fill("60")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-outcome]")).to_contain_text("Repeat visits")
    page.reload()
    expect(page.get_by_label("Days with a visit")).to_have_value("4")
    expect(page.get_by_label("Within the last … days (today included)")).to_have_value("60")
    expect(page.get_by_label("Or days with an urgent visit")).to_have_value("2")
