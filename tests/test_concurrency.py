"""Many people and many managers at once, on SQLite and PostgreSQL alike.

Each thread drives the real Flask app (as a threaded server would), all released together
by a barrier so the requests really overlap.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from queue_service.models import Ticket


def all_at_once(count: int, work):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(count)

    def run(i: int):  # type: ignore[no-untyped-def]
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture(autouse=True)
def north(world):
    return world.site("north")


def test_forty_concurrent_check_ins_get_forty_codes_and_places_one_to_forty(app):
    def check_in(i: int):  # type: ignore[no-untyped-def]
        response = app.test_client().post(
            "/api/v1/sites/north/check-ins", json={"language": "en", "name": f"P{i}"}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["ticket"]

    tickets = all_at_once(40, check_in)
    assert len({t["code"] for t in tickets}) == 40
    assert sorted(t["position"] for t in tickets) == list(range(1, 41))


def test_concurrent_retries_of_one_check_in_make_one_ticket(app, database):
    def retry(_: int):  # type: ignore[no-untyped-def]
        response = app.test_client().post(
            "/api/v1/sites/north/check-ins",
            json={"language": "es"},
            headers={"Idempotency-Key": "tablet-3:request-17"},
        )
        assert response.status_code in (200, 201), response.get_json()
        return response.status_code, response.get_json()["ticket"]["token"]

    results = all_at_once(10, retry)
    assert len({token for _, token in results}) == 1
    assert sorted(status for status, _ in results) == [200] * 9 + [201]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1


def test_two_managers_in_eight_threads_claim_every_ticket_exactly_once(app, world, api):
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    tokens = [api.token_for("maria@example.org"), api.token_for("jean@example.org")]
    expected = {api.check_in().get_json()["ticket"]["code"] for _ in range(60)}

    def claim_until_empty(i: int) -> list[tuple[str, int]]:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {tokens[i % 2]}"}
        claimed = []
        while True:
            response = client.post("/api/v1/sites/north/queue/next", headers=headers)
            if response.status_code == 204:
                return claimed
            assert response.status_code == 200, response.get_json()
            ticket = response.get_json()["ticket"]
            claimed.append((ticket["code"], ticket["assigned_to"]["id"]))

    claims = [claim for thread in all_at_once(8, claim_until_empty) for claim in thread]
    codes = Counter(code for code, _ in claims)
    assert set(codes) == expected, "every ticket is claimed"
    assert max(codes.values()) == 1, "no ticket is claimed twice"
    queue = api.client.get("/api/v1/sites/north/queue", headers=api.as_(tokens[0]))
    assert all(t["status"] == "called" for t in queue.get_json()["tickets"])


def test_two_managers_acting_on_one_ticket_at_once_one_wins(app, world, api):
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    tokens = [api.token_for("maria@example.org"), api.token_for("jean@example.org")]
    api.check_in()
    queue = api.client.get("/api/v1/sites/north/queue", headers=api.as_(tokens[0]))
    ticket_id = queue.get_json()["tickets"][0]["id"]

    def call(i: int) -> int:
        response = app.test_client().post(
            f"/api/v1/tickets/{ticket_id}/transitions",
            json={"action": "call"},
            headers={"Authorization": f"Bearer {tokens[i % 2]}"},
        )
        assert response.status_code in (200, 409), response.get_json()
        if response.status_code == 409:
            assert response.get_json()["error"]["code"] in ("illegal_transition", "ticket_changed")
        return response.status_code

    assert sorted(all_at_once(6, call)) == [200] + [409] * 5
