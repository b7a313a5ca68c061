"""Staff administration in the browser: an administrator invites a case manager, who sets a
password through the one-time link and signs in; deactivated, their open console is signed
out at once. Every page of it passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

NEW_PASSWORD = "a quiet harbour at dawn"
LAPTOP = {"width": 1366, "height": 768}


def test_an_invited_case_manager_signs_in_and_is_signed_out_when_deactivated(
    browser, console_of, server, axe
) -> None:
    admin = console_of("ada@example.org")
    admin.get_by_role("navigation", name="Console").get_by_role(
        "link", name="Administration"
    ).click()
    admin.get_by_role("navigation", name="Administration").get_by_role("link", name="Staff").click()
    expect(admin.get_by_role("heading", name="Who works at North Site Office")).to_be_visible()
    assert axe(admin) == []

    admin.get_by_label("Name").fill("Cam Reyes")
    admin.get_by_label("Email").fill("cam@example.org")
    admin.get_by_role("button", name="Invite").click()
    link = admin.get_by_label("Give Cam Reyes this link")
    expect(link).to_be_visible()
    url = link.input_value()
    assert "/console/set-password/" in url
    # The link takes focus, so it is seen at once; the list says Cam has yet to use it.
    expect(link).to_be_focused()
    expect(admin.locator("[data-staff-row='cam@example.org']")).to_contain_text(
        "Invited: has not chosen a password yet"
    )
    assert axe(admin) == []

    cam = browser.new_context(viewport=LAPTOP).new_page()
    cam.goto(url)
    expect(cam.get_by_role("heading", name="Choose a password")).to_be_visible()
    assert axe(cam) == []
    cam.get_by_label("New password").fill(NEW_PASSWORD)
    cam.get_by_label("The same password again").fill(NEW_PASSWORD)
    cam.get_by_role("button", name="Set my password").click()
    expect(cam.locator("[data-signed-out]")).to_have_text("Your password is set. Sign in with it.")
    cam.fill("#email", "cam@example.org")
    cam.fill("#password", NEW_PASSWORD)
    cam.click("button[type=submit]")
    expect(cam.locator("[data-connection]")).to_have_text("Live.")
    # A case manager's navigation: the queue, visitors, cases and today's report; no
    # Administration, no Audit.
    nav = cam.get_by_role("navigation", name="Console")
    expect(nav.get_by_role("link")).to_have_text(["Queue", "Visitors", "Cases", "Reports"])

    admin.get_by_role("button", name="Deactivate Cam Reyes").click()
    # One press asks first: nothing is done until it is confirmed.
    expect(cam.locator("[data-connection]")).to_have_text("Live.")
    assert axe(admin) == []
    admin.get_by_role("button", name="Yes, deactivate").click()
    expect(admin.locator("[data-message]")).to_have_text(
        "Cam Reyes is deactivated and signed out everywhere."
    )
    # At once, by the server's message, long before the idle or 30 s checks.
    expect(cam.locator("[data-signed-out]")).to_have_text(
        "You were signed out: an administrator changed your account.", timeout=3000
    )
    expect(cam.locator("[data-console]")).to_have_count(0)
    cam.context.close()
