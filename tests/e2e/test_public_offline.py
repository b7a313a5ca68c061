"""With the office computer out of reach, no public screen promises a person, and none
dead-ends on the browser's error page: the crisis lines are always there, in the person's
language, and each screen moves on by itself once the office answers again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

CHECK_INS = re.compile(r"/check-ins(\?.*)?$")
OUT_OF_REACH = re.compile(r"/(healthz|kiosk/north/.*)$")  # the office computer, to a kiosk
ASK_THE_DESK = "Please ask at the front desk now."


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    return own_server


@pytest.fixture
def maria_on_duty(manager):  # type: ignore[no-untyped-def]
    maria = manager("maria@example.org", desk="3")
    yield maria
    maria.acknowledge_every_alert()
    maria.end_every_visit()
    maria.duty(False)


def test_out_of_reach_the_safety_screen_promises_nobody_even_when_last_seen_staffed(
    tablet, server, maria_on_duty, promises, axe
):
    tablet.goto(f"{server.base}/kiosk/north/en")  # the page knows: someone is on duty
    tablet.route(CHECK_INS, lambda route: route.abort())
    tablet.click("[data-step]:not([hidden]) [data-action=help]")
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator(".crisis")).to_contain_text("988")
    expect(helping.locator("h1")).to_have_text("You can talk to someone right now:")
    expect(helping.locator("[data-field=help-after]")).to_have_text(ASK_THE_DESK)
    expect(tablet.locator("[data-field=error]")).to_contain_text("front desk")
    assert helping.get_attribute("data-office") == "pending", "the crisis lines big"
    shown = helping.inner_text()
    assert not [words for words in promises if words in shown], shown
    crisis = helping.locator(".crisis").bounding_box()
    after = helping.locator("[data-field=help-after]").bounding_box()
    assert crisis["y"] < after["y"], "the crisis lines come first"
    assert axe(tablet) == []

    # The kiosk keeps asking; once the office has the request, its answer sets the words.
    with tablet.expect_response(CHECK_INS, timeout=10000) as answer:
        tablet.unroute(CHECK_INS)
    assert answer.value.status == 201
    expect(helping.locator("h1")).to_have_text("We are getting someone for you now.")
    expect(helping.locator("[data-field=help-lead]")).to_be_visible()
    urgent = [t for t in maria_on_duty.queue() if t["urgent"]]
    assert len(urgent) == 1, "the retries made one ticket"


def test_until_the_office_answers_the_safety_screen_promises_nobody(
    tablet, server, maria_on_duty, promises
):
    tablet.goto(f"{server.base}/kiosk/north/en")
    held: list = []  # the check-in on its way, answered when the test says
    tablet.route(CHECK_INS, lambda route: held.append(route))
    tablet.click("[data-step]:not([hidden]) [data-action=help]")
    helping = tablet.locator("[data-step=help]")
    expect(helping.locator("[data-field=help-after]")).to_have_text(ASK_THE_DESK)
    expect(helping.locator(".crisis")).to_contain_text("988")
    assert held and not [words for words in promises if words in helping.inner_text()]
    with tablet.expect_response(CHECK_INS):
        held[0].continue_()
    expect(helping.locator("h1")).to_have_text("We are getting someone for you now.")
    expect(helping.locator("[data-field=help-after]")).to_be_hidden()


def test_out_of_reach_at_a_closed_office_the_safety_screen_says_closed(
    tablet, server, change_site, office_today, promises
):
    change_site("west", closures=[{"date": office_today, "reason": "Training"}])
    try:
        tablet.goto(f"{server.base}/kiosk/west/en")
        expect(tablet.locator("[data-step=closed]")).to_be_visible()
        tablet.route(CHECK_INS, lambda route: route.abort())
        tablet.click("[data-step]:not([hidden]) [data-action=help]")
        helping = tablet.locator("[data-step=help]")
        expect(helping.locator("[data-field=help-after]")).to_have_text("We are closed now.")
        expect(helping.locator(".crisis")).to_contain_text("988")
        assert not [words for words in promises if words in helping.inner_text()]
    finally:
        change_site("west", closures=[])


def test_i_dont_feel_safe_on_the_language_screen_shows_the_crisis_lines_at_once_offline(
    tablet, server, axe
):
    tablet.goto(f"{server.base}/kiosk/north")
    unanswered: list = []  # a dead network: the check never gets an answer
    tablet.route(OUT_OF_REACH, lambda route: unanswered.append(route))
    tablet.locator("[data-help][data-lang=es]").click()
    panel = tablet.locator("[data-offline-for=es]")
    # Before the office computer has answered anything: the lines, in Spanish, on screen.
    expect(panel.locator(".crisis")).to_contain_text("AYUDA", timeout=1500)
    expect(panel.locator(".crisis")).to_contain_text("911")
    assert unanswered and panel.get_attribute("lang") == "es"
    assert "No pudimos" not in panel.inner_text(), "not yet known to be out of reach"
    expect(panel.locator("h1")).to_be_focused()
    expect(panel).to_contain_text("No pudimos conectarnos", timeout=8000)  # then: out of reach
    assert tablet.url == f"{server.base}/kiosk/north", "still the kiosk, never the error page"
    assert tablet.evaluate("document.documentElement.scrollHeight") <= 768, "all on screen"
    assert axe(tablet) == []
    # Once the office answers, on to the safety screen, which alerts the office.
    with tablet.expect_response(CHECK_INS, timeout=15000) as answer:
        tablet.unroute(OUT_OF_REACH)
    assert answer.value.request.post_data_json["urgent"] is True and answer.value.ok
    expect(tablet).to_have_url(re.compile(r"/kiosk/north/es\?help=now$"))
    expect(tablet.locator("[data-step=help] .crisis")).to_contain_text("AYUDA")


def test_a_language_chosen_offline_says_so_and_moves_on_when_the_office_is_back(tablet, server):
    tablet.goto(f"{server.base}/kiosk/north")
    tablet.route(OUT_OF_REACH, lambda route: route.abort())
    tablet.locator("a.tile[data-lang=vi]").click()
    panel = tablet.locator("[data-offline-for=vi]")
    expect(panel.locator("h1")).to_have_text(re.compile("^Chúng tôi"), use_inner_text=True)
    expect(panel.locator(".crisis")).to_contain_text("“Vietnamese”")
    expect(tablet.locator("a.tile[data-lang=vi]")).to_be_hidden()
    # Back to the languages (the wrong one was tapped), and another choice instead.
    panel.locator("[data-action=choose]").click()
    tablet.locator("a.tile[data-lang=zh]").click()
    expect(tablet.locator("[data-offline-for=zh] .crisis")).to_contain_text("988")
    assert tablet.url.endswith("/kiosk/north")
    tablet.unroute(OUT_OF_REACH)
    expect(tablet).to_have_url(re.compile(r"/kiosk/north/zh$"), timeout=15000)


def test_without_javascript_the_language_screen_is_plain_links(browser, server):
    context = browser.new_context(viewport={"width": 1024, "height": 768},
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    page.goto(f"{server.base}/kiosk/north")
    expect(page.locator("[data-offline-for]").first).to_be_hidden()
    page.locator("a.tile[data-lang=pt]").click()
    expect(page).to_have_url(re.compile(r"/kiosk/north/pt$"))
    page.goto(f"{server.base}/kiosk/north")
    page.locator("[data-help][data-lang=ht]").click()
    expect(page).to_have_url(re.compile(r"/kiosk/north/ht\?help=now$"))
    context.close()
