"""The lobby screen and the kiosk keep up with the office: a manager starting duty shows
within 15 seconds (at once when the screen wakes up); the lobby says when it is out of touch,
in every language; its words, the sound button too, take turns; desks show as staff named
them; a closure day says so, with the reason as staff typed it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

STATUS = re.compile(r"/api/v1/sites/\w+/status$")
POLL_MS = 15000
TURN_MS = 6000  # each language's turn on the lobby screen
LANGS = ["en", "es", "pt-BR", "ht", "zh-Hans", "vi"]
TV = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    return own_server


@pytest.fixture
def north(manager):  # type: ignore[no-untyped-def]
    """North with nobody on duty and an empty line, before and after."""
    lena = manager("lena@example.org")
    staff = [manager(email) for email in ("maria@example.org", "jean@example.org")]
    for member in staff:
        member.duty(False)
    yield lena
    lena.end_every_visit()
    for member in staff:
        member.duty(False)


def each_turn(page, read):  # type: ignore[no-untyped-def]
    """`read()` once in each language's turn on a screen whose clock the test runs."""

    def lang() -> str:
        return page.locator("#now-label").get_attribute("lang")

    seen: dict = {}
    # The clock also runs by itself: a read that straddles a turn is read again next turn.
    for _ in range(2 * len(LANGS)):
        before = lang()
        value = read()
        if lang() == before:
            seen.setdefault(before, value)
        if len(seen) == len(LANGS):
            break
        page.clock.run_for(TURN_MS)
    return seen


def test_a_manager_starting_duty_shows_on_the_kiosk_and_the_lobby_within_15_seconds(
    tablet, tv, server, north, manager, wake
):
    tablet.goto(f"{server.base}/kiosk/north/en")
    tv.goto(f"{server.base}/display/north")
    note = tablet.locator("[data-field=office-note]")
    expect(note).to_have_text("We are getting a case manager. You can still check in.")
    expect(tv.locator("[data-field=office-state]")).to_be_visible()
    maria = manager("maria@example.org", desk="3")
    expect(note).to_be_hidden(timeout=POLL_MS + 3000)
    expect(tv.locator("[data-field=office-state]")).to_be_hidden(timeout=POLL_MS + 3000)

    maria.duty(False)  # and when the kiosk's screen wakes up, it asks at once
    with tablet.expect_response(STATUS, timeout=2000):
        wake(tablet)
    expect(note).to_have_text("We are getting a case manager. You can still check in.")


def test_the_phone_drops_its_wait_when_the_last_manager_goes_off_duty_and_back(
    phone, server, north, manager, check_in, wake
):
    maria = manager("maria@example.org", desk="3")
    ticket = check_in(language="en")
    phone.goto(ticket["status_url"])
    wait = phone.locator("[data-field=wait]")
    expect(wait).to_have_text(re.compile(r"^Wait: "))
    maria.duty(False)
    with phone.expect_response(STATUS, timeout=2000):
        wake(phone)
    expect(phone.locator("[data-field=office]")).to_have_text(
        "No case manager is on duty yet. We are getting one."
    )
    expect(wait).to_have_text("")  # no estimate while nobody is on duty
    maria.duty(True, desk="3")
    wake(phone)
    expect(wait).to_have_text(re.compile(r"^Wait: "))
    expect(phone.locator("[data-field=office]")).to_be_hidden()


def test_the_lobby_says_it_is_out_of_touch_in_every_language_while_status_fails(
    tv, server, north, wake
):
    tv.goto(f"{server.base}/display/north")
    note = tv.locator("[data-field=connection]")
    expect(note).to_be_hidden()
    tv.route(STATUS, lambda route: route.abort())
    wake(tv)
    expect(note).to_be_visible()
    langs = note.locator("span").evaluate_all("spans => spans.map(s => s.lang)")
    assert langs == LANGS
    assert "Reconnecting…" in note.inner_text() and "Reconectando…" in note.inner_text()
    tv.unroute(STATUS)
    wake(tv)
    expect(note).to_be_hidden()


