"""Against a real `frontdoor serve` process (gevent), over real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow


@pytest.fixture
def server(serve, world, north) -> str:  # type: ignore[no-untyped-def]
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    return serve().base


def test_served_check_ins_and_claims_are_exact_under_load(server, all_at_once, http_sign_in):
    def check_in(i: int) -> dict:
        with requests.Session() as http:
            response = http.post(
                f"{server}/api/v1/sites/north/check-ins", json={"language": "en"}, timeout=30
            )
        assert response.status_code == 201, response.text
        return response.json()["ticket"]

    tickets = all_at_once(40, check_in)
    assert len({t["code"] for t in tickets}) == 40
    assert sorted(t["position"] for t in tickets) == list(range(1, 41))

    managers = [http_sign_in(server, "maria@example.org"), http_sign_in(server, "jean@example.org")]

    def claim_until_empty(i: int) -> list[str]:
        claimed = []
        with requests.Session() as http:
            while True:
                response = http.post(
                    f"{server}/api/v1/sites/north/queue/next", headers=managers[i % 2], timeout=30
                )
                if response.status_code == 204:
                    return claimed
                assert response.status_code == 200, response.text
                claimed.append(response.json()["ticket"]["code"])

    claimed = Counter(code for run in all_at_once(8, claim_until_empty) for code in run)
    assert set(claimed) == {t["code"] for t in tickets}
    assert max(claimed.values()) == 1


def test_served_errors_are_json_never_a_stack_trace(server):
    response = requests.post(
        f"{server}/api/v1/sites/north/check-ins",
        data=b"\x00{{",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert "Traceback" not in response.text


def _raw_exchange(base: str, data: bytes) -> bytes:
    """Sends `data` on one connection and reads until the server closes it."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_a_bare_cr_in_a_header_cannot_smuggle_a_second_request(server):
    # A proxy that passes the lone CR through sees one request whose body is the check-in;
    # a parser that takes the CR for a line end sees "Content-Length: 0" and runs the
    # check-in as a second request.
    smuggled = (
        b"POST /api/v1/sites/north/check-ins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b'Content-Type: application/json\r\nContent-Length: 17\r\n\r\n{"language":"en"}'
    )
    head = (
        b"GET /api/v1/sites/north/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"X-Note: a\rContent-Length: 0\r\n" + f"Content-Length: {len(smuggled)}\r\n\r\n".encode()
    )
    answer = _raw_exchange(server, head + smuggled)
    assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert answer.count(b"HTTP/1.1 ") == 1, "one answer, to one request"
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "bad_request"
    status = requests.get(f"{server}/api/v1/sites/north/status", timeout=10).json()
    assert status["waiting"] == 0, "the smuggled check-in never ran"


def test_a_bare_cr_in_the_request_line_is_refused(server):
    answer = _raw_exchange(server, b"GET /healthz\rGET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 "), answer


@pytest.mark.parametrize("public_url", [None, "frontdoor.example", "ftp://frontdoor.example"])
def test_serve_will_not_start_without_a_public_url(tmp_path, public_url):
    env = {k: v for k, v in os.environ.items() if k != "FRONTDOOR_PUBLIC_URL"}
    env |= {"FRONTDOOR_INSTANCE_PATH": str(tmp_path / "instance")}
    if public_url:
        env["FRONTDOOR_PUBLIC_URL"] = public_url
    frontdoor = str(Path(sys.executable).with_name("frontdoor"))
    done = subprocess.run(
        [frontdoor, "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
    assert "FRONTDOOR_PUBLIC_URL" in done.stderr
    assert not (tmp_path / "instance" / "frontdoor.sqlite3").exists(), "nothing was set up"
