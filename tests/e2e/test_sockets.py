"""The contract's Socket.IO namespaces, from a python-socketio client on a real server."""

from __future__ import annotations

import threading

import pytest
import requests
import socketio


def connected(base: str, namespace: str, auth: dict | None = None) -> tuple[socketio.Client, list]:
    received: list = []
    client = socketio.Client(reconnection=False)
    client.on("*", lambda event, data: received.append((event, data)), namespace=namespace)
    client.connect(
        base, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=5
    )
    return client, received


def wait_for(received: list, event: str, timeout: float = 5.0, where=lambda data: True) -> dict:  # type: ignore[no-untyped-def]
    """The first `event` received (that matches `where`), waiting up to `timeout` seconds."""
    done = threading.Event()
    for _ in range(int(timeout / 0.05)):
        for name, data in list(received):
            if name == event and where(data):
                return data
        done.wait(0.05)
    raise AssertionError(f"no matching {event} in {received}")


def check_in(base: str, **body) -> dict:  # type: ignore[no-untyped-def]
    response = requests.post(
        f"{base}/api/v1/sites/north/check-ins", json={"language": "en", **body}, timeout=10
    )
    return response.json()["ticket"]


def test_a_lobby_screen_gets_only_code_and_desk(server, maria):
    maria.call_all()
    client, received = connected(server.base, "/display", auth={"site": "north"})
    check_in(server.base, name="Private Name", needs=["legal"], phone="6175550123")
    called = maria.call_next()
    message = wait_for(received, "display:called")
    assert message == {"code": called["code"], "desk": "3"}
    assert all("Private" not in str(data) for _, data in received)
    client.disconnect()


def test_a_lobby_screen_for_an_unknown_site_is_refused(server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        connected(server.base, "/display", auth={"site": "atlantis"})


def test_a_phone_hears_about_its_own_ticket_and_nobody_elses(server, maria):
    maria.call_all()
    mine = check_in(server.base)
    theirs = check_in(server.base)
    client, received = connected(server.base, "/public")
    ack = client.call("ticket:watch", {"token": mine["token"]}, namespace="/public", timeout=5)
    assert ack["ok"] and ack["ticket"]["code"] == mine["code"]
    maria.call_next()  # calls mine: it was first
    update = wait_for(received, "ticket:updated")
    assert update["token"] == mine["token"] and update["status"] == "called"
    assert all(data.get("token") != theirs["token"] for _, data in received)
    assert not {"name", "phone", "needs"} & set(update)
    client.disconnect()


def test_watching_an_unknown_ticket_says_so(server):
    client, _ = connected(server.base, "/public")
    ack = client.call(
        "ticket:watch", {"token": "NoSuchTokenAnywhere0000"}, namespace="/public", timeout=5
    )
    assert ack == {"ok": False, "error": "ticket_not_found"}
    client.disconnect()
