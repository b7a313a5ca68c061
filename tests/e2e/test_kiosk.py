"""A walk-in's whole visit in a real browser: kiosk, own phone, lobby screen."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

ENGLISH_QUESTION = "What brings you in today?"


def check_in_at_kiosk(tablet, base: str, language: str, *, name: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Walk the kiosk as a person would; returns the office's answer (ticket, office, QR)."""
    tablet.goto(f"{base}/kiosk/north")
    tablet.click(f"a.tile[data-lang={language}]")
    expect(tablet.locator("[data-step=needs] h1")).to_be_visible()
    tablet.click("[data-need=housing]")
    tablet.click("[data-need=food]")
    tablet.click("[data-step=needs] [data-action=next]")
    if name:
        tablet.fill("#name", name)
        tablet.click("[data-step=name] [data-action=next]")
    else:
        tablet.click("[data-step=name] [data-action=skip]")
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
        tablet.click("[data-step=phone] [data-action=skip]")
    body = answer.value.json()
    expect(tablet.locator("[data-step=ticket] .code")).to_have_text(body["ticket"]["code"])
    return body


@pytest.mark.parametrize(("language", "html_lang"), [("es", "es"), ("zh", "zh-Hans")])
def test_a_walk_in_checks_in_and_follows_the_call_live_on_their_phone(
    tablet, phone, server, maria, language, html_lang
):
    maria.call_all()
    answer = check_in_at_kiosk(tablet, server.base, language, name="Ana")
    ticket = answer["ticket"]
    assert tablet.get_attribute("html", "lang") == html_lang
    assert tablet.text_content("[data-step=needs] h1") != ENGLISH_QUESTION, "translated"
    assert ticket["language"] == language
    # The QR came with the answer: shown with the code, not fetched after it.
    shown = tablet.get_attribute("[data-step=ticket] [data-field=qr]", "src")
    assert (
        shown.startswith("data:image/svg+xml")
        and unquote(shown.split(",", 1)[1]) == answer["qr_svg"]
    )

    phone.goto(ticket["status_url"])  # what the QR code opens
    expect(phone.locator("[data-field=code]")).to_have_text(ticket["code"])
    assert phone.get_attribute("html", "lang") == html_lang
    expect(phone.locator("[data-field=place]")).to_contain_text("1")

    called = maria.call_next()
    assert called["code"] == ticket["code"]
    expect(phone.locator("[data-field=desk]")).to_contain_text("3", timeout=5000)


def test_the_qr_code_opens_the_ticket_page(tablet, server, maria):
    maria.call_all()
    ticket = check_in_at_kiosk(tablet, server.base, "en")["ticket"]
    svg = tablet.request.get(f"{server.base}/t/{ticket['token']}/qr.svg")
    png = tablet.request.get(f"{server.base}/t/{ticket['token']}/qr.png")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert png.ok and png.body()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ticket["status_url"] == f"{server.base}/t/{ticket['token']}"


def test_someone_who_feels_unsafe_is_helped_at_once(tablet, server, maria):
    maria.call_all()
    tablet.goto(f"{server.base}/kiosk/north/vi")
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
        tablet.click("[data-step]:not([hidden]) [data-action=help]")
    expect(tablet.locator("[data-step=help]")).to_be_visible()
    expect(tablet.locator("[data-step=help] .crisis")).to_contain_text("988")
    expect(tablet.locator("[data-step=help] .crisis")).to_contain_text("911")
    ticket = answer.value.json()["ticket"]
    expect(tablet.locator("[data-step=help] [data-field=code]")).to_have_text(ticket["code"])
    queue = maria.queue()
    waiting = [t for t in queue if t["status"] == "waiting"]
    assert waiting[0]["code"] == ticket["code"] and waiting[0]["urgent"] is True


def test_the_safety_button_on_the_language_screen_checks_in_as_urgent(tablet, server, maria):
    maria.call_all()
    tablet.goto(f"{server.base}/kiosk/north")
    with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")) as answer:
        tablet.click("a.safety")
    expect(tablet.locator("[data-step=help] .crisis")).to_contain_text("988")
    assert answer.value.json()["ticket"]["position"] == 1


def test_the_lobby_screen_shows_the_called_code_and_desk_and_never_a_name(
    browser, tablet, server, maria
):
    maria.call_all()
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    frames: list[str] = []
    screen.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    screen.goto(f"{server.base}/display/north")
    tablet.request.post(f"{server.base}/api/v1/sites/north/check-ins", data={
        "language": "en", "name": "Zelda Quartermain", "needs": ["legal"],
        "phone": "617-555-0199", "sms_opt_in": True,
    })  # fmt: skip
    expect(screen.locator("[data-field=waiting]")).to_contain_text("1", timeout=5000)
    called = maria.call_next()
    expect(screen.locator("[data-field=latest-code]")).to_have_text(called["code"], timeout=5000)
    expect(screen.locator("[data-field=latest-desk]")).to_contain_text("3")
    expect(screen.locator(".now-calling")).to_have_class(re.compile("flash"))
    page_text = screen.content() + "".join(frames)
    for private in ("Zelda", "Quartermain", "legal", "555-0199", "6175550199"):
        assert private not in page_text
    assert any("display:called" in frame for frame in frames)
    screen.close()


