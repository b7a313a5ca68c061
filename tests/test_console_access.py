"""A live console is sent a site's people only while its person works there: a change of their
sites or role starts their consoles again with what they may see now, and every message asks
again whether each connection's person still works at the site, so even a change the
running server was never told of (the command line, without a message queue) stops them."""

from __future__ import annotations

import pytest

from queue_service.services import staff_admin


@pytest.fixture
def admin(world, north, south, sign_in):  # type: ignore[no-untyped-def]
    world.staff("ada@example.org", role="admin", sites_=("north", "south"))
    return sign_in("ada@example.org")


@pytest.fixture
def xan(world, north, south, sign_in):  # type: ignore[no-untyped-def]
    """Xan, a case manager at north and south, with a token."""
    member = world.staff("xan@example.org", sites_=("north", "south"))
    member.token = sign_in("xan@example.org")["Authorization"].removeprefix("Bearer ")
    return member


def snapshot_sites(received) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(m["args"][0]["site"] for m in received if m["name"] == "queue:snapshot")


def sites_sent(received) -> set[str]:  # type: ignore[no-untyped-def]
    return {m["args"][0].get("site") for m in received if m["name"] != "session:ended"}


def test_taking_a_site_away_ends_the_console_and_it_comes_back_without_that_site(
    client, api, admin, xan, live_console
) -> None:
    live = live_console(xan.token)
    assert snapshot_sites(live.on_connect) == ["north", "south"]

    answer = client.patch(f"/api/v1/staff/{xan.id}", json={"sites": ["north"]}, headers=admin)
    assert answer.status_code == 200, answer.get_json()
    # Told why, then disconnected by the server (the test client keeps what it was sent).
    assert not live.is_connected("/console")
    assert [(m["name"], m["args"][0]) for m in live.queue] == [
        ("session:ended", {"reason": "access_changed"})
    ]

    api.check_in("south", name="Ana Test", urgent=True)
    again = live_console(xan.token)  # the page starting again: only north now
    assert snapshot_sites(again.on_connect) == ["north"]
    api.check_in("south", name="Ana Test", urgent=True)
    api.check_in("north")
    assert sites_sent(again.get_received("/console")) == {"north"}


def test_a_role_change_starts_the_console_again_too(client, admin, xan, live_console) -> None:
    live = live_console(xan.token)
    answer = client.patch(f"/api/v1/staff/{xan.id}", json={"role": "site_lead"}, headers=admin)
    assert answer.status_code == 200, answer.get_json()
    assert not live.is_connected("/console")
    assert [m["name"] for m in live.queue] == ["session:ended"]


def test_a_change_of_languages_alone_leaves_the_console_be(
    client, admin, xan, live_console
) -> None:
    live = live_console(xan.token)
    answer = client.patch(
        f"/api/v1/staff/{xan.id}", json={"languages": ["en", "pt"]}, headers=admin
    )
    assert answer.status_code == 200
    assert live.is_connected("/console") and live.get_received("/console") == []


def test_a_site_taken_away_where_the_server_was_not_told_still_sends_nothing_of_it(
    api, database, xan, live_console
) -> None:
    live = live_console(xan.token)
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
    api, database, xan, live_console
) -> None:
    live = live_console(xan.token)
    with database.session() as s:
        staff_admin.change_by_email(s, "xan@example.org", active=False)
    api.check_in("north", name="Ana Test", urgent=True)
    assert live.get_received("/console") == []
