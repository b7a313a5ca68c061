"""The console says plainly when its live connection cannot start, and still shows the line
(over HTTP) instead of "Connecting…" and an empty page for ever (issue 9)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

CANNOT_CONNECT = "The live queue cannot connect. Reload the page; if it keeps happening, tell IT."


@pytest.fixture
def console_without(browser, server, password, viewports):  # type: ignore[no-untyped-def]
    """console_without(block): Maria's console in a browser where `block(context)` stops
    part of the live connection first."""
    contexts = []

    def open_console(block):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=viewports["laptop"])
        contexts.append(context)
        block(context)
        page = context.new_page()
        page.goto(f"{server.base}/console/")
        page.fill("#email", "maria@example.org")
        page.fill("#password", password)
        page.click("button[type=submit]")
        return page

    yield open_console
    for context in contexts:
        context.close()


def _no_client_script(context) -> None:  # type: ignore[no-untyped-def]
    context.route("**/assets/socket.io.min.js*", lambda route: route.abort())


def _socket_refused(context) -> None:  # type: ignore[no-untyped-def]
    # Both of the client's ways in: the websocket and long-polling.
    context.route_web_socket("**/socket.io/**", lambda socket: socket.close())
    context.route("**/socket.io/**", lambda route: route.abort("connectionrefused"))


@pytest.mark.parametrize("block", [_no_client_script, _socket_refused],
                         ids=["client script missing", "connection refused"])  # fmt: skip
def test_the_console_says_the_live_queue_cannot_connect_and_still_shows_the_line(
    console_without, block, check_in, maria, row, axe
):
    maria.end_every_visit()
    waiting = check_in(name="Noor")
    page = console_without(block)
    expect(page.locator("[data-connection]")).to_have_text(CANNOT_CONNECT, timeout=15000)
    expect(row(page, waiting["code"])).to_be_visible()
    expect(row(page, waiting["code"])).to_contain_text("Noor")
    assert axe(page) == []
