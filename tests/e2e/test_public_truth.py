"""The kiosk, the phone page and the lobby screen tell the truth about the office, in the
person's language, in a real browser against a real server: closed (no ticket, the hours,
the crisis lines), nobody on duty (no promise of a person), out of reach (ask at the desk)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

LANGUAGES = {"en": "en", "es": "es", "pt": "pt-BR", "ht": "ht", "zh": "zh-Hans", "vi": "vi"}
# The English word a caller says to 988 to get an interpreter: never translated.
INTERPRETER_WORD = {
    "pt": "Portuguese",
    "ht": "Haitian Creole",
    "zh": "Mandarin",
    "vi": "Vietnamese",
}
WEEKDAYS = "Monday \N{EN DASH} Friday"  # how the kiosk writes mon-fri in English
PROMISES = ("We are getting someone", "coming to you", "alerting")


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    return own_server


@pytest.fixture
def lena(manager):  # type: ignore[no-untyped-def]
    """The site lead of north and west: changes west's hours, reads north's line."""
    return manager("lena@example.org", site="west")


def set_west(lena, **changes) -> None:  # type: ignore[no-untyped-def]
    response = requests.patch(f"{lena.base}/api/v1/sites/west", json=changes,
                              headers=lena.headers, timeout=10)  # fmt: skip
    assert response.status_code == 200, response.text


@pytest.fixture
def west_closed_today(lena):  # type: ignore[no-untyped-def]
    """West closed for the day (a dated closure), weekday hours otherwise; open again after."""
    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    set_west(lena, hours="mon-fri 09:00-17:00", closures=[{"date": today, "reason": "Training"}])
    yield
    set_west(lena, hours="always", closures=[])


def status(base: str, site: str) -> dict:
    return requests.get(f"{base}/api/v1/sites/{site}/status", timeout=10).json()


def first_tab_stop(page) -> str:  # type: ignore[no-untyped-def]
    """The first element Tab reaches from the top of the page (no positive tabindex is used)."""
    return page.evaluate("""() => {
        const all = [...document.querySelectorAll('a[href], button, input, [tabindex]')]
            .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length);
        return all.length ? (all[0].dataset.action || all[0].className) : null;
    }""")


def small_targets(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => [...document.querySelectorAll('button, a, input')]
        .filter(el => el.getClientRects().length)
        .map(el => [el.outerHTML.slice(0, 70), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44).map(([h]) => h)""")


def test_at_a_closed_office_the_kiosk_shows_the_hours_and_crisis_lines_and_makes_no_ticket(
    tablet, server, west_closed_today, lena, axe
):
    tablet.goto(f"{server.base}/kiosk/west/en")
    closed = tablet.locator("[data-step=closed]")
    expect(closed).to_be_visible()
    expect(closed.locator("h1")).to_have_text("We are closed now.")
    expect(closed.locator("[data-field=hours]")).to_contain_text(WEEKDAYS)
    expect(closed.locator("[data-field=opens]")).to_contain_text(re.compile(r"^We open \w+"))
    expect(closed.locator(".crisis")).to_contain_text("988")
    expect(closed.locator(".crisis")).to_contain_text("911")
    for step in ("needs", "name", "phone", "ticket"):
        expect(tablet.locator(f"[data-step={step}]")).to_be_hidden()
    assert axe(tablet) == [] and small_targets(tablet) == []
    assert first_tab_stop(tablet) == "help"

    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
        tablet.click("[data-step]:not([hidden]) [data-action=help]")
    assert answer.value.status == 409
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator(".crisis")).to_contain_text("988")
    expect(helping.locator("[data-field=hours]")).to_contain_text(WEEKDAYS)
    expect(helping.locator("[data-field=help-code]")).to_be_hidden()
    shown = helping.inner_text()
    assert not [words for words in PROMISES if words in shown], "nobody is coming: say none is"
    assert axe(tablet) == []
    assert status(server.base, "west")["waiting"] == 0, "nothing was written"
    assert lena.queue() == []


