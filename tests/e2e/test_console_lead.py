"""The site lead's pages: the urgent people nobody saw, followed up with a note; the site's
hours and closures, saved or refused in the server's words; every page accessible."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


@pytest.fixture
def lead_page(console_of, server):  # type: ignore[no-untyped-def]
    def open_page(path: str, email: str = "lena@example.org"):  # type: ignore[no-untyped-def]
        page = console_of(email)
        page.goto(f"{server.base}{path}")
        return page

    return open_page


@pytest.fixture
def west_open_always(manager, server):  # type: ignore[no-untyped-def]
    yield
    lena = manager("lena@example.org", site="west")
    requests.patch(f"{server.base}/api/v1/sites/west", json={"hours": "always", "closures": []},
                   headers=lena.headers, timeout=10).raise_for_status()  # fmt: skip


def not_seen(maria, check_in) -> dict:  # type: ignore[no-untyped-def]
    """Someone urgent who left before anyone saw them."""
    ticket = check_in(urgent=True)
    called = maria.call_next()
    assert called["code"] == ticket["code"]
    path = f"{maria.base}/api/v1/tickets/{called['id']}/transitions"
    answer = requests.post(path, json={"action": "left"}, headers=maria.headers, timeout=10)
    answer.raise_for_status()
    return ticket


def test_a_lead_follows_up_on_an_urgent_person_nobody_saw(lead_page, maria, check_in):
    maria.call_all()
    ticket = not_seen(maria, check_in)
    page = lead_page("/console/urgent-not-seen")
    entry = page.locator(f"[data-follow-up][data-code='{ticket['code']}']")
    # Calling them was seeing the alert; the person themselves was never seen.
    expect(entry).to_contain_text("Alert acknowledged by Maria")
    entry.get_by_label("How did you follow up?").fill("Called them at home; they are safe.")
    entry.get_by_role("button", name=f"Mark {ticket['code']} as followed up").click()
    expect(page.locator("[data-message]")).to_have_text(f"{ticket['code']} marked as followed up.")
    expect(entry).to_have_count(0)


def test_following_up_takes_the_alert_off_every_console(
    lead_page, console_of, manager, check_in, server, live
):
    ticket = check_in(urgent=True)
    lena = manager("lena@example.org")
    cancel = f"{server.base}/api/v1/tickets/{ticket_id(lena, ticket)}/transitions"
    requests.post(
        cancel, json={"action": "cancel"}, headers=lena.headers, timeout=10
    ).raise_for_status()
    maria = console_of("maria@example.org")
    alert = maria.locator("[data-alert]", has_text=ticket["code"])
    expect(alert).to_contain_text("Their visit ended", timeout=live)  # nobody acknowledged it
    page = lead_page("/console/urgent-not-seen")
    entry = page.locator(f"[data-follow-up][data-code='{ticket['code']}']")
    entry.get_by_label("How did you follow up?").fill("Reached them by phone.")
    entry.get_by_role("button", name=f"Mark {ticket['code']} as followed up").click()
    expect(alert).to_have_count(0, timeout=live)
    told = maria.locator("[data-colleagues]")
    expect(told).to_have_text(f"{ticket['code']}: followed up by Lena.")


def ticket_id(lead, ticket: dict) -> int:  # type: ignore[no-untyped-def]
    return next(t["id"] for t in lead.queue() if t["code"] == ticket["code"])


def test_help_asked_at_a_closed_office_is_listed_for_the_lead(
    lead_page, manager, server, west_open_always
):
    headers = manager("lena@example.org", site="west").headers  # nobody on duty at west
    zone = "America/New_York"
    today = datetime.now(ZoneInfo(zone)).date().isoformat()
    requests.patch(f"{server.base}/api/v1/sites/west",
                   json={"timezone": zone, "closures": [{"date": today, "reason": "Training"}]},
                   headers=headers, timeout=10).raise_for_status()  # fmt: skip
    asked = requests.post(f"{server.base}/api/v1/sites/west/check-ins",
                          json={"language": "en", "urgent": True}, timeout=10)  # fmt: skip
    assert asked.status_code == 409, asked.text
    page = lead_page("/console/urgent-not-seen?site=west")
    listed = page.locator("[data-help-while-closed]")
    expect(listed.get_by_role("heading")).to_contain_text("while the office was closed")
    expect(listed.locator("li").first).to_contain_text(
        re.compile(
            r"while the office was closed, on \w{3} \d{1,2} \w{3} at \d\d:\d\d "
            r"\(the kiosk showed the crisis lines and the hours\)\."
        )
    )


def test_case_managers_are_not_shown_the_leads_pages(console_of, server):
    maria = console_of("maria@example.org")
    for path in ("/console/urgent-not-seen", "/console/site-hours"):
        assert maria.request.get(f"{server.base}{path}").status == 403


def test_site_hours_are_saved_and_a_bad_spec_is_refused_in_the_servers_words(
    lead_page, west_open_always
):
    page = lead_page("/console/site-hours?site=west")
    hours = page.get_by_label("Weekly hours")
    expect(hours).to_have_value("always")
    hours.fill("mon-fri 09:00-17:00, sat 10:00-13:00")
    page.get_by_role("button", name="Add a closure").click()
    page.locator("input[type=date]").fill("2026-12-25")
    page.get_by_label("Reason").fill("Christmas Day")
    page.get_by_role("button", name="Save").click()
    saved = "Saved: Weekly hours, Closed on these dates."
    expect(page.locator("[data-outcome]")).to_have_text(saved)
    page.reload()
    expect(hours).to_have_value("mon-fri 09:00-17:00, sat 10:00-13:00")
    expect(page.get_by_label("Reason")).to_have_value("Christmas Day")

    hours.fill("mon-fri 9 to 5")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("[data-errors]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(hours).to_have_attribute("aria-invalid", "true")
    error = page.locator("#site-hours-error")
    expect(error).not_to_be_empty()
    assert "site-hours-error" in (hours.get_attribute("aria-describedby") or "")
    page.reload()
    expect(hours).to_have_value("mon-fri 09:00-17:00, sat 10:00-13:00")  # nothing half-saved


def test_an_empty_closure_row_is_ignored_and_a_refusal_names_its_field(lead_page, west_open_always):
    page = lead_page("/console/site-hours?site=west")
    expect(page.get_by_label("Weekly hours")).to_have_value("always")
    page.get_by_role("button", name="Add a closure").click()  # and left empty
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-outcome]")).to_have_text("Nothing to save: no setting was changed.")
    page.get_by_label("Weekly hours").fill("mon-sat 08:00-18:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-outcome]")).to_have_text("Saved: Weekly hours.")

    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("[data-errors]")
    expect(summary.get_by_role("heading")).to_have_text("Not saved:")
    expect(summary.locator("li")).to_have_count(1)
    expect(summary.locator("li")).to_contain_text("Time zone:")
    expect(summary).not_to_contain_text("hours were not saved")


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("lena@example.org", "/console/urgent-not-seen"),
        ("lena@example.org", "/console/site-hours"),
        ("ada@example.org", "/console/audit"),
    ],
)
def test_the_leads_pages_have_no_serious_accessibility_problems(
    lead_page, maria, check_in, axe, email, path
):
    maria.call_all()
    not_seen(maria, check_in)
    page = lead_page(path, email)
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert axe(page) == []
