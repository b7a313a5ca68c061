"""A live console is sent a site's people only while its person works there: a change of their
sites or role starts their consoles again with what they may see now, and every message asks
again whether each connection's person still works at the site, so even a change the
running server was never told of (the command line, without a message queue) stops them."""

from __future__ import annotations

import pytest

from queue_service.services import staff_admin
from web_kernel.extensions import socketio


@pytest.fixture
def xan(world, north, south, sign_in):  # type: ignore[no-untyped-def]
    """Xan, a case manager at north and south, with a token."""
    member = world.staff("xan@example.org", sites_=("north", "south"))
    member.token = sign_in("xan@example.org")["Authorization"].removeprefix("Bearer ")
    return member


@pytest.fixture
def console(app):  # type: ignore[no-untyped-def]
    """console(token): a live console, with what it was sent on connecting."""
    opened = []

    def connect(token: str):  # type: ignore[no-untyped-def]
        live = socketio.test_client(app, namespace="/console", auth={"token": token})
        assert live.is_connected("/console")
        live.on_connect = live.get_received("/console")
        opened.append(live)
        return live

    yield connect
    for live in opened:
        if live.is_connected("/console"):
            live.disconnect(namespace="/console")


def sites_sent(received) -> set[str]:  # type: ignore[no-untyped-def]
    return {m["args"][0].get("site") for m in received if m["name"] != "session:ended"}


def test_a_site_taken_away_where_the_server_was_not_told_still_sends_nothing_of_it(
    api, database, xan, console
) -> None:
    live = console(xan.token)
    # The command line on another machine, with no message queue: the server never hears.
    with database.session() as s:
        staff_admin.change_by_email(s, "xan@example.org", sites=["north"])
    assert live.get_received("/console") == []

    api.check_in("south", name="Ana Test", urgent=True)
    api.check_in("north")
    received = live.get_received("/console")
    assert sites_sent(received) == {"north"}, received
    assert "Ana Test" not in str(received)
    assert live.is_connected("/console")  # north goes on as before


def test_a_person_deactivated_where_the_server_was_not_told_is_sent_nothing_more(
    api, database, xan, console
) -> None:
    live = console(xan.token)
    with database.session() as s:
        staff_admin.change_by_email(s, "xan@example.org", active=False)
    api.check_in("north", name="Ana Test", urgent=True)
    assert live.get_received("/console") == []
