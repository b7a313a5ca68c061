"""What the console says about the site's hours, from the server's flags: past its hours
but staffed, and the closing panel (who still waits, whether all can be seen)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


def near_noon() -> tuple[str, datetime]:
    """A fixed-offset time zone where it is about noon now, and the time there: hours can
    then be set around 'now' without crossing midnight."""
    now = datetime.now(UTC)
    offset = 12 - now.hour  # -11 … +12
    zone = f"Etc/GMT{'-' if offset >= 0 else '+'}{abs(offset)}"  # Etc/GMT-2 is UTC+2
    return zone, now + timedelta(hours=offset)


@pytest.fixture
def west(manager, server):  # type: ignore[no-untyped-def]
    """West set to hours around now, by its lead; open at all hours again afterwards."""
    lena = manager("lena@example.org", site="west")

    def set_hours(hours: str, zone: str) -> None:
        requests.patch(f"{server.base}/api/v1/sites/west", json={"hours": hours, "timezone": zone},
                       headers=lena.headers, timeout=10).raise_for_status()  # fmt: skip

    yield set_hours
    lena.end_every_visit()
    lena.duty(False)
    set_hours("always", "America/New_York")


@pytest.fixture
def lena_at_west(console_of):  # type: ignore[no-untyped-def]
    def open_console():  # type: ignore[no-untyped-def]
        page = console_of("lena@example.org")
        page.get_by_label("Site").select_option("west")
        page.fill("#desk", "1")
        page.click("[data-duty-start]")
        expect(page.locator("[data-my-duty]")).to_contain_text("desk 1")
        return page

    return open_console


def test_a_staffed_site_after_its_hours_says_it_is_past_its_hours(west, lena_at_west):
    zone, _ = near_noon()
    west("mon-sun 06:00-07:00", zone)
    page = lena_at_west()
    expect(page.locator("[data-past-hours]")).to_contain_text("past its hours")


def test_from_half_an_hour_before_closing_the_console_counts_who_still_waits(
    west, lena_at_west, check_in, live
):
    zone, local = near_noon()
    closing = (local + timedelta(minutes=20)).strftime("%H:%M")
    west(f"mon-sun 06:00-{closing}", zone)
    page = lena_at_west()
    for name in ("One", "Two"):
        check_in(site="west", name=name)
    panel = page.locator("[data-closing]")
    expect(panel).to_contain_text(f"Closing at {closing}", timeout=live * 3)
    expect(panel).to_contain_text("2 people are still waiting", timeout=live * 3)
    expect(panel).to_contain_text("can be seen")
