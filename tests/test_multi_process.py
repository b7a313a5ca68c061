"""Several `frontdoor serve` processes on one PostgreSQL database and a real Redis: a person
deactivated through one process, or from the command line, loses their live console on
another at once, and what one process serves (a check-in, an urgent alert, a manager going
on duty, a sign-out) reaches consoles on the other (README, "Live connections")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import socketio

# Every process shares the one database: SQLite is one machine's file, not this set-up.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]
PROMPTLY = 5.0  # seconds; the periodic token check alone would take up to 30


@pytest.fixture
def redis_url(tmp_path, free_port):  # type: ignore[no-untyped-def]
    """A redis-server of this test's own, on a free port, without persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the multi-process tests: apt-get install redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    import redis

    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_timeout=1).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def people(world, north):  # type: ignore[no-untyped-def]
    """Ada, an administrator, and Cam and Dee, case managers, all at north."""
    return (world.staff("ada@example.org", role="admin"), world.staff("cam@example.org"),
            world.staff("dee@example.org"))  # fmt: skip


@pytest.fixture
def live_console():  # type: ignore[no-untyped-def]
    """live_console(server, token): a /console socket on that process, once its snapshot came."""
    clients: list[socketio.Client] = []

    def connect(server, token: str):  # type: ignore[no-untyped-def]
        client = socketio.Client(reconnection=False)
        received: list[str] = []
        messages: list[tuple[str, dict]] = []

        def heard(event: str, data: dict) -> None:
            messages.append((event, data))
            received.append(event)

        client.on("*", heard, namespace="/console")
        client.connect(server.base, namespaces=["/console"], auth={"token": token},
                       transports=["websocket"], wait_timeout=5)  # fmt: skip
        clients.append(client)
        _until(lambda: "queue:snapshot" in received, 5, "no snapshot")
        client.received = received  # type: ignore[attr-defined]
        client.messages = messages  # type: ignore[attr-defined]
        return client

    yield connect
    for client in clients:
        if client.connected:
            client.disconnect()


def _until(condition, seconds: float, failure: str) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(failure)
        time.sleep(0.05)
    return time.monotonic() - started


def _deactivate_through(server, admin_headers, staff_id: int) -> None:  # type: ignore[no-untyped-def]
    answer = requests.patch(f"{server.base}/api/v1/staff/{staff_id}", json={"active": False},
                            headers=admin_headers, timeout=10)  # fmt: skip
    assert answer.status_code == 200, answer.text


def test_deactivating_through_one_process_or_the_command_line_ends_consoles_on_every_one(
    serve, redis_url, people, http_sign_in, live_console, database_url, tmp_path
):
    ada, cam, dee = people
    first, second = _two(serve, FRONTDOOR_REDIS_URL=redis_url)
    cams = live_console(second, _token(http_sign_in, second, cam))
    dees = [live_console(server, _token(http_sign_in, server, dee)) for server in (first, second)]

    # Through the API of process 1: Cam's console is on process 2.
    _deactivate_through(first, http_sign_in(first.base, ada.email), cam.id)
    _until(lambda: not cams.connected, PROMPTLY, "Cam is still connected to process 2")
    assert "session:ended" in cams.received, cams.received
    assert all(console.connected for console in dees)  # nobody else's

    # From the command line, a process of its own: Dee's consoles on both servers.
    environment = {**os.environ, "FRONTDOOR_DATABASE_URL": database_url,
                   "FRONTDOOR_REDIS_URL": redis_url,
                   "FRONTDOOR_INSTANCE_PATH": str(tmp_path / "cli")}  # fmt: skip
    result = subprocess.run(
        [str(Path(sys.executable).with_name("frontdoor")), "staff", "set", dee.email,
         "--active", "no"],
        env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    _until(lambda: not any(console.connected for console in dees), PROMPTLY,
           "a console outlived the command")  # fmt: skip
    assert all("session:ended" in console.received for console in dees)


def test_a_check_in_served_by_one_process_shows_on_a_console_connected_to_the_other(
    serve, redis_url, people, http_sign_in, live_console
):
    _, cam, dee = people
    first, second = _two(serve, FRONTDOOR_REDIS_URL=redis_url)
    cam_token = _token(http_sign_in, second, cam)
    cams = live_console(second, cam_token)
    [(_, snapshot)] = cams.messages
    assert snapshot["tickets"] == [] and snapshot["duty"]["on_duty_now"] == []

    # Dee goes on duty through process 1: Cam's console on process 2 sees her there.
    dees = http_sign_in(first.base, dee.email)
    on_duty = requests.put(
        f"{first.base}/api/v1/sites/north/duty", json={"on_duty": True, "desk": "2"},
        headers=dees, timeout=10,
    )  # fmt: skip
    assert on_duty.status_code == 200, on_duty.text
    _until(lambda: _sent(cams, "duty:updated"), PROMPTLY, "no duty:updated on process 2")
    assert [s["name"] for s in _sent(cams, "duty:updated")[-1]["on_duty_now"]] == ["Dee"]

    # An urgent walk-in checks in at a kiosk served by process 1.
    answer = requests.post(f"{first.base}/api/v1/sites/north/check-ins",
                           json={"language": "en", "urgent": True}, timeout=10)  # fmt: skip
    assert answer.status_code == 201, answer.text
    _until(lambda: _sent(cams, "ticket:created") and _sent(cams, "alert:urgent"), PROMPTLY,
           f"the check-in did not reach process 2: {cams.received}")  # fmt: skip
    [created], [alert] = _sent(cams, "ticket:created"), _sent(cams, "alert:urgent")
    assert created["ticket"]["urgent"] and alert["ticket"]["id"] == created["ticket"]["id"]
    # Numbered by process 2 for its own consoles: no gap the console would resync for.
    assert [created["version"], alert["version"]] == [snapshot["version"] + 1,
                                                      snapshot["version"] + 2]  # fmt: skip

    # Signing out through process 1 ends the console that token opened on process 2.
    signed_out = requests.post(
        f"{first.base}/api/v1/auth/logout", headers={"Authorization": f"Bearer {cam_token}"},
        timeout=10,
    )  # fmt: skip
    assert signed_out.status_code == 200
    _until(lambda: not cams.connected, PROMPTLY, "the signed-out console is still connected")


def test_without_the_message_queue_the_other_process_does_not_hear_it(
    serve, people, http_sign_in, live_console
):
    # The control for the tests above: what the message queue carries is what reaches it.
    ada, cam, _ = people
    first, second = _two(serve)
    console = live_console(second, _token(http_sign_in, second, cam))
    answer = requests.post(f"{first.base}/api/v1/sites/north/check-ins",
                           json={"language": "en", "urgent": True}, timeout=10)  # fmt: skip
    assert answer.status_code == 201, answer.text
    _deactivate_through(first, http_sign_in(first.base, ada.email), cam.id)
    time.sleep(PROMPTLY)
    assert console.connected and console.received == ["queue:snapshot"]


def _sent(console, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [data for event, data in console.messages if event == name]


def _two(serve, **env: str):  # type: ignore[no-untyped-def]
    """Two server processes of one deployment: one secret key (sessions, keyed hashes)."""
    env = {"FRONTDOOR_SECRET_KEY": "one-deployment-secret", **env}
    return serve(**env), serve(**env)


def _token(http_sign_in, server, member) -> str:  # type: ignore[no-untyped-def]
    return http_sign_in(server.base, member.email)["Authorization"].removeprefix("Bearer ")
