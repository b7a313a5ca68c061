"""'I don't feel safe' on the person's own phone: the crisis lines at once, a tap away; then
only the words the office's answer allows, as the kiosk says them; never a second ticket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

HELP = re.compile(r"/api/v1/tickets/[^/]+/help$")


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):  # type: ignore[no-untyped-def]
    running = serve(tmp_path_factory.mktemp("public-phone-help"))
    yield running
    running.stop()


@pytest.fixture
def lena(manager):  # type: ignore[no-untyped-def]
    """North's site lead: reads its line and leaves it empty after each test."""
    lead = manager("lena@example.org")
    yield lead
    lead.acknowledge_every_alert()
    lead.end_every_visit()
    for email in ("maria@example.org", "jean@example.org"):
        manager(email).duty(False)


def first_tab_stop(page) -> str | None:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => {
        const all = [...document.querySelectorAll('a[href], button, input, [tabindex]')]
            .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length);
        return all.length ? all[0].dataset.action || all[0].className : null;
    }""")


def waiting_codes(lead) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    return [(t["code"], t["urgent"]) for t in lead.queue() if t["status"] == "waiting"]


def test_with_nobody_on_duty_the_phone_shows_the_lines_first_and_alerts_the_office(
    phone, server, check_in, lena, promises, axe
):
    ticket = check_in(language="en")
    phone.goto(ticket["status_url"])
    assert first_tab_stop(phone) == "help", "the first stop for the keyboard"
    held: list = []
    phone.route(HELP, lambda route: held.append(route))
    phone.click("[data-action=help]")
    panel = phone.locator("[data-help]")
    # At once, before the office has answered: 988 and 911 a tap away, no promise.
    for href in ("tel:988", "sms:988", "tel:911"):
        expect(panel.locator(f'a[href="{href}"]')).to_be_visible()
    expect(panel.locator("[data-field=help-after]")).to_have_text(
        "Please ask at the front desk now."
    )
    assert held and not [words for words in promises if words in panel.inner_text()]
    expect(panel.locator("h2")).to_be_focused()
    with phone.expect_response(HELP) as answer:
        held[0].continue_()
    assert answer.value.json()["office"]["state"] == "unstaffed"
    expect(panel.locator("[data-field=help-after]")).to_have_text("We are alerting the office.")
    expect(panel.locator("h2")).to_have_text("You can talk to someone right now:")
    assert "coming to you" not in panel.inner_text()
    crisis = panel.locator(".crisis").bounding_box()
    after = panel.locator("[data-field=help-after]").bounding_box()
    assert crisis["y"] < after["y"], "the crisis lines come first"
    assert axe(phone) == []
    assert waiting_codes(lena) == [(ticket["code"], True)], "this ticket urgent, no second one"


def test_with_someone_on_duty_the_phone_says_the_staff_were_told(
    phone, server, check_in, manager, lena
):
    manager("maria@example.org", desk="3")
    ticket = check_in(language="es")
    phone.goto(ticket["status_url"])
    with phone.expect_response(HELP):
        phone.click("[data-action=help]")
    panel = phone.locator("[data-help]")
    expect(panel.locator("h2")).to_have_text("Ya estamos buscando a alguien para ayudarle.")
    expect(panel.locator("[data-field=help-lead]")).to_have_text(
        "Ya avisamos al personal de turno. Si no está en la oficina, llame al 988 ahora."
    )
    expect(panel.locator(".crisis")).to_contain_text("AYUDA")
    assert waiting_codes(lena) == [(ticket["code"], True)]


def test_out_of_reach_the_phone_keeps_the_lines_and_tries_again(
    phone, server, check_in, manager, lena, promises
):
    manager("maria@example.org", desk="3")  # last seen staffed: still no promise offline
    ticket = check_in(language="en")
    phone.goto(ticket["status_url"])
    phone.route(HELP, lambda route: route.abort())
    phone.click("[data-action=help]")
    panel = phone.locator("[data-help]")
    expect(panel.locator("[data-field=help-error]")).to_contain_text("could not reach")
    expect(panel.locator('a[href="tel:988"]')).to_be_visible()
    assert not [words for words in promises if words in panel.inner_text()]
    with phone.expect_response(HELP, timeout=10000) as answer:
        phone.unroute(HELP)
    assert answer.value.ok
    expect(panel.locator("h2")).to_have_text("We are getting someone for you now.")
    expect(panel.locator("[data-field=help-error]")).to_be_hidden()
    assert waiting_codes(lena) == [(ticket["code"], True)], "the retries made no second ticket"


def test_at_a_closed_office_the_phone_promises_nobody(
    phone, server, check_in, change_site, office_today, promises, manager
):
    ticket = check_in(site="west", language="en")
    change_site("west", closures=[{"date": office_today, "reason": "Snow"}])
    try:
        phone.goto(ticket["status_url"])
        with phone.expect_response(HELP) as answer:
            phone.click("[data-action=help]")
        assert answer.value.json()["office"]["state"] == "closed"
        panel = phone.locator("[data-help]")
        expect(panel.locator("[data-field=help-after]")).to_contain_text("We are closed now.")
        expect(panel.locator('a[href="tel:911"]')).to_be_visible()
        assert not [words for words in promises if words in panel.inner_text()]
    finally:
        change_site("west", closures=[])
        manager("lena@example.org", site="west").end_every_visit()