def test_a_check_in_the_office_refuses_at_submit_shows_the_closed_screen(tablet, server, lena):
    tablet.goto(f"{server.base}/kiosk/west/en")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.click("[data-step=name] [data-action=skip]")
    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    set_west(lena, closures=[{"date": today, "reason": "Training"}])
    try:
        with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
            tablet.click("[data-step=phone] [data-action=skip]")
        assert answer.value.status == 409
        expect(tablet.locator("[data-step=closed]")).to_be_visible()
        expect(tablet.locator("[data-step=closed] .crisis")).to_contain_text("988")
        assert lena.queue() == []
    finally:
        set_west(lena, closures=[])


def test_with_nobody_on_duty_the_safety_path_promises_no_person_and_alerts_the_office(
    tablet, server, nobody_on_duty, axe
):
    tablet.goto(f"{server.base}/kiosk/north/en")
    expect(tablet.locator("[data-field=office-note]")).to_have_text(
        "We are getting a case manager. You can still check in."
    )
    # Hold the check-in on its way, to see what the person reads before the office answers
    # (held, not blocked: a handler that waits would stop the test's own browser calls).
    held: list = []
    tablet.route(re.compile(r"/check-ins(\?.*)?$"), lambda route: held.append(route))
    tablet.click("[data-step]:not([hidden]) [data-action=help]")
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator(".crisis")).to_contain_text("988")
    expect(helping.locator(".crisis")).to_contain_text("911")
    assert held, "the crisis lines show before the office has answered"
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")):
        held[0].continue_()
    expect(helping.locator("[data-field=help-after]")).to_have_text("We are alerting the office.")
    expect(helping.locator("h1")).to_have_text("You can talk to someone right now:")
    shown = helping.inner_text()
    assert "We are getting someone" not in shown and "coming to you" not in shown
    crisis = helping.locator(".crisis").bounding_box()
    after = helping.locator("[data-field=help-after]").bounding_box()
    assert crisis["y"] < after["y"], "the crisis lines come first"
    assert axe(tablet) == [] and small_targets(tablet) == []

    urgent = [t for t in nobody_on_duty.queue() if t["urgent"]]
    assert len(urgent) == 1 and urgent[0]["alert"]["unstaffed"] is True
    assert urgent[0]["alert"]["acknowledged"] is False, "the alert waits on every console"


def test_with_someone_on_duty_the_safety_path_says_the_staff_were_told(tablet, server, manager):
    maria = manager("maria@example.org", desk="3")
    try:
        tablet.goto(f"{server.base}/kiosk/north/en")
        with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")):
            tablet.click("[data-step]:not([hidden]) [data-action=help]")
        helping = tablet.locator("[data-step=help]")
        expect(helping.locator("h1")).to_have_text("We are getting someone for you now.")
        # On duty is not free: the staff were told, and nobody is said to be coming.
        expect(helping.locator("[data-field=help-lead]")).to_have_text(
            "We have told the staff on duty. Please stay here."
        )
        expect(helping.locator(".crisis")).to_contain_text("988")
    finally:
        maria.acknowledge_every_alert()
        maria.end_every_visit()
        maria.duty(False)


def test_a_burst_of_urgent_requests_from_one_kiosk_still_shows_the_crisis_lines(
    browser, server, check_in, nobody_on_duty
):
    kiosk = "203.0.113.251"
    for _ in range(3):
        check_in(urgent=True, origin=kiosk)
    context = browser.new_context(viewport={"width": 1024, "height": 768},
                                  extra_http_headers={"X-Forwarded-For": kiosk})  # fmt: skip
    tablet = context.new_page()
    tablet.goto(f"{server.base}/kiosk/north/en")
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
        tablet.click("[data-step]:not([hidden]) [data-action=help]")
    assert answer.value.status == 202 and answer.value.json()["coalesced"] is True
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator("[data-field=help-after]")).to_have_text(
        "We have already alerted the office."
    )
    expect(helping.locator(".crisis")).to_contain_text("988")
    expect(helping.locator("[data-field=help-code]")).to_be_hidden()
    context.close()


