"""Return codes at the kiosk, in Chromium: a walk-in sees theirs on the ticket screen (with
its QR); the next time they type it (or scan it) and are known again; a code the office
cannot read, or one nobody has, brings them back to the code step, and they go on without
it."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]

CHECK_INS = re.compile(r"/check-ins(\?.*)?$")


@pytest.fixture(scope="module")
def server(own_server):  # type: ignore[no-untyped-def]
    return own_server


def to_first_screen(tablet, base: str, language: str = "en") -> None:  # type: ignore[no-untyped-def]
    tablet.goto(f"{base}/kiosk/north")
    tablet.click(f"a.tile[data-lang={language}]")
    expect(tablet.locator("[data-step=needs] h1")).to_be_visible()


def finish_check_in(tablet):  # type: ignore[no-untyped-def]
    """From the needs screen to the office's answer (needs skipped, no name, no texts)."""
    tablet.click("[data-step=needs] [data-action=next]")
    tablet.click("[data-step=name] [data-action=skip]")
    with tablet.expect_response(CHECK_INS) as answer:
        tablet.click("[data-step=phone] [data-action=skip]")
    return answer.value


def test_a_walk_in_keeps_a_return_code_and_is_known_by_it_next_time(tablet, server, axe):
    to_first_screen(tablet, server.base)
    first = finish_check_in(tablet).json()
    code = first["ticket"]["return_code"]
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    block = tablet.locator("[data-step=ticket] [data-field=return-block]")
    expect(block).to_be_visible()
    expect(block).to_contain_text(f"Your return code: {code} — keep it to use next time.")
    expect(block).to_contain_text(
        "Staff will then see your earlier visits here. Write it down or take a photo: it is "
        "shown only until this visit ends."
    )
    expect(tablet.locator("[data-field=return-missed]")).to_have_count(0)
    qr = block.locator("img[data-field=return-qr]")
    expect(qr).to_have_attribute("alt", re.compile("QR code of your return code"))
    tablet.wait_for_function("document.querySelector('[data-field=return-qr]').naturalWidth > 0")
    assert axe(tablet) == []

    # The next person at the tablet: "Been here before?", after the safety button.
    to_first_screen(tablet, server.base)
    tablet.locator("#needs-title").focus()
    tablet.keyboard.press("Tab")
    expect(tablet.locator("[data-step=needs] .safety")).to_be_focused()
    tablet.keyboard.press("Tab")
    expect(
        tablet.get_by_role("button", name="Been here before? Use your return code")
    ).to_be_focused()
    tablet.keyboard.press("Enter")
    expect(tablet.locator("[data-step=code] h1")).to_be_focused()
    field = tablet.get_by_label("Your return code", exact=True)
    expect(field).to_have_attribute("autocomplete", "off")
    expect(field).to_have_attribute("inputmode", "text")
    assert field.bounding_box()["height"] >= 44
    assert axe(tablet) == []
    field.fill(code.lower().replace("-", " "))  # case and dashes do not matter
    tablet.click("[data-step=code] [data-action=use-code]")
    expect(tablet.locator("[data-step=needs] h1")).to_be_visible()
    answer = finish_check_in(tablet)
    assert answer.request.post_data_json["return_code"] == code.lower().replace("-", " ")
    again = answer.json()
    assert again["return_code_found"] is True and again["ticket"]["return_code"] == code
    expect(block).to_contain_text(code)
    expect(tablet.locator("[data-field=return-missed]")).to_have_count(0)


def test_the_ticket_page_shows_the_code_while_the_visit_is_open(tablet, phone, server, maria):
    to_first_screen(tablet, server.base)
    ticket = finish_check_in(tablet).json()["ticket"]
    phone.goto(ticket["status_url"])
    block = phone.locator("[data-field=return-block]")
    expect(block).to_contain_text(f"Your return code: {ticket['return_code']}")
    phone.wait_for_function("document.querySelector('[data-field=return-qr]').naturalWidth > 0")
    called = maria.call_next()
    assert called["code"] == ticket["code"]
    for move in ({"action": "start"}, {"action": "complete", "outcome": "resolved"}):
        url = f"{server.base}/api/v1/tickets/{called['id']}/transitions"
        requests.post(url, json=move, headers=maria.headers, timeout=10)
    expect(block).to_be_hidden(timeout=5000)  # erased with the visit: nothing shown


