"""Against a real `frontdoor serve` process (gevent), over real HTTP."""

from __future__ import annotations

from collections import Counter

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
