"""Rules the console used to keep in the browser, now the server's: outcomes, call-back
spacing, the no-show moment, allowed moves, and one serving order for SQL and the domain."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from queue_service.domain.ordering import QueuedTicket, in_queue_order
from queue_service.models import Ticket
from queue_service.persistence import queue_reads
from queue_service.services import checkins, queue, visits


def add_caller(client, headers, phone="+16175550123"):  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/sites/north/callbacks",
        json={"phone": phone, "language": "en"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["ticket"]


def test_a_failed_call_back_try_puts_the_caller_back_in_line_until_the_next_try_is_due(
    client, world, north, sign_in
) -> None:
    manager = world.staff("cm@example.org", on_duty_at="north")
    headers = sign_in("cm@example.org")
    caller = add_caller(client, headers)
    assert caller["phone_display"] == "(617) 555-0123"
    called = client.post("/api/v1/sites/north/queue/next", headers=headers).get_json()["ticket"]
    assert "attempt" in called["allowed_actions"]
    tried = client.post(
        f"/api/v1/tickets/{called['id']}/attempts", json={"result": "no_answer"}, headers=headers
    ).get_json()["ticket"]
    assert tried["status"] == "waiting" and tried["call_attempts"] == 1
    due = datetime.fromisoformat(tried["next_try_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=14) < due - datetime.now(UTC) <= timedelta(minutes=15)
    # Pressing "call next" again at once does not ring the same person three times in a row.
    assert client.post("/api/v1/sites/north/queue/next", headers=headers).status_code == 204

    with world.database.session() as s:
        later = queue.call_next(s, "north", world.reload(manager), now=due + timedelta(seconds=1))
    assert later is not None and later.id == caller["id"]


def test_the_last_spaced_try_closes_the_call_back_as_unreachable(world, north) -> None:
    manager = world.staff("cm@example.org", on_duty_at="north")
    start = datetime.now(UTC)
    with world.database.session() as s:
        ticket = checkins.add_callback(
            s, "north", world.reload(manager), {"phone": "+16175550123", "language": "en"}
        ).ticket
    moment = start
    for _ in range(3):
        with world.database.session() as s:
            assert queue.call_next(s, "north", world.reload(manager), now=moment).id == ticket.id
        with world.database.session() as s:
            after = visits.record_call_attempt(
                s, ticket.id, world.reload(manager), "voicemail", limit=3,
                retry_after=timedelta(minutes=15), now=moment,
            )  # fmt: skip
        moment += timedelta(minutes=16)
    assert (after.status, after.outcome, after.phone) == ("completed", "unreachable", None)


def test_staff_outcomes_are_checked_by_the_server(
    client, api, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    headers = sign_in("cm@example.org")
    api.check_in()
    ticket = api.call_next(headers).get_json()["ticket"]
    api.move(headers, ticket["id"], "start")
    unreachable = api.move(headers, ticket["id"], "complete", outcome="unreachable")
    assert_contract_error(unreachable, 422)
    no_detail = api.move(headers, ticket["id"], "complete", outcome="referred")
    assert "outcome_detail" in assert_contract_error(no_detail, 422)["fields"]
    no_referral = api.move(headers, ticket["id"], "complete", outcome="crisis")
    assert "crisis_referral" in assert_contract_error(no_referral, 422)["fields"]
    done = api.move(headers, ticket["id"], "complete", outcome="crisis", crisis_referral="988")
    body = done.get_json()["ticket"]
    assert body["outcome_label"] == "Crisis referral: 988 Lifeline"
    assert body["status_label"] == "Completed" and body["allowed_actions"] == []


def test_the_outcome_choices_come_from_the_server_in_plain_words(client, world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff("cm@example.org")
    choices = client.get("/api/v1/outcomes", headers=sign_in("cm@example.org")).get_json()
    values = [o["value"] for o in choices["outcomes"]]
    assert "unreachable" not in values and "crisis" in values
    referred = next(o for o in choices["outcomes"] if o["value"] == "referred")
    assert referred["needs_detail"] and referred["label"] == "Referred"
    assert {c["value"] for c in choices["crisis_referrals"]} == {
        "988", "mobile_crisis", "emergency_department", "911"
    }  # fmt: skip


def test_a_called_walk_in_carries_the_moment_the_no_show_flag_is_due(
    api, world, north, sign_in
) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    api.check_in()
    ticket = api.call_next(sign_in("cm@example.org")).get_json()["ticket"]
    called = datetime.fromisoformat(ticket["called_at"].replace("Z", "+00:00"))
    due = datetime.fromisoformat(ticket["no_show_due_at"].replace("Z", "+00:00"))
    assert due - called == timedelta(seconds=300)
    assert set(ticket["allowed_actions"]) >= {"start", "no_show", "requeue", "left", "transfer"}


def test_a_saved_note_stays_on_the_card(client, api, world, north, sign_in) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    headers = sign_in("cm@example.org")
    api.check_in()
    ticket = api.call_next(headers).get_json()["ticket"]
    client.post(f"/api/v1/tickets/{ticket['id']}/notes", json={"body": "Needs ID"}, headers=headers)
    card = client.get("/api/v1/sites/north/queue", headers=headers).get_json()["tickets"][0]
    assert [n["body"] for n in card["notes"]] == ["Needs ID"]
    assert card["notes"][0]["by"]["name"] == "Cm"


def test_the_sql_serving_order_is_the_domains_order(world, north) -> None:
    """The queue order lives in domain.ordering; the SQL must give exactly the same."""
    rng = random.Random(8)
    base = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    with world.database.session() as s:
        for _ in range(40):
            # Equal arrival times on purpose, so the id tie-break is exercised too.
            moment = base + timedelta(seconds=rng.choice([0, 0, 5, 10, 30]))
            checkins.check_in(
                s, "north", {"language": "en", "urgent": rng.random() < 0.3}, now=moment
            )
            s.rollback()
        rows = s.execute(
            select(Ticket.id, Ticket.urgent, Ticket.queued_at, Ticket.language).where(
                Ticket.site_id == north.id, Ticket.status == "waiting"
            )
        ).all()
        by_sql = queue_reads.waiting_ids_in_order(s, north.id)
    by_domain = [
        t.id
        for t in in_queue_order(
            [QueuedTicket(id=r[0], urgent=r[1], queued_at=r[2], language=r[3]) for r in rows]
        )
    ]
    assert by_sql == by_domain and len(by_sql) == 40


def test_a_called_caller_is_offered_phone_moves_not_walk_in_ones(
    client, world, north, sign_in
) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    headers = sign_in("cm@example.org")
    add_caller(client, headers)
    called = client.post("/api/v1/sites/north/queue/next", headers=headers).get_json()["ticket"]
    assert "attempt" in called["allowed_actions"]
    assert not {"start", "no_show", "left"} & set(called["allowed_actions"])