def test_a_malformed_code_is_answered_on_the_code_step_and_skipped(tablet, server, axe):
    to_first_screen(tablet, server.base)
    tablet.click("[data-action=return-code]")
    tablet.get_by_label("Your return code", exact=True).fill("hello")
    tablet.keyboard.press("Enter")
    refused = finish_check_in(tablet)
    assert refused.status == 422
    first_key = refused.request.headers["idempotency-key"]
    expect(tablet.locator("[data-step=code]")).to_be_visible()
    error = tablet.locator("#code-error")
    expect(error).to_have_text(
        "A return code is 8 letters and numbers, like K7QM-3XPD. "
        "Please check it, or go on without it."
    )
    expect(tablet.get_by_label("Your return code", exact=True)).to_have_value("hello")
    expect(tablet.get_by_label("Your return code", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    assert axe(tablet) == []
    # Straight to the ticket, without the code: a new body, so a new Idempotency-Key.
    with tablet.expect_response(CHECK_INS) as answer:
        tablet.click("[data-step=code] [data-action=skip-code]")
    assert answer.value.status == 201
    assert "return_code" not in answer.value.request.post_data_json
    assert answer.value.request.headers["idempotency-key"] != first_key
    expect(tablet.locator("[data-step=ticket] [data-field=return-block]")).to_be_visible()


def test_a_code_nobody_has_is_answered_on_the_code_step_and_skipped(tablet, server, axe):
    to_first_screen(tablet, server.base, "es")
    tablet.click("[data-action=return-code]")
    tablet.fill("#return-code", "K7QM-3XPD")  # well formed, but nobody has it
    tablet.click("[data-step=code] [data-action=use-code]")
    refused = finish_check_in(tablet)
    assert refused.status == 422
    error_body = refused.json()["error"]
    assert error_body["code"] == "unknown_return_code" and "return_code" in error_body["fields"]
    first_key = refused.request.headers["idempotency-key"]
    expect(tablet.locator("[data-step=code]")).to_be_visible()
    expect(tablet.locator("#code-error")).to_have_text(
        "No pudimos encontrar este código. Por favor, revíselo o siga sin él."
    )
    field = tablet.locator("#return-code")
    expect(field).to_have_value("K7QM-3XPD")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert axe(tablet) == []
    # On without it: a ticket, and a new code of their own to keep.
    with tablet.expect_response(CHECK_INS) as answer:
        tablet.click("[data-step=code] [data-action=skip-code]")
    assert answer.value.status == 201
    assert "return_code" not in answer.value.request.post_data_json
    assert answer.value.request.headers["idempotency-key"] != first_key
    new_code = answer.value.json()["ticket"]["return_code"]
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", new_code) and new_code != "K7QM-3XPD"
    expect(tablet.locator("[data-step=ticket]")).to_be_visible()
    block = tablet.locator("[data-step=ticket] [data-field=return-block]")
    expect(block.locator("[data-field=return-words]")).to_contain_text(new_code)
    expect(block).to_contain_text("El personal verá entonces sus visitas anteriores aquí")
    expect(tablet.locator("[data-field=return-missed]")).to_have_count(0)


# The camera, where the browser has a QR reader (Debian's Chromium has none: one is lent).
FAKE_READER = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return window.__qr ? [{ rawValue: window.__qr }] : []; }
};
"""
REFUSED_CAMERA = """navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("no", "NotAllowedError"));"""
CANVAS_CAMERA = """navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas"); canvas.width = 64; canvas.height = 48;
  canvas.getContext("2d").fillRect(0, 0, 64, 48);
  return canvas.captureStream(5);
};"""


def test_a_refused_camera_leaves_typing(browser, server, viewports):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewports["tablet"])
    context.add_init_script(FAKE_READER + REFUSED_CAMERA)
    tablet = context.new_page()
    try:
        to_first_screen(tablet, server.base)
        # The page's own policy lets the tablet's camera be asked for (the browser asks).
        assert tablet.evaluate("document.featurePolicy.allowsFeature('camera')") is True
        tablet.click("[data-action=return-code]")
        tablet.get_by_role("button", name="Scan it").click()
        expect(tablet.locator("[data-field=scan-note]")).to_have_text(
            "The camera is not available. Please type the code."
        )
        expect(tablet.get_by_role("button", name="Scan it")).to_be_hidden()
        expect(tablet.locator("#return-code")).to_be_focused()
    finally:
        context.close()


def test_a_scanned_code_checks_in_and_the_camera_stops(browser, server, viewports, check_in):  # type: ignore[no-untyped-def]
    earlier = check_in()
    context = browser.new_context(viewport=viewports["tablet"])
    context.add_init_script(FAKE_READER + CANVAS_CAMERA)
    tablet = context.new_page()
    try:
        to_first_screen(tablet, server.base)
        tablet.click("[data-action=return-code]")
        tablet.get_by_role("button", name="Scan it").click()
        expect(tablet.locator("[data-field=camera]")).to_be_visible()
        expect(tablet.get_by_role("button", name="Stop the camera")).to_be_visible()
        tablet.evaluate(f"window.__qr = 'FD{earlier['return_code'].replace('-', '')}'")
        expect(tablet.locator("[data-step=needs] h1")).to_be_visible()
        assert tablet.evaluate("document.querySelector('[data-field=camera]').srcObject") is None
        body = finish_check_in(tablet).json()
        assert body["return_code_found"] is True
        assert body["ticket"]["return_code"] == earlier["return_code"]
    finally:
        context.close()
