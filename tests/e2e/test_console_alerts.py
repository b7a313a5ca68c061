"""Urgent alerts on the console: on every screen of the site until a person acknowledges
them, saying who is on the way, across reloads; marked when nobody was on duty; a burst
from one kiosk summarised in one banner."""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


def banner(page, code: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-alert]", has_text=f"Acknowledge {code}")


@pytest.fixture(autouse=True)
def quiet_site(manager):  # type: ignore[no-untyped-def]
    """No alert, visit or duty left over from the test before."""
    lena = manager("lena@example.org")
    for email in ("maria@example.org", "jean@example.org"):
        manager(email).duty(False)
    lena.acknowledge_every_alert()  # nobody on duty now: no colleague is free to go
    lena.end_every_visit()


def test_acknowledging_sends_that_manager_and_clears_every_console(
    console_of, check_in, live, row, card
):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="5")
    walk_in = check_in(name="Walk In")
    expect(row(maria, walk_in["code"])).to_be_visible(timeout=live)
    maria.click("[data-call-next]")
    own_line = f"You called {walk_in['code']}."
    expect(maria.locator("[data-message]")).to_have_text(own_line)
    ticket = check_in(name="Noor", urgent=True)
    for page in (maria, jean):
        expect(banner(page, ticket["code"])).to_contain_text("URGENT", timeout=live)
        expect(row(page, ticket["code"])).to_contain_text("URGENT")  # not colour alone

    jean.get_by_role("button", name=f"Acknowledge {ticket['code']}").click()
    for page in (maria, jean):
        expect(page.locator("[data-alert]")).to_have_count(0, timeout=live)
    # Jean, on duty, is the one going: the person is called for Jean at once.
    expect(card(jean, ticket["code"])).to_be_visible(timeout=live)
    expect(row(maria, ticket["code"])).to_contain_text("Jean", timeout=live)
    # Maria is told in the quieter line; her own last action keeps the status line.
    colleagues = maria.locator("[data-colleagues]")
    expect(colleagues).to_contain_text("acknowledged by Jean")
    expect(colleagues).to_contain_text("Jean is on the way")
    expect(maria.locator("[data-message]")).to_have_text(own_line)
    expect(card(maria, ticket["code"])).to_have_count(0)


def test_a_busy_manager_is_told_a_free_colleague_should_go_and_the_oldest_alert_is_first(
    console_of, check_in, live
):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="5")
    first = check_in(urgent=True)
    maria.click("[data-call-next]")  # Maria takes the first urgent person: now she is busy
    expect(maria.locator(f"[data-card][data-code='{first['code']}']")).to_be_visible(timeout=live)
    older = check_in(urgent=True)
    newer = check_in(urgent=True)
    expect(banner(jean, newer["code"])).to_be_visible(timeout=live)
    codes = jean.locator("[data-alert]").all_inner_texts()
    assert older["code"] in codes[0] and newer["code"] in codes[1]  # longest waiting on top
    maria.get_by_role("button", name=f"Acknowledge {newer['code']}").click()
    expect(maria.locator("[data-message]")).to_contain_text("colleague on duty is free")
    # The server's reason is in the alert itself, which stays up.
    expect(banner(maria, newer["code"]).locator("[data-alert-note]")).to_contain_text(
        "colleague on duty is free"
    )
    expect(banner(jean, newer["code"])).to_be_visible()  # left up for Jean


def test_an_alert_stays_across_a_reload_until_someone_calls_the_person(console_of, check_in, live):
    maria = console_of("maria@example.org", desk="3")
    ticket = check_in(urgent=True)
    expect(banner(maria, ticket["code"])).to_be_visible(timeout=live)
    maria.reload()
    expect(banner(maria, ticket["code"])).to_be_visible(timeout=live)

    # Calling the urgent person is seeing them: the alert ends on every console. If the
    # visit then ends unseen, the lead's "urgent, not seen" list has it (test_console_lead).
    maria.click("[data-call-next]")
    card = maria.locator(f"[data-card][data-code='{ticket['code']}']")
    expect(card).to_be_visible(timeout=live)
    expect(banner(maria, ticket["code"])).to_have_count(0, timeout=live)
    maria.reload()
    expect(card).to_be_visible(timeout=live)
    expect(banner(maria, ticket["code"])).to_have_count(0)


