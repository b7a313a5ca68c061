"""The staff's /console namespace: signed-in staff only, their own sites only, never stale."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from tests.conftest import PASSWORD

from .conftest import Manager
from .test_sockets import check_in, wait_for


def token_for(base: str, email: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
    )
    return response.json()["token"]


def console(base: str, token: str | None) -> tuple[socketio.Client, list]:
    received: list = []
    client = socketio.Client(reconnection=False)
    client.on("*", lambda event, data: received.append((event, data)), namespace="/console")
    client.connect(base, namespaces=["/console"], auth={"token": token} if token else None,
                   transports=["websocket"], wait_timeout=5)  # fmt: skip
    return client, received


@pytest.mark.parametrize("token", [None, "not-a-real-token"])
def test_nobody_without_a_valid_sign_in_gets_in(server, token):
    with pytest.raises(socketio.exceptions.ConnectionError):
        console(server.base, token)


def test_a_manager_gets_a_snapshot_on_every_connect(server, maria: Manager):
    maria.call_all()
    waiting = check_in(server.base, name="Luz")
    token = token_for(server.base, "maria@example.org")
    for _ in range(2):  # connect, then reconnect
        client, received = console(server.base, token)
        snapshot = wait_for(received, "queue:snapshot")
        assert snapshot["site"] == "north" and isinstance(snapshot["version"], int)
        codes = {t["code"]: t for t in snapshot["tickets"]}
        assert codes[waiting["code"]]["name"] == "Luz"
        client.disconnect()


def test_check_ins_and_urgent_alerts_reach_the_sites_staff_and_no_one_else(server, maria: Manager):
    maria.call_all()
    north, north_received = console(server.base, token_for(server.base, "maria@example.org"))
    south, south_received = console(server.base, token_for(server.base, "sam@example.org"))
    wait_for(north_received, "queue:snapshot")
    before = wait_for(north_received, "queue:snapshot")["version"]

    created = check_in(server.base, name="Rosa")
    event = wait_for(north_received, "ticket:created")
    assert event["ticket"]["code"] == created["code"] and event["ticket"]["name"] == "Rosa"
    assert event["version"] > before

    urgent = check_in(server.base, urgent=True)
    alert = wait_for(north_received, "alert:urgent")
    assert alert["ticket"]["code"] == urgent["code"] and alert["ticket"]["urgent"] is True

    called = maria.call_next()
    update = wait_for(north_received, "ticket:updated",
                      where=lambda d: d["ticket"]["code"] == called["code"])  # fmt: skip
    assert update["ticket"]["status"] == "called"
    assert [e for e, _ in south_received if e != "queue:snapshot"] == []
    assert all(d["site"] == "south" for e, d in south_received if e == "queue:snapshot")
    north.disconnect()
    south.disconnect()


def test_ticket_events_arrive_in_version_order_with_no_gaps(server, maria: Manager):
    maria.call_all()
    client, received = console(server.base, token_for(server.base, "maria@example.org"))
    start = wait_for(received, "queue:snapshot")["version"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = set(pool.map(lambda i: check_in(server.base, name=f"P{i}")["code"], range(24)))
    for _ in range(100):
        if len([e for e, _ in received if e == "ticket:created"]) == 24:
            break
        threading.Event().wait(0.05)
    versions = [d["version"] for e, d in received if e.startswith(("ticket:", "alert:"))]
    assert versions == list(range(start + 1, start + 1 + len(versions)))
    assert {d["ticket"]["code"] for e, d in received if e == "ticket:created"} == codes
    client.disconnect()


def test_signing_out_ends_the_live_connection(server):
    token = token_for(server.base, "jean@example.org")
    client, received = console(server.base, token)
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
        console(server.base, token)


def test_duty_changes_reach_the_sites_consoles(server):
    client, received = console(server.base, token_for(server.base, "maria@example.org"))
    wait_for(received, "queue:snapshot")
    Manager(server.base, "jean@example.org", desk="7")
    duty = wait_for(received, "duty:updated",
                    where=lambda d: any(s["desk"] == "7" for s in d["on_duty_now"]))  # fmt: skip
    assert duty["site"] == "north" and "Jean" in [s["name"] for s in duty["on_duty_now"]]
    client.disconnect()
