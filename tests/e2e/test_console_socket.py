"""The staff's /console namespace: signed-in staff only, their own sites only, never stale."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio


@pytest.fixture
def token_for(server, password):  # type: ignore[no-untyped-def]
    def sign_in(email: str) -> str:
        body = {"email": email, "password": password}
        response = requests.post(f"{server.base}/api/v1/auth/login", json=body, timeout=10)
        return response.json()["token"]

    return sign_in


@pytest.fixture
def console(server):  # type: ignore[no-untyped-def]
    """A factory: a /console socket with `token`, and the list of what it receives."""
    clients: list[socketio.Client] = []

    def connect(token: str | None) -> tuple[socketio.Client, list]:
        received: list = []
        client = socketio.Client(reconnection=False)
        client.on("*", lambda event, data: received.append((event, data)), namespace="/console")
        client.connect(server.base, namespaces=["/console"],
                       auth={"token": token} if token else None,
                       transports=["websocket"], wait_timeout=5)  # fmt: skip
        clients.append(client)
        return client, received

    yield connect
    for client in clients:
        if client.connected:
            client.disconnect()


@pytest.mark.parametrize("token", [None, "not-a-real-token"])
def test_nobody_without_a_valid_sign_in_gets_in(console, token):
    with pytest.raises(socketio.exceptions.ConnectionError):
        console(token)


def test_a_manager_gets_a_snapshot_on_every_connect(console, token_for, maria, check_in, wait_for):
    maria.call_all()
    waiting = check_in(name="Luz")
    token = token_for("maria@example.org")
    for _ in range(2):  # connect, then reconnect
        client, received = console(token)
        snapshot = wait_for(received, "queue:snapshot")
        assert snapshot["site"] == "north" and isinstance(snapshot["version"], int)
        codes = {t["code"]: t for t in snapshot["tickets"]}
        assert codes[waiting["code"]]["name"] == "Luz"
        client.disconnect()


def test_check_ins_and_urgent_alerts_reach_the_sites_staff_and_no_one_else(
    console, token_for, maria, check_in, wait_for
):
    maria.call_all()
    _, north_received = console(token_for("maria@example.org"))
    _, south_received = console(token_for("sam@example.org"))
    before = wait_for(north_received, "queue:snapshot")["version"]

    created = check_in(name="Rosa")
    event = wait_for(north_received, "ticket:created")
    assert event["ticket"]["code"] == created["code"] and event["ticket"]["name"] == "Rosa"
    assert event["version"] > before

    urgent = check_in(urgent=True)
    alert = wait_for(north_received, "alert:urgent")
    assert alert["ticket"]["code"] == urgent["code"] and alert["ticket"]["urgent"] is True

    called = maria.call_next()
    update = wait_for(north_received, "ticket:updated",
                      where=lambda d: d["ticket"]["code"] == called["code"])  # fmt: skip
    assert update["ticket"]["status"] == "called"
    assert [e for e, _ in south_received if e != "queue:snapshot"] == []
    assert all(d["site"] == "south" for e, d in south_received if e == "queue:snapshot")


def test_ticket_events_arrive_in_version_order_with_no_gaps(
    console, token_for, maria, check_in, wait_for
):
    maria.call_all()
    _, received = console(token_for("maria@example.org"))
    start = wait_for(received, "queue:snapshot")["version"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = set(pool.map(lambda i: check_in(name=f"P{i}")["code"], range(24)))
    for _ in range(100):
        if len([e for e, _ in received if e == "ticket:created"]) == 24:
            break
        threading.Event().wait(0.05)
    versions = [d["version"] for e, d in received if e.startswith(("ticket:", "alert:"))]
    assert versions == list(range(start + 1, start + 1 + len(versions)))
    assert {d["ticket"]["code"] for e, d in received if e == "ticket:created"} == codes


def test_signing_out_ends_the_live_connection(console, token_for, server, wait_for):
    token = token_for("jean@example.org")
    client, received = console(token)
    wait_for(received, "queue:snapshot")
    requests.post(
        f"{server.base}/api/v1/auth/logout",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).raise_for_status()
    for _ in range(100):
        if not client.connected:
            break
        threading.Event().wait(0.05)
    assert not client.connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        console(token)


def test_duty_changes_reach_the_sites_consoles(console, token_for, manager, wait_for):
    _, received = console(token_for("maria@example.org"))
    wait_for(received, "queue:snapshot")
    manager("jean@example.org", desk="7")
    duty = wait_for(received, "duty:updated",
                    where=lambda d: any(s["desk"] == "7" for s in d["on_duty_now"]))  # fmt: skip
    assert duty["site"] == "north" and "Jean" in [s["name"] for s in duty["on_duty_now"]]
