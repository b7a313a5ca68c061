"""Returning people on the console, in Chromium: the server's repeat-visit words on a
person's row and card with a link to their history, and, once a manager has opened a case
for them, "someone on your caseload just checked in" on that manager's console alone."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta

import pytest
import requests
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("empty_line")]

PHONE = "+16175550171"


def leave(base: str, ticket: dict) -> None:
    answer = requests.post(f"{base}/api/v1/tickets/{ticket['token']}/cancel", timeout=10)
    assert answer.status_code == 200, answer.text


def test_the_repeat_flag_and_the_caseload_notice(  # type: ignore[no-untyped-def]
    console_of, check_in, manager, server, row, card, live, axe, on_an_earlier_day
):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="5")
    for back in (2, 1):  # two earlier days: the rule counts days, not check-ins
        earlier = check_in(phone=PHONE)
        leave(server.base, earlier)
        on_an_earlier_day(earlier, back)
    third = check_in(phone=PHONE)
    waiting = row(maria, third["code"])
    expect(waiting.locator("[data-repeat-flag]")).to_have_text("3rd visit in 30 days", timeout=live)
    maria.click("[data-call-next]")
    mine = card(maria, third["code"])
    expect(mine.locator("[data-repeat-flag]")).to_have_text("3rd visit in 30 days", timeout=live)
    history = mine.get_by_role("link", name=f"History of {third['code']}'s visits")
    expect(history).to_have_attribute("href", re.compile(r"^/console/visitors/\d+$"))
    expect(mine.locator("[data-open-case]")).to_have_count(0)
    assert axe(maria) == []

    # Maria opens a case for them (the JSON API), and their visit ends.
    api = manager("maria@example.org")
    visitor_id = int(history.get_attribute("href").rsplit("/", 1)[1])
    case = {"visitor_id": visitor_id, "site": "north", "needs": ["housing"]}
    opened = requests.post(
        f"{server.base}/api/v1/cases", json=case, headers=api.headers, timeout=10
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case"]["id"]
    ticket_id = next(t for t in api.queue() if t["code"] == third["code"])["id"]
    for move in ({"action": "start"}, {"action": "complete", "outcome": "resolved"}):
        url = f"{server.base}/api/v1/tickets/{ticket_id}/transitions"
        requests.post(url, json=move, headers=api.headers, timeout=10)

    # They come back: Maria's console says so, Jean's does not.
    back = check_in(phone=PHONE)
    notice = maria.locator("[data-case-arrived]")
    expect(notice).to_contain_text(
        f"Someone on your caseload just checked in: {back['code']}", timeout=live
    )
    expect(notice.get_by_role("link", name="Open their case")).to_have_attribute(
        "href", f"/console/cases/{case_id}"
    )
    expect(maria.locator("[data-colleagues]")).to_have_text(
        f"Someone on your caseload just checked in: {back['code']}."
    )
    expect(row(maria, back["code"]).locator("[data-open-case]")).to_have_text("Your case")
    expect(row(jean, back["code"]).locator("[data-open-case]")).to_have_text("Open case with Maria")
    expect(jean.locator("[data-case-arrived]")).to_have_count(0)
    assert axe(maria) == []
    maria.get_by_role("button", name=f"Dismiss the notice about {back['code']}").click()
    expect(notice).to_have_count(0)

    # Her case's review falls due (the server's clock, moved in its database): on the next
    # load, her console says how many of her reviews are due.
    with sqlite3.connect(server.log.parent / "frontdoor.sqlite3") as db:
        db.execute("UPDATE critical_need_case SET next_review_on = ? WHERE id = ?",
                   ((date.today() - timedelta(days=2)).isoformat(), case_id))  # fmt: skip
    maria.reload()
    due = maria.locator("[data-reviews-due] a")
    expect(due).to_have_text("1 case review due today or overdue", timeout=live)
    expect(due).to_have_attribute("href", "/console/cases?mine=1&review=due&site=north")
    expect(jean.locator("[data-reviews-due]")).to_have_count(0)


def test_the_console_asks_for_my_reviews_due(console_of, live):  # type: ignore[no-untyped-def]
    lena = console_of("lena@example.org")
    with lena.expect_response(re.compile(r"/cases/reviews-due$")) as asked:
        lena.reload()
    assert asked.value.status == 200 and asked.value.json() == {"count": 0}
    # Lena has no case: no line about reviews.
    expect(lena.locator("[data-reviews-due]")).to_have_count(0)
