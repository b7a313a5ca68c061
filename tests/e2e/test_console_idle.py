"""The console signs out by itself when left alone, but warns first and lets people stay."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow
IDLE_SECONDS = 6  # the warning shows for the last half of it (3 s)


@pytest.fixture(scope="module")
def server(tmp_path_factory, serve):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("idle")
    running = serve(folder, FRONTDOOR_CONSOLE_IDLE_SECONDS=str(IDLE_SECONDS))
    yield running
    running.stop()


@pytest.mark.parametrize("path", ["/console/", "/console/site-hours"])
def test_an_idle_console_page_warns_then_signs_out(browser, server, password, path):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}/console/")
    page.fill("#email", "lena@example.org")
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page.locator("[data-console]")).to_be_visible()
    page.goto(f"{server.base}{path}")

    dialog = page.locator("[data-idle]")
    expect(dialog).to_be_visible(timeout=IDLE_SECONDS * 1000)
    expect(dialog).to_contain_text("Are you still there?")
    page.click("[data-stay]")
    expect(dialog).to_be_hidden()

    expect(page.locator("[data-signed-out]")).to_contain_text(
        "signed out after a time without use", timeout=(IDLE_SECONDS + 3) * 1000
    )
    assert page.request.get(f"{server.base}/api/v1/auth/me").status == 401
    context.close()