def footer_of(page) -> tuple[str | None, str]:  # type: ignore[no-untyped-def]
    """The screen's 988 line (language, words), once the screen is seen to fit the tablet."""
    footer = page.locator("footer.crisis-footer p")
    expect(footer).to_be_visible()
    assert page.evaluate("document.documentElement.scrollHeight") <= 768, "fits, no scrolling"
    return footer.get_attribute("lang"), footer.inner_text()


def test_the_988_line_is_on_every_kiosk_screen_in_each_language_and_each_fits_the_tablet(
    tablet, server, west_closed_today, nobody_on_duty
):
    tablet.goto(f"{server.base}/kiosk/north")
    lines = dict(
        tablet.eval_on_selector_all(
            "footer.crisis-footer p", "ps => ps.map(p => [p.lang, p.textContent])"
        )
    )
    assert list(lines) == list(LANGUAGES.values()), "the language screen speaks them all"
    assert "AYUDA" in lines["es"] and "text" in lines["en"].lower()
    for code, word in INTERPRETER_WORD.items():
        line = lines[LANGUAGES[code]]
        assert f"“{word}”" in line and "AYUDA" not in line, code

    for code, html_lang in LANGUAGES.items():
        seen = {}
        tablet.goto(f"{server.base}/kiosk/north/{code}")
        seen["needs"] = footer_of(tablet)
        tablet.click("[data-step=needs] [data-action=next]")
        seen["name"] = footer_of(tablet)
        tablet.click("[data-step=name] [data-action=skip]")
        seen["phone"] = footer_of(tablet)
        with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")):
            tablet.click("[data-step=phone] [data-action=skip]")
        expect(tablet.locator("[data-step=ticket]")).to_be_visible()
        assert tablet.get_attribute("[data-step=ticket] [data-field=qr]", "src").startswith(
            "data:image/svg+xml"
        )
        seen["ticket"] = footer_of(tablet)
        with tablet.expect_response(re.compile(r"/help$")):
            tablet.click("[data-step]:not([hidden]) [data-action=help]")
        seen["help"] = footer_of(tablet)
        tablet.goto(f"{server.base}/kiosk/west/{code}")
        expect(tablet.locator("[data-step=closed]")).to_be_visible()
        seen["closed"] = footer_of(tablet)
        with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")):
            tablet.click("[data-step]:not([hidden]) [data-action=help]")
        expect(tablet.locator("[data-step=help] [data-field=help-hours]")).to_be_visible()
        seen["help when closed"] = footer_of(tablet)
        assert set(seen.values()) == {(html_lang, lines[html_lang])}, code


def test_when_the_office_computer_cannot_be_reached_the_kiosk_says_so_and_comes_back(
    tablet, server, axe
):
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.context.set_offline(True)
    tablet.click("[data-action=start-over]")
    offline = tablet.locator("[data-step=offline]")
    expect(offline).to_be_visible()
    expect(offline.locator("h1")).to_have_text(
        "We could not reach the office computer. Please ask at the front desk."
    )
    expect(offline.locator(".crisis")).to_contain_text("988")
    expect(tablet.locator("[data-action=start-over]")).to_be_hidden()
    footer_of(tablet)
    assert axe(tablet) == []
    tablet.context.set_offline(False)
    expect(tablet.locator("[data-step=name]")).to_be_visible(timeout=15000)


def test_the_safety_button_is_the_first_stop_for_the_keyboard_on_every_kiosk_screen(
    tablet, server, nobody_on_duty
):
    tablet.goto(f"{server.base}/kiosk/north/en")
    order = [first_tab_stop(tablet)]
    tablet.click("[data-step=needs] [data-action=next]")
    order.append(first_tab_stop(tablet))
    tablet.click("[data-step=name] [data-action=skip]")
    order.append(first_tab_stop(tablet))
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")):
        tablet.click("[data-step=phone] [data-action=skip]")
    expect(tablet.locator("[data-step=ticket] h1")).to_be_focused()
    order.append(first_tab_stop(tablet))
    assert order == ["help"] * 4
    tablet.keyboard.press("Tab")  # from the ticket's heading, the next stop
    assert tablet.evaluate("document.activeElement.dataset.action") == "help"
