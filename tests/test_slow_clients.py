"""Slow and greedy clients against a real `frontdoor serve`, over raw sockets: half-sent
headers and stalled bodies are cut off, websockets are not, and one address cannot hold
more than its share of connections. Bounds are generous: the machine may be busy."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests

pytestmark = pytest.mark.slow
# Connections, not the database, are under test: one leg is enough.
on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SHORT = {"FRONTDOOR_HEADER_TIMEOUT_SECONDS": "2", "FRONTDOOR_BODY_TIMEOUT_SECONDS": "2"}
SLACK = 20.0  # seconds a loaded machine may add to any time-out


def _address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    return parts.hostname or "127.0.0.1", parts.port or 80


@contextmanager
def _connection(base: str) -> Iterator[socket.socket]:
    sock = socket.create_connection(_address(base), timeout=SLACK * 2)
    try:
        yield sock
    finally:
        sock.close()


def _read_until_closed(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _waiting_tickets(base: str) -> int:
    return requests.get(f"{base}/api/v1/sites/north/status", timeout=10).json()["waiting"]


@on_sqlite
def test_a_request_whose_headers_never_end_is_cut_off_after_the_header_timeout(
    serve, north
) -> None:
    base = serve(**SHORT).base
    with _connection(base) as trickling, _connection(base) as silent:
        started = time.monotonic()
        silent.sendall(b"POST /api/v1/sites/north/check-ins HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        # A byte now and then must not stretch the deadline.
        trickling.sendall(b"GET /api/v1/sites/north/status HTTP/1.1\r\n")
        trickling.settimeout(0.5)
        answer = b""
        while time.monotonic() - started < 2 + SLACK:
            try:
                trickling.sendall(b"X")
                answer = trickling.recv(65536)
                break  # an answer (the 408) or b"": it was closed
            except TimeoutError:
                continue
            except OSError:  # reset while sending: closed too
                break
        trickled_for = time.monotonic() - started
        silent_answer = _read_until_closed(silent)
    assert 1.5 <= trickled_for < 2 + SLACK, trickled_for
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer
    assert silent_answer == b"" or silent_answer.startswith(b"HTTP/1.1 408"), silent_answer


@on_sqlite
def test_a_body_that_stalls_is_cut_off_and_nothing_is_written(serve, north) -> None:
    base = serve(**SHORT).base
    body = json.dumps({"language": "en"}).encode()
    with _connection(base) as sock:
        started = time.monotonic()
        sock.sendall(
            b"POST /api/v1/sites/north/check-ins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {len(body) + 10}\r\n\r\n".encode()
            + body
        )
        answer = _read_until_closed(sock)
        took = time.monotonic() - started
    assert 1.5 <= took < 2 + SLACK, took
    assert answer.split(b" ")[1] in (b"400", b"408"), answer
    assert _waiting_tickets(base) == 0


@on_sqlite
def test_a_websocket_is_not_timed_once_upgraded(serve, north) -> None:
    import websocket  # websocket-client, as the benchmarks use

    base = serve(**SHORT).base
    ws = websocket.create_connection(
        base.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket", timeout=SLACK
    )
    try:
        assert ws.recv().startswith("0")  # Engine.IO's open packet
        time.sleep(5)  # more than both time-outs together
        ws.send('40/display,{"site": "north"}')
        answers = [ws.recv(), ws.recv()]  # the board (sent on connect) and the connect's ack
        assert any(a.startswith("40/display,") for a in answers), answers
    finally:
        ws.close()


def _held(base: str, count: int) -> list[socket.socket]:
    return [socket.create_connection(_address(base), timeout=SLACK) for _ in range(count)]


def _refused_at_once(base: str) -> bytes:
    """One more connection's answer to a plain request, once the server has counted the
    held ones (it accepts them in the background)."""
    deadline = time.monotonic() + SLACK
    while True:
        with _connection(base) as extra:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answer = _read_until_closed(extra)
        if b" 429 " in answer.split(b"\r\n")[0] or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def _answers_after_they_close(base: str) -> int:
    deadline = time.monotonic() + SLACK
    while True:
        status = requests.get(f"{base}/healthz", timeout=SLACK).status_code
        if status == 200 or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


@on_sqlite
def test_one_address_gets_fifty_connections_and_a_normal_request_after_they_close(
    serve, north
) -> None:
    base = serve(FRONTDOOR_HEADER_TIMEOUT_SECONDS="60").base
    for _round in range(2):  # the count goes back down as connections close
        held = _held(base, 50)
        try:
            answer = _refused_at_once(base)
        finally:
            for sock in held:
                sock.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 429"), answer
        assert b"Retry-After: " in head
        assert json.loads(body)["error"]["code"] == "too_many_connections"
        assert _answers_after_they_close(base) == 200


def test_the_shipped_limits_are_ten_and_thirty_seconds_and_fifty_connections() -> None:
    from web_kernel.settings import Settings

    shipped = Settings.from_env({"FRONTDOOR_SECRET_KEY": "k", "FRONTDOOR_DATABASE_URL": "x"})
    assert (shipped.header_timeout_seconds, shipped.body_timeout_seconds) == (10.0, 30.0)
    assert shipped.max_connections_per_address == 50
    behind_a_proxy = Settings.from_env(
        {"FRONTDOOR_SECRET_KEY": "k", "FRONTDOOR_DATABASE_URL": "x", "FRONTDOOR_PROXY_HOPS": "1"}
    )
    assert behind_a_proxy.max_connections_per_address == 0  # the proxy's job (README)
