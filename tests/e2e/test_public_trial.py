"""Issue 8's new-user trial, in a real browser: the phone keeps its help panel across a
reload; the lobby says the truth when nobody is on duty; "I don't feel safe" is the first Tab
from every kiosk screen's heading; a 24-hour site's closure reads naturally; the safety
screen shows the urgent ticket's QR below the crisis lines; a 503 keeps the check-in's key."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]

CHECK_INS = re.compile(r"/check-ins(\?.*)?$")
HELP = re.compile(r"/api/v1/tickets/[^/]+/help$")
SAFETY = "[data-step]:not([hidden]) [data-action=help]"
UNSTAFFED = "We are getting a case manager. You can still check in."
CANNOT_SAVE = "We cannot save your check-in right now. Please see the front desk."
TURN_MS = 6000  # each language's turn on the lobby screen


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    return own_server


@pytest.fixture
def maria(nobody_on_duty):  # type: ignore[no-untyped-def]
    """Maria, off duty to start with (nobody is on duty at north), and off duty after."""
    return nobody_on_duty


@pytest.fixture
def west_closed_today(change_site, office_today):  # type: ignore[no-untyped-def]
    """West, open day and night, closed today for a training day; open again after."""
    change_site("west", hours="always", closures=[{"date": office_today, "reason": "Training"}])
    yield
    change_site("west", hours="always", closures=[])


def below(page, lower: str, upper: str) -> bool:  # type: ignore[no-untyped-def]
    top = page.locator(lower).bounding_box()["y"]
    box = page.locator(upper).bounding_box()
    return top >= box["y"] + box["height"]


def tab_from_heading(page) -> dict:  # type: ignore[no-untyped-def]
    """Tab once from the screen's heading (where the screen put the focus): what it reaches."""
    assert page.evaluate("document.activeElement.tagName") == "H1", "the heading has the focus"
    page.keyboard.press("Tab")
    return page.evaluate("""() => ({action: document.activeElement.dataset.action || null,
        safety: document.activeElement.classList.contains('safety')})""")


def test_a_reloaded_phone_page_keeps_the_help_panel_and_what_the_office_was_told(
    phone, browser, server, check_in, maria, axe, wake
):
    ticket = check_in(language="en")
    neighbour = check_in(language="en")
    phone.goto(ticket["status_url"])
    with phone.expect_response(HELP):
        phone.click("[data-action=help]")
    panel = phone.locator("[data-help]")
    expect(panel.locator("[data-field=help-after]")).to_have_text("We are alerting the office.")

    phone.reload()
    expect(panel).to_be_visible()
    for href in ("tel:988", "sms:988", "tel:911"):
        expect(panel.locator(f'a[href="{href}"]')).to_be_visible()
    expect(panel.locator("[data-field=help-after]")).to_have_text("We are alerting the office.")
    expect(panel.locator("h2")).to_have_text("You can talk to someone right now:")
    expect(phone.locator("[data-action=help]")).to_be_hidden()
    assert axe(phone) == []

    # Someone comes on duty: the panel now says, truthfully, that the staff were told.
    maria.duty(True, desk="3")
    wake(phone)
    expect(panel.locator("h2")).to_have_text("We are getting someone for you now.")
    expect(panel.locator("[data-field=help-lead]")).to_have_text(
        "We have told the staff on duty. If you are not at the office, call 988 now."
    )
    phone.reload()
    expect(panel.locator("h2")).to_have_text("We are getting someone for you now.")

    other = browser.new_page()
    other.goto(neighbour["status_url"])
    expect(other.locator("[data-action=help]")).to_be_visible()
    expect(other.locator("[data-help]")).to_be_hidden()  # nothing of another person's
    other.close()