def test_the_lobby_says_it_is_out_of_touch_when_the_office_computer_stops(
    browser, serve, tmp_path_factory
):
    running = serve(tmp_path_factory.mktemp("lobby-stops"))
    page = browser.new_page(viewport=TV)
    try:
        page.goto(f"{running.base}/display/north")
        expect(page.locator("[data-field=waiting]")).to_be_visible()
        page.wait_for_function("() => document.querySelector('[data-field=connection]').hidden")
        running.stop()
        note = page.locator("[data-field=connection]")
        expect(note).to_be_visible(timeout=10000)
        expect(note).to_contain_text("N ap rekonekte…")
        assert page.evaluate("document.body.classList.contains('out-of-touch')")
    finally:
        page.close()
        running.stop()


def test_the_sound_button_takes_turns_with_the_other_words(tv, server, north):
    tv.clock.install()
    tv.goto(f"{server.base}/display/north")
    button = tv.locator("[data-action=sound]")
    heard = each_turn(tv, lambda: (button.get_attribute("lang"), button.inner_text()))
    assert {lang for lang, _ in heard.values()} == set(LANGS), "marked in each language"
    assert len({text for _, text in heard.values()}) == len(LANGS), heard
    assert heard["es"][1] == "Activar sonido"
    button.click()
    expect(button).not_to_have_text(heard[button.get_attribute("lang")][1])


def test_a_desk_staff_named_shows_as_named_and_a_number_gets_the_word_for_desk(
    tv, phone, server, north, check_in, manager
):
    first = check_in(language="zh")
    second = check_in(language="en")
    manager("jean@example.org", desk="Window B").call_next()
    tv.clock.install()
    tv.goto(f"{server.base}/display/north")
    desk = tv.locator("[data-field=latest-desk]")
    named = each_turn(tv, lambda: (desk.get_attribute("lang"), desk.inner_text()))
    assert set(named.values()) == {("en", "Window B")}, named

    phone.goto(first["status_url"])
    expect(phone.locator("[data-field=desk]")).to_have_text("请到Window B。")
    manager("maria@example.org", desk="2").call_next()
    expect(tv.locator("[data-field=latest-code]")).to_have_text(second["code"])
    numbered = each_turn(tv, lambda: desk.inner_text())
    assert numbered["es"] == "Ventanilla 2" and numbered["zh-Hans"] == "2 号窗口", numbered
    assert tv.locator(".recent .desk").first.inner_text() == "Window B"


def test_a_closure_day_at_a_site_open_day_and_night_says_so_before_the_hours(
    tablet, tv, phone, server, check_in, change_site, office_today, manager, axe
):
    waiting = check_in(site="west", language="en")
    # West's first language is Spanish for this test: the reason is marked as typed in it.
    closure = {"date": office_today, "reason": "Capacitación del personal"}
    change_site("west", hours="always", languages=["es", "en"], closures=[closure])
    try:
        tablet.goto(f"{server.base}/kiosk/west/en")
        closed = tablet.locator("[data-step=closed]")
        closure = closed.locator("[data-field=closure]")
        expect(closure).to_have_text("Closed today: Capacitación del personal")
        assert closure.locator("span").get_attribute("lang") == "es"
        expect(closed.locator("[data-field=hours]")).to_have_text("Open 24 hours, every day.")
        hours = closed.locator("[data-field=hours]").bounding_box()
        assert closure.bounding_box()["y"] < hours["y"], "the closure before the hours"
        assert axe(tablet) == []
        assert tablet.evaluate("document.documentElement.scrollHeight") <= 768

        with tablet.expect_response(re.compile(r"/check-ins(\?.*)?$")):
            tablet.click("[data-step]:not([hidden]) [data-action=help]")
        expect(tablet.locator("[data-step=help] [data-field=closure]")).to_have_text(
            "Closed today: Capacitación del personal"
        )

        tv.goto(f"{server.base}/display/west?lang=en")
        expect(tv.locator("[data-field=office-state]")).to_contain_text(
            "Cerrado hoy: Capacitación del personal"
        )
        phone.goto(waiting["status_url"])
        expect(phone.locator("[data-field=office]")).to_contain_text(
            "We are closed now. Closed today: Capacitación del personal"
        )
    finally:
        change_site("west", hours="always", languages=["en", "es", "pt", "ht", "zh", "vi"],
                    closures=[])  # fmt: skip
        manager("lena@example.org", site="west").end_every_visit()