def test_the_kiosk_resets_after_a_warning_and_keeps_nothing_of_the_last_person(
    tablet, server, idle_seconds
):
    tablet.goto(f"{server.base}/kiosk/north")
    entries_at_start = tablet.evaluate("history.length")
    tablet.click("a.tile[data-lang=en]")
    tablet.click("[data-need=health]")
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.fill("#name", "Previous Person")
    warning = tablet.locator(".idle")
    expect(warning).to_be_visible(timeout=idle_seconds * 1000)
    expect(tablet.locator("#idle-count")).to_contain_text(re.compile(r"\d"))
    expect(tablet).to_have_url(f"{server.base}/kiosk/north", timeout=idle_seconds * 1000)
    assert "Previous Person" not in tablet.content()
    state = tablet.evaluate(
        "({history: history.length, local: localStorage.length, session: sessionStorage.length})"
    )
    assert state == {"history": entries_at_start, "local": 0, "session": 0}
    tablet.go_back()
    assert "/kiosk/north/" not in tablet.url, "Back never returns to the last person's screen"


def test_answering_the_warning_keeps_the_person_where_they_were(tablet, server, idle_seconds):
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.click("[data-step=needs] [data-action=next]")
    expect(tablet.locator(".idle")).to_be_visible(timeout=idle_seconds * 1000)
    tablet.click("[data-action=still-here]")
    expect(tablet.locator(".idle")).to_be_hidden()
    expect(tablet.locator("[data-step=name]")).to_be_visible()


def test_leaving_the_line_from_the_phone_asks_first(phone, server, maria):
    maria.call_all()
    response = phone.request.post(
        f"{server.base}/api/v1/sites/north/check-ins", data={"language": "pt"}
    )
    ticket = response.json()["ticket"]
    phone.goto(ticket["status_url"])
    phone.click("[data-leave] button")
    expect(phone.locator("dialog.confirm")).to_be_visible()
    phone.click("dialog.confirm [data-action=leave]")
    expect(phone.locator("[data-leave]")).to_be_hidden()
    status = phone.request.get(f"{server.base}/api/v1/tickets/{ticket['token']}").json()
    assert status["ticket"]["status"] == "cancelled"


def test_an_unknown_ticket_gets_a_friendly_page(phone, server):
    response = phone.goto(f"{server.base}/t/NoSuchTicketTokenAtAll123")
    assert response.status == 404
    expect(phone.locator("h1")).to_be_visible()
    assert "Traceback" not in phone.content() and "{" not in phone.text_content("h1")


SCREENS = {
    "languages": lambda t: None,
    "needs": lambda t: t.click("a.tile[data-lang=en]"),
    "name": lambda t: t.click("[data-step=needs] [data-action=next]"),
    "phone": lambda t: t.click("[data-step=name] [data-action=skip]"),
    "ticket": lambda t: t.click("[data-step=phone] [data-action=skip]"),
}


def test_every_kiosk_screen_passes_an_accessibility_scan(tablet, server, axe):
    tablet.goto(f"{server.base}/kiosk/north")
    found = {}
    for screen, reach in SCREENS.items():
        reach(tablet)
        tablet.wait_for_timeout(300)
        found[screen] = axe(tablet)
    tablet.goto(f"{server.base}/kiosk/north/en")
    tablet.click("[data-step]:not([hidden]) [data-action=help]")
    expect(tablet.locator("[data-step=help]")).to_be_visible()
    found["help"] = axe(tablet)
    assert {k: v for k, v in found.items() if v} == {}


def test_the_ticket_page_and_lobby_screen_pass_an_accessibility_scan(phone, browser, server, axe):
    response = phone.request.post(
        f"{server.base}/api/v1/sites/north/check-ins", data={"language": "ht"}
    )
    phone.goto(response.json()["ticket"]["status_url"])
    screen = browser.new_page()
    screen.goto(f"{server.base}/display/north")
    assert axe(phone) == [] and axe(screen) == []
    screen.close()


def test_touch_targets_are_at_least_44_css_pixels(tablet, server):
    tablet.goto(f"{server.base}/kiosk/north/en")
    small = tablet.evaluate("""() => [...document.querySelectorAll('button, a, input')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el.outerHTML.slice(0, 60), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44).map(([h]) => h)""")
    assert small == []


def test_each_kiosk_screen_transfers_under_100_kb(browser, server):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
    for path in ("/kiosk/north", "/kiosk/north/en"):
        sizes.clear()
        page.goto(server.base + path, wait_until="networkidle")
        assert sum(sizes.values()) <= 100 * 1024, sizes
    context.close()


def test_help_on_the_ticket_screen_makes_that_ticket_urgent_not_a_second_one(tablet, server, maria):
    maria.call_all()
    ticket = check_in_at_kiosk(tablet, server.base, "es", name="Ana")["ticket"]
    with tablet.expect_response(re.compile(r"/help$")):
        tablet.click("[data-step]:not([hidden]) [data-action=help]")
    expect(tablet.locator("[data-step=help] [data-field=code]")).to_have_text(ticket["code"])
    waiting = [t for t in maria.queue() if t["status"] == "waiting"]
    assert [(t["code"], t["urgent"]) for t in waiting] == [(ticket["code"], True)]


def test_the_ticket_screen_clears_itself_so_the_next_person_cannot_scan_it(
    tablet, server, idle_seconds
):
    check_in_at_kiosk(tablet, server.base, "en")
    expect(tablet).to_have_url(f"{server.base}/kiosk/north", timeout=idle_seconds * 1000 + 3000)


def test_the_idle_warning_is_accessible(tablet, server, idle_seconds, axe):
    tablet.goto(f"{server.base}/kiosk/north/en")
    expect(tablet.locator("dialog.idle")).to_be_visible(timeout=idle_seconds * 1000)
    assert axe(tablet) == []
    tablet.keyboard.press("Escape")
    expect(tablet.locator("dialog.idle")).to_be_hidden()