def test_the_lobby_says_nobody_is_calling_while_nobody_is_on_duty_then_calls(
    tv, server, check_in, maria, axe
):
    waiting = check_in(language="en")
    tv.clock.install()
    tv.goto(f"{server.base}/display/north")
    state = tv.locator("[data-field=office-state]")
    expect(state.locator("h2")).to_have_text(UNSTAFFED)
    expect(tv.locator(".now-calling")).to_be_hidden()
    expect(tv.locator("[data-field=waiting]")).to_have_text("People waiting: 1")
    assert axe(tv) == []
    tv.clock.run_for(TURN_MS)  # the next language's turn
    expect(state.locator("h2")).to_have_text(
        "Estamos buscando a un administrador de casos. Aun así, puede obtener su turno."
    )
    assert state.locator("h2").get_attribute("lang") == "es"

    # A call proves someone is on duty: the board is back with it at once, no 15 s wait.
    maria.duty(True, desk="3")
    assert maria.call_next()["code"] == waiting["code"]
    expect(tv.locator("[data-field=latest-code]")).to_have_text(waiting["code"])
    expect(tv.locator(".now-calling")).to_be_visible()
    expect(state).to_be_hidden()


def test_the_lobby_of_a_closed_24_hour_site_says_when_it_opens_again(
    tv, server, west_closed_today, axe
):
    tv.clock.install()
    tv.goto(f"{server.base}/display/west")
    state = tv.locator("[data-field=office-state]")
    expect(state.locator("h2")).to_have_text("We are closed now.")
    expect(state.locator("p")).to_have_text(
        "Closed today: Training We open again tomorrow, all day."
    )
    expect(tv.locator(".now-calling")).to_be_hidden()
    expect(tv.locator(".recent")).to_be_hidden()
    assert "0:00" not in state.inner_text() and "12:00" not in state.inner_text()
    assert axe(tv) == []


def test_a_24_hour_site_on_a_closure_day_opens_again_all_day_in_each_language(
    tablet, server, west_closed_today
):
    words = {
        "en": "We open again tomorrow, all day.",
        "es": "Mañana volvemos a abrir, todo el día.",
        "zh": "我们明天重新开门，全天开放。",  # noqa: RUF001 (Chinese punctuation)
    }
    for lang, opens in words.items():
        tablet.goto(f"{server.base}/kiosk/west/{lang}")
        expect(tablet.locator("[data-step=closed] [data-field=opens]")).to_have_text(opens)
    with tablet.expect_response(CHECK_INS):
        tablet.click(SAFETY)
    expect(tablet.locator("[data-step=help] [data-field=opens]")).to_have_text(words["zh"])


def test_the_safety_button_is_the_first_tab_from_every_kiosk_screens_heading(
    tablet, server, maria, west_closed_today
):
    reached = {}
    tablet.goto(f"{server.base}/kiosk/north")
    tablet.locator("[data-choose] h1").focus()
    reached["languages"] = tab_from_heading(tablet)
    tablet.goto(f"{server.base}/kiosk/north/en")
    for screen, onward in (("needs", "next"), ("name", "skip"), ("phone", "skip")):
        expect(tablet.locator(f"[data-step={screen}] h1")).to_be_focused()
        reached[screen] = tab_from_heading(tablet)
        if screen == "phone":
            with tablet.expect_response(CHECK_INS):
                tablet.click(f"[data-step={screen}] [data-action={onward}]")
        else:
            tablet.click(f"[data-step={screen}] [data-action={onward}]")
    expect(tablet.locator("[data-step=ticket] h1")).to_be_focused()
    reached["ticket"] = tab_from_heading(tablet)
    tablet.goto(f"{server.base}/kiosk/west/en")
    expect(tablet.locator("[data-step=closed] h1")).to_be_focused()
    reached["closed"] = tab_from_heading(tablet)
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.context.set_offline(True)
    tablet.click("[data-action=start-over]")
    expect(tablet.locator("[data-step=offline] h1")).to_be_focused()
    reached["offline"] = tab_from_heading(tablet)
    tablet.context.set_offline(False)
    assert reached == {
        "languages": {"action": None, "safety": True},
        **{s: {"action": "help", "safety": True} for s in list(reached)[1:]},
    }, reached