def test_seen_with_nobody_free_to_go_is_said_plainly(console_of, check_in, live):
    lena = console_of("lena@example.org")  # not on duty, and nobody else is
    ticket = check_in(urgent=True)
    lena.get_by_role("button", name=f"Acknowledge {ticket['code']}").click()
    expect(lena.locator("[data-message]")).to_have_text(
        f"{ticket['code']}: seen by Lena — nobody is on the way yet."
    )
    # Seen, but the person still waits with nobody going: the alert stays, saying so.
    for _ in range(2):
        seen = lena.locator("[data-alert]", has_text=f"{ticket['code']} said they feel unsafe")
        expect(seen).to_contain_text("Seen by Lena — nobody is on the way yet.", timeout=live)
        expect(lena.get_by_role("button", name=f"Acknowledge {ticket['code']}")).to_have_count(0)
        lena.reload()


def test_an_alert_from_an_earlier_day_gives_its_date(console_of, check_in, live, server):
    maria = console_of("maria@example.org", desk="3")
    today = check_in(urgent=True)
    old = check_in(urgent=True)
    expect(banner(maria, old["code"])).to_be_visible(timeout=live)
    backdate(server, old["code"], days=2)
    maria.reload()
    expect(banner(maria, old["code"])).to_contain_text(
        re.compile(r"said they feel unsafe on \w{3} \d{1,2} \w{3}, \d\d:\d\d")
    )
    expect(banner(maria, today["code"])).to_contain_text(
        re.compile(r"said they feel unsafe at \d\d:\d\d\.")
    )


def test_a_crisis_text_tells_the_console_to_call_the_person(console_of, text_to_office, live):
    maria = console_of("maria@example.org", desk="3")
    text_to_office("+16175550177", "I want to kill myself")
    alert = maria.locator("[data-alert]", has_text="wrote in a text that they feel unsafe")
    expect(alert).to_contain_text(
        "Call them now: they may not be at the office. The crisis lines were texted to them.",
        timeout=live,
    )
    expect(alert).not_to_contain_text("Go to them now")


def backdate(server, code: str, days: int) -> None:  # type: ignore[no-untyped-def]
    """Move a ticket's arrival back by `days` in the server's database (an old alert)."""
    with sqlite3.connect(server.log.parent / "frontdoor.sqlite3") as db:
        changed = db.execute(
            "UPDATE ticket SET created_at = datetime(created_at, ?1),"
            " alert_raised_at = datetime(alert_raised_at, ?1)"
            " WHERE code = ? AND status = 'waiting'",
            (f"-{days} days", code),
        ).rowcount
    assert changed == 1


def test_an_alert_raised_with_nobody_on_duty_is_marked_so(console_of, check_in, live):
    lena = console_of("lena@example.org")
    ticket = check_in(urgent=True)
    alert = banner(lena, ticket["code"])
    expect(alert).to_be_visible(timeout=live)
    expect(alert.locator("[data-unstaffed]")).to_have_text("Raised while nobody was on duty.")


def test_a_burst_from_one_kiosk_is_one_summary_and_the_first_alert_stands(
    console_of, check_in, live
):
    maria = console_of("maria@example.org", desk="3")
    first = check_in(urgent=True, origin="198.51.100.7")
    for _ in range(5):
        check_in(urgent=True, origin="198.51.100.7")
    expect(banner(maria, first["code"])).to_be_visible(timeout=live)
    burst = maria.locator("[data-burst]")
    expect(burst).to_have_count(1, timeout=live)
    expect(burst).to_contain_text("more urgent request")
    expect(burst).to_contain_text("from one kiosk")
    assert maria.locator("[data-alert]").count() < 6  # bounded, not one banner each


def test_a_burst_acknowledged_on_one_console_leaves_every_console(console_of, check_in, live):
    maria = console_of("maria@example.org", desk="3")
    jean = console_of("jean@example.org", desk="4")
    for _ in range(5):
        check_in(urgent=True, origin="198.51.100.8")
    for page in (maria, jean):
        expect(page.locator("[data-burst]")).to_have_count(1, timeout=live)
    maria.locator("[data-burst]").get_by_role("button", name="Acknowledge").click()
    for page in (maria, jean):
        expect(page.locator("[data-burst]")).to_have_count(0, timeout=live)
    jean.reload()
    expect(jean.locator("[data-console]")).to_be_visible(timeout=live)
    expect(jean.locator("[data-burst]")).to_have_count(0)


def test_the_alerts_have_no_serious_accessibility_problems(console_of, check_in, axe, live):
    maria = console_of("maria@example.org", desk="3")
    check_in(urgent=True)
    expect(maria.locator("[data-alert]").first).to_be_visible(timeout=live)
    assert axe(maria) == []
