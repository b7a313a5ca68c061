"""Against a real `frontdoor serve` process (gevent), over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.conftest import PASSWORD
from tests.test_concurrency import all_at_once

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(database_url, tmp_path, world):  # type: ignore[no-untyped-def]
    world.site("north")
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    port = free_port()
    env = {
        **os.environ,
        "FRONTDOOR_DATABASE_URL": database_url,
        "FRONTDOOR_RATE_LIMITS": "off",
        "FRONTDOOR_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("frontdoor")), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/api/v1/tickets/none", timeout=1)
            break
        except requests.ConnectionError:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


def login(base: str, email: str) -> dict[str, str]:
    response = requests.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_served_check_ins_and_claims_are_exact_under_load(server):
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

    managers = [login(server, "maria@example.org"), login(server, "jean@example.org")]

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
