"""Many people and many managers at once, on SQLite and PostgreSQL alike.

Each thread drives the real Flask app (as a threaded server would), all released together
by a barrier so the requests really overlap.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from queue_service.models import Ticket

pytestmark = pytest.mark.usefixtures("north")


def test_forty_concurrent_check_ins_get_forty_codes_and_places_one_to_forty(app, all_at_once):
    def check_in(i: int):  # type: ignore[no-untyped-def]
        response = app.test_client().post(
            "/api/v1/sites/north/check-ins", json={"language": "en", "name": f"P{i}"}
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["ticket"]

    tickets = all_at_once(40, check_in)
    assert len({t["code"] for t in tickets}) == 40
    assert sorted(t["position"] for t in tickets) == list(range(1, 41))


def test_concurrent_retries_of_one_check_in_make_one_ticket(app, database, all_at_once):
    def retry(_: int):  # type: ignore[no-untyped-def]
        response = app.test_client().post(
            "/api/v1/sites/north/check-ins",
            json={"language": "es"},
            headers={"Idempotency-Key": "6f1d0c9a-3b2e-4f8a-9d7c-1e2b3c4d5e6f"},
        )
        assert response.status_code in (200, 201), response.get_json()
        return response.status_code, response.get_json()["ticket"]["token"]

    results = all_at_once(10, retry)
    assert len({token for _, token in results}) == 1
    assert sorted(status for status, _ in results) == [200] * 9 + [201]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1


def test_two_managers_in_eight_threads_claim_every_ticket_exactly_once(
    app, world, api, all_at_once, sign_in
):
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    managers = [sign_in("maria@example.org"), sign_in("jean@example.org")]
    expected = {api.check_in().get_json()["ticket"]["code"] for _ in range(60)}

    def claim_until_empty(i: int) -> list[tuple[str, int]]:
        client = app.test_client()
        claimed = []
        while True:
            response = client.post("/api/v1/sites/north/queue/next", headers=managers[i % 2])
            if response.status_code == 204:
                return claimed
            assert response.status_code == 200, response.get_json()
            ticket = response.get_json()["ticket"]
            claimed.append((ticket["code"], ticket["assigned_to"]["id"]))

    claims = [claim for thread in all_at_once(8, claim_until_empty) for claim in thread]
    codes = Counter(code for code, _ in claims)
    assert set(codes) == expected, "every ticket is claimed"
    assert max(codes.values()) == 1, "no ticket is claimed twice"
    queue = api.client.get("/api/v1/sites/north/queue", headers=managers[0])
    assert all(t["status"] == "called" for t in queue.get_json()["tickets"])


def test_two_managers_acting_on_one_ticket_at_once_one_wins(app, world, api, all_at_once, sign_in):
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    world.staff("jean@example.org", on_duty_at="north", desk="2")
    managers = [sign_in("maria@example.org"), sign_in("jean@example.org")]
    api.check_in()
    queue = api.client.get("/api/v1/sites/north/queue", headers=managers[0])
    ticket_id = queue.get_json()["tickets"][0]["id"]

    def call(i: int) -> int:
        response = app.test_client().post(
            f"/api/v1/tickets/{ticket_id}/transitions",
            json={"action": "call"},
            headers=managers[i % 2],
        )
        assert response.status_code in (200, 409), response.get_json()
        if response.status_code == 409:
            assert response.get_json()["error"]["code"] in ("illegal_transition", "ticket_changed")
        return response.status_code

    assert sorted(all_at_once(6, call)) == [200] + [409] * 5


def test_a_client_leaving_while_a_manager_calls_them_never_fails(
    app, world, api, all_at_once, sign_in
):
    world.staff("maria@example.org", on_duty_at="north", desk="1")
    headers = sign_in("maria@example.org")
    for _ in range(10):
        token = api.check_in().get_json()["ticket"]["token"]

        def act(i: int, token=token) -> int:  # type: ignore[no-untyped-def]
            client = app.test_client()
            if i == 0:
                return client.post(f"/api/v1/tickets/{token}/cancel").status_code
            return client.post("/api/v1/sites/north/queue/next", headers=headers).status_code

        # Either order is fine (a person may leave right after being called); a 500 is not.
        cancel_status, call_status = all_at_once(2, act)
        assert cancel_status in (200, 409) and call_status in (200, 204)
        final = api.client.get(f"/api/v1/tickets/{token}").get_json()["ticket"]["status"]
        assert final == ("cancelled" if cancel_status == 200 else "called")


def test_the_same_duty_request_twice_at_once_starts_one_shift(
    app, world, api, database, all_at_once, sign_in
):
    from queue_service.models import DutyShift

    world.staff("maria@example.org")
    headers = sign_in("maria@example.org")

    def go_on_duty(_: int) -> int:
        return (
            app.test_client()
            .put("/api/v1/sites/north/duty", headers=headers, json={"on_duty": True, "desk": "1"})
            .status_code
        )

    assert all_at_once(4, go_on_duty) == [200] * 4
    with database.session() as s:
        assert len(s.scalars(select(DutyShift)).all()) == 1
