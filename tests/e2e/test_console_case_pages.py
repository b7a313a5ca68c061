"""The console's visitor and case pages, in Chromium: from the repeat visitors to a visitor's
history, a case opened there in one step, a refusal shown as the error summary, consent
recorded and the hand-off summary; axe finds nothing serious on any of them."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]

PHONE = "+16175550172"


def test_from_the_repeat_visitors_to_the_hand_off_summary(  # type: ignore[no-untyped-def]
    console_of, check_in, server, axe, on_an_earlier_day
):
    for back in (2, 1, 0):  # three days: the rule counts days, not check-ins
        ticket = check_in(phone=PHONE, needs=["housing"])
        left = requests.post(f"{server.base}/api/v1/tickets/{ticket['token']}/cancel", timeout=10)
        assert left.status_code == 200, left.text
        on_an_earlier_day(ticket, back)
    maria = console_of("maria@example.org")
    maria.goto(f"{server.base}/console/visitors?site=north")
    expect(maria.get_by_role("heading", level=1)).to_contain_text("Repeat visitors")
    assert axe(maria) == []
    row = maria.locator("tr[data-visitor]").filter(has_text="3rd visit in 30 days").first
    row.get_by_role("link", name=re.compile(r"^Visitor \d+$")).click()
    expect(maria.get_by_role("heading", name="Open a critical-need case")).to_be_visible()
    assert axe(maria) == []
    maria.get_by_label("Goal 1").fill("Find a shelter bed")
    maria.get_by_role("button", name="Open the case").click()
    expect(maria).to_have_url(re.compile(r"/console/cases/\d+\?opened=yes$"))
    expect(maria.get_by_role("status")).to_have_text("Case opened.")
    assert axe(maria) == []
    case_id = maria.url.split("?")[0].rsplit("/", 1)[1]

    # It is in the caseload; she opens it from there and records a review.
    maria.get_by_role("navigation", name="Console").get_by_role("link", name="Cases").click()
    listed = maria.locator(f"tr[data-case='{case_id}']")
    expect(listed).to_contain_text("Maria")
    assert axe(maria) == []
    listed.get_by_role("link", name=f"Case {case_id}").click()
    maria.get_by_label("Find a shelter bed").select_option("in_progress")
    maria.get_by_label("Review note").fill("Her sister's address, kept here only")
    maria.get_by_label("Private: never in the hand-off summary").check()
    maria.get_by_role("button", name="Record the review").click()
    expect(maria.get_by_role("status")).to_have_text("Review recorded.")
    expect(maria.locator("[data-goal]")).to_contain_text("In progress")

    maria.get_by_label("Closing note").fill("Handed over")
    maria.get_by_role("button", name="Close the case").click()
    summary = maria.get_by_role("alert")
    expect(summary).to_contain_text("A case closes with a destination")
    assert axe(maria) == []

    maria.get_by_label("Shared with").fill("Pine St Clinic")
    maria.get_by_role("button", name="Record consent").click()
    expect(maria.get_by_role("status")).to_have_text("Consent to share recorded.")
    maria.get_by_role("link", name="Hand-off summary (print)").click()
    expect(maria.locator("[data-consent]")).to_contain_text("Pine St Clinic")
    assert axe(maria) == []
    maria.emulate_media(media="print")
    expect(maria.locator("header.bar")).to_be_hidden()
    expect(maria.get_by_text("Find a shelter bed")).to_be_visible()
    expect(maria.get_by_text("Her sister's address")).to_have_count(0)  # a private note
