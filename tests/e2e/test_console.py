"""Duty case managers on the live console, in real Chromium, against a real server."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import TABLET, axe_violations
from .test_kiosk import check_in_at_kiosk
from .test_sockets import check_in

pytestmark = pytest.mark.slow
LIVE = 1000  # ms: everything a manager does shows on every other console within a second


@pytest.fixture
def console_of(browser, server):  # type: ignore[no-untyped-def]
    """A factory: a signed-in console page per staff member, each in its own browser."""
    contexts = []

    def open_console(email: str, desk: str | None = None):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server.base}/console/")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("[data-console]")).to_be_visible()
        expect(page.locator("[data-connection]")).to_have_text("Live.")
        if desk:
            page.fill("#desk", desk)
            page.click("[data-duty-start]")
            expect(page.locator("[data-my-duty]")).to_contain_text(f"desk {desk}")
        return page

    yield open_console
    for context in contexts:
        context.close()


def row(page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"tr[data-code='{code}']")


def end_every_visit(page) -> None:  # type: ignore[no-untyped-def]
    """Start each test from an empty line: the module's server is shared."""
    page.evaluate(
        """async () => {
          const csrf = JSON.parse(document.getElementById('console-config').textContent).csrfToken;
          const post = (path, body) => fetch(path, {method: 'POST', headers: {'Content-Type':
            'application/json', 'X-CSRFToken': csrf}, body: JSON.stringify(body)});
          const queue = await (await fetch('/api/v1/sites/north/queue')).json();
          for (const t of queue.tickets) await post(`/api/v1/tickets/${t.id}/transitions`,
            {action: 'cancel'});
        }"""
    )


def test_two_managers_see_each_others_work_live(console_of, tablet, server):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="5")
    end_every_visit(maria)
    expect(maria.locator("[data-on-duty]")).to_contain_text("Jean (desk 5)", timeout=LIVE)
    expect(jean.locator("[data-on-duty]")).to_contain_text("Maria (desk 3)")

    ticket = check_in_at_kiosk(tablet, server.base, "en", name="Ana")
    shown_at = time.monotonic()
    for page in (maria, jean):
        expect(row(page, ticket["code"])).to_contain_text("Ana", timeout=LIVE)
    assert time.monotonic() - shown_at < 1.0

    maria.click("[data-call-next]")
    card = maria.locator(f"[data-card][data-code='{ticket['code']}']")
    expect(card).to_be_visible(timeout=LIVE)
    expect(row(jean, ticket["code"])).to_contain_text("Maria", timeout=LIVE)
    expect(row(jean, ticket["code"])).to_contain_text("called to desk 3")

    card.get_by_role("button", name="Start").click()
    expect(row(jean, ticket["code"])).to_contain_text("in session", timeout=LIVE)
    card.locator("select[name=outcome]").select_option("referred")
    card.locator("input[name=detail]").fill("Food pantry on Main St")
    card.get_by_role("button", name=f"Complete {ticket['code']}").click()
    for page in (maria, jean):
        expect(row(page, ticket["code"])).to_have_count(0, timeout=LIVE)


def test_an_urgent_arrival_alerts_every_console_until_someone_acknowledges(console_of):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="5")
    end_every_visit(maria)
    ticket = check_in(maria.url.split("/console")[0], urgent=True)
    for page in (maria, jean):
        alert = page.locator(f"[data-alert='{_id(page, ticket['code'])}']")
        expect(alert).to_contain_text("URGENT", timeout=LIVE)
        expect(row(page, ticket["code"])).to_contain_text("URGENT")  # not colour alone

    jean.click(f"text=Acknowledge {ticket['code']}")
    for page in (maria, jean):
        expect(page.locator("[data-alert]")).to_have_count(0, timeout=LIVE)
    expect(maria.locator("[data-message]")).to_contain_text("acknowledged by Jean")


def test_a_caller_is_added_and_worked_through_the_call_back_tries(console_of):
    maria = console_of("maria@example.org", desk="3")
    end_every_visit(maria)
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
    expect(card.locator("a[href^='tel:']")).to_have_text("+16175550147")
    card.locator("text=No answer").click()
    expect(card).to_contain_text("Call attempt 2 of 3")
    card.locator("text=Voicemail left (no details)").click()
    expect(card).to_contain_text("Call attempt 3 of 3")
    card.locator("text=No answer").click()
    expect(maria.locator("[data-message]")).to_contain_text("closed as unreachable after 3")
    expect(card).to_have_count(0)


def test_signing_out_then_back_shows_nothing(console_of):
    maria = console_of("maria@example.org")
    end_every_visit(maria)
    ticket = check_in(maria.url.split("/console")[0], name="Private Person")
    expect(row(maria, ticket["code"])).to_be_visible(timeout=LIVE)
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


def test_a_manager_of_another_site_sees_nothing_of_this_one(console_of, server):
    sam = console_of("sam@example.org")
    ticket = check_in(server.base, name="North Only")
    assert sam.request.get(f"{server.base}/api/v1/sites/north/queue").status == 403
    sam.wait_for_timeout(500)  # time for a leaked event to arrive, if one ever did
    assert ticket["code"] not in sam.content() and "North Only" not in sam.content()


def test_the_console_has_no_serious_accessibility_problems(console_of):
    maria = console_of("maria@example.org", desk="3")
    check_in(maria.url.split("/console")[0], urgent=True)
    expect(maria.locator("[data-alert]").first).to_be_visible(timeout=LIVE)
    assert axe_violations(maria) == []


def _id(page, code: str) -> str:  # type: ignore[no-untyped-def]
    return row(page, code).get_attribute("data-ticket", timeout=LIVE)


__all__ = ["TABLET"]