def test_the_safety_screen_shows_the_urgent_tickets_qr_below_the_crisis_lines(
    tablet, server, maria, axe
):
    tablet.goto(f"{server.base}/kiosk/north")
    with tablet.expect_response(CHECK_INS) as answer:
        tablet.click("a.safety[data-lang=en]")
    made = answer.value.json()
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator("[data-field=help-code] [data-field=code]")).to_have_text(
        made["ticket"]["code"]
    )
    qr = helping.locator("[data-field=qr]")
    expect(qr).to_be_visible()
    assert unquote(qr.get_attribute("src").split(",", 1)[1]) == made["qr_svg"]
    assert below(tablet, "[data-field=help-qr]", "[data-step=help] .crisis")
    assert below(tablet, "[data-field=help-qr]", "[data-field=help-after]")
    assert tablet.evaluate("document.documentElement.scrollHeight") <= 768
    assert axe(tablet) == []

    # From the ticket screen: that same ticket's code and QR, not a new one.
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.click("[data-step=name] [data-action=skip]")
    with tablet.expect_response(CHECK_INS):
        tablet.click("[data-step=phone] [data-action=skip]")
    ticket_qr = tablet.locator("[data-step=ticket] [data-field=qr]")
    expect(ticket_qr).to_have_attribute("src", re.compile(r"^data:image/svg"))  # drawn, not pending
    shown = ticket_qr.get_attribute("src")
    with tablet.expect_response(HELP):
        tablet.click(SAFETY)
    expect(qr).to_be_visible()
    assert qr.get_attribute("src") == shown


def answer_503_then_let_through(page, keys: list[str], refusals: int):  # type: ignore[no-untyped-def]
    """The check-in answers 503 (the database lost) `refusals` times, then gets through."""

    def handle(route):  # type: ignore[no-untyped-def]
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) > refusals:
            route.continue_()
            return
        body = {"error": {"code": "unavailable", "message": "Cannot save now.", "fields": {}}}
        route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="application/json",
                      body=json.dumps(body))  # fmt: skip

    page.route(CHECK_INS, handle)


def test_a_check_in_refused_with_503_says_so_and_its_retry_keeps_the_key_and_makes_one_ticket(
    tablet, server, maria
):
    keys: list[str] = []
    answer_503_then_let_through(tablet, keys, refusals=1)
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.click("[data-step=name] [data-action=skip]")
    tablet.click("[data-step=phone] [data-action=skip]")
    expect(tablet.locator("[data-field=error]")).to_have_text(CANNOT_SAVE)
    expect(tablet.locator("[data-step=phone]")).to_be_visible()
    with tablet.expect_response(CHECK_INS) as answer:
        tablet.click("[data-step=phone] [data-action=submit]")
    assert answer.value.status == 201
    expect(tablet.locator("[data-step=ticket]")).to_be_visible()
    assert len(keys) == 2 and keys[0] == keys[1], "the retry is the same request"
    assert [t["code"] for t in maria.queue()] == [answer.value.json()["ticket"]["code"]]


def test_on_503_the_safety_path_keeps_the_crisis_lines_and_retries_into_one_ticket(
    tablet, server, maria, promises
):
    keys: list[str] = []
    answer_503_then_let_through(tablet, keys, refusals=2)
    tablet.goto(f"{server.base}/kiosk/north/es")
    tablet.click(SAFETY)
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator(".crisis")).to_contain_text("AYUDA")
    expect(tablet.locator("[data-field=error]")).to_have_text(
        "En este momento no podemos registrar su llegada. Por favor, vaya a la recepción."
    )
    assert not [words for words in promises if words in helping.inner_text()]
    # The kiosk keeps trying by itself; once the office can save, one urgent ticket.
    expect(helping.locator("[data-field=help-code]")).to_be_visible(timeout=15000)
    expect(tablet.locator("[data-field=error]")).to_be_hidden()
    assert len(keys) == 3 and len(set(keys)) == 1, keys
    urgent = [t for t in maria.queue() if t["urgent"]]
    assert len(urgent) == 1


def test_a_tablet_on_plain_http_without_random_uuid_still_checks_in_with_a_key(
    tablet, server, maria
):
    # Chromium offers crypto.randomUUID on https and localhost only; an office network's
    # http://10.0.0.5 tablet has none, and every check-in failed there.
    tablet.add_init_script(
        "Object.defineProperty(Crypto.prototype, 'randomUUID', {value: undefined})"
    )
    keys: list[str] = []
    answer_503_then_let_through(tablet, keys, refusals=0)
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.click("[data-step=name] [data-action=skip]")
    with tablet.expect_response(CHECK_INS) as answer:
        tablet.click("[data-step=phone] [data-action=skip]")
    assert answer.value.status == 201
    assert re.fullmatch(r"[0-9a-f]{32}", keys[0]), keys
