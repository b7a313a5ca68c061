"""Against a real `frontdoor serve` process (gevent), over real HTTP."""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from tests.conftest import PASSWORD, start_server
from tests.test_concurrency import all_at_once

pytestmark = pytest.mark.slow


@pytest.fixture
def server(database_url, tmp_path, world):  # type: ignore[no-untyped-def]
    world.site("north")
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    running = start_server(database_url, tmp_path / "instance")
    yield running.base
    running.stop()


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
