"""Case managers working the line through the staff API."""

import pytest
from sqlalchemy import select

from queue_service.models import Ticket, TicketEvent, TicketNote

pytestmark = pytest.mark.usefixtures("north")


@pytest.fixture
def manager(world, api, sign_in):
    world.staff("maria@example.org", languages=("en", "es"))
    headers = sign_in("maria@example.org")
    on = api.client.put(
        "/api/v1/sites/north/duty", json={"on_duty": True, "desk": "2"}, headers=headers
    )
    assert on.status_code == 200, on.get_json()
    return headers


def test_sign_in_gives_a_token_and_the_staff_member(api, world, password):
    world.staff("maria@example.org")
    response = api.client.post(
        "/api/v1/auth/login", json={"email": "Maria@Example.org", "password": password}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["token"] and body["staff"]["email"] == "maria@example.org"
    assert body["staff"]["sites"] == ["north"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "maria@example.org", "password": "wrong-password-here"},
        {"email": "nobody@example.org", "password": "correct-horse-battery"},
    ],
)
def test_bad_credentials_are_a_401(api, world, body, assert_contract_error):
    world.staff("maria@example.org")
    assert_contract_error(api.client.post("/api/v1/auth/login", json=body), 401, "bad_credentials")


def test_staff_endpoints_need_a_valid_token(api, assert_contract_error):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}):
        assert_contract_error(api.client.get("/api/v1/sites/north/queue", headers=headers), 401)


def test_signing_out_ends_the_token(api, manager, assert_contract_error):
    assert api.client.post("/api/v1/auth/logout", headers=manager).status_code == 200
    assert_contract_error(api.client.get("/api/v1/sites/north/queue", headers=manager), 401)


def test_duty_shift_starts_and_ends(api, manager):
    off = api.client.put("/api/v1/sites/north/duty", json={"on_duty": False}, headers=manager)
    assert off.get_json()["on_duty"] is False and off.get_json()["on_duty_now"] == []
    on = api.client.put(
        "/api/v1/sites/north/duty", json={"on_duty": True, "desk": "3"}, headers=manager
    )
    assert on.get_json()["desk"] == "3"
    assert [d["desk"] for d in on.get_json()["on_duty_now"]] == ["3"]


def test_duty_needs_a_yes_or_no(api, manager, assert_contract_error):
    bad = api.client.put("/api/v1/sites/north/duty", json={"on_duty": "yes"}, headers=manager)
    assert_contract_error(bad, 422)


def test_queue_lists_open_tickets_in_serving_order(api, manager):
    a = api.check_in(name="Ana").get_json()["ticket"]["code"]
    b = api.check_in(urgent=True).get_json()["ticket"]["code"]
    c = api.check_in(language="es").get_json()["ticket"]["code"]
    tickets = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    assert [t["code"] for t in tickets] == [b, a, c]
    assert [t["position"] for t in tickets] == [1, 2, 3]
    first = tickets[1]
    for field in (
        "id",
        "code",
        "status",
        "channel",
        "urgent",
        "needs",
        "language",
        "name",
        "position",
        "assigned_to",
        "created_at",
        "visitor_id",
    ):
        assert field in first
    assert first["name"] == "Ana" and first["channel"] == "kiosk"


def test_call_next_claims_the_head_of_the_line(api, manager):
    first = api.check_in().get_json()["ticket"]["code"]
    api.check_in()
    called = api.call_next(manager)
    assert called.status_code == 200
    ticket = called.get_json()["ticket"]
    assert (ticket["code"], ticket["status"], ticket["desk"]) == (first, "called", "2")
    assert ticket["assigned_to"]["name"] == "Maria"


def test_call_next_with_nobody_waiting_is_a_204(api, manager):
    response = api.call_next(manager)
    assert response.status_code == 204 and response.data == b""


def test_call_next_off_duty_is_a_409(api, world, sign_in, assert_contract_error):
    world.staff("off@example.org")
    off_duty = sign_in("off@example.org")
    api.check_in()
    assert_contract_error(api.call_next(off_duty), 409, "not_on_duty")


def test_staff_of_another_site_see_and_touch_nothing_here(
    api, world, south, sign_in, manager, assert_contract_error
):
    world.staff("sam@example.org", sites_=("south",), on_duty_at="south")
    other = sign_in("sam@example.org")
    ticket_id = api.check_in().get_json()["ticket"]
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    assert_contract_error(api.client.get("/api/v1/sites/north/queue", headers=other), 403)
    assert_contract_error(api.call_next(other), 403)
    assert_contract_error(api.move(other, queue[0]["id"], "call"), 403)
    assert ticket_id


def test_a_full_visit_is_stamped_step_by_step_with_who_did_it(api, manager, database):
    api.check_in()
    ticket_id = api.call_next(manager).get_json()["ticket"]["id"]
    assert api.move(manager, ticket_id, "start").get_json()["ticket"]["status"] == "in_session"
    done = api.move(
        manager,
        ticket_id,
        "complete",
        outcome="referred",
        outcome_detail="Food pantry on Main St",
        note="Wants a call next week",
    )
    assert done.status_code == 200
    body = done.get_json()["ticket"]
    assert (body["status"], body["outcome"]) == ("completed", "referred")
    with database.session() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket.called_at <= ticket.started_at <= ticket.completed_at
        history = s.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        ).all()
        note = s.scalars(select(TicketNote)).one()
    assert [(e.action, e.to_status) for e in history] == [
        ("check_in", "waiting"),
        ("call", "called"),
        ("start", "in_session"),
        ("complete", "completed"),
    ]
    assert all(e.staff_id is not None for e in history[1:])
    assert note.body == "Wants a call next week"


def test_an_illegal_move_is_a_409_and_changes_nothing(
    api, manager, database, assert_contract_error
):
    api.check_in()
    ticket_id = api.call_next(manager).get_json()["ticket"]["id"]
    api.move(manager, ticket_id, "start")
    api.move(manager, ticket_id, "complete", outcome="resolved")
    with database.session() as s:
        before = s.get(Ticket, ticket_id).version
    for action in ("call", "start", "no_show", "cancel", "requeue", "left"):
        assert_contract_error(api.move(manager, ticket_id, action), 409, "illegal_transition")
    with database.session() as s:
        ticket = s.get(Ticket, ticket_id)
        assert (ticket.status, ticket.version) == ("completed", before)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "teleport"}, "action"),
        ({"action": "complete"}, "outcome"),
        ({"action": "complete", "outcome": "great"}, "outcome"),
        ({"action": "start", "outcome": "resolved"}, "outcome"),
        ({"action": "start", "note": 5}, "note"),
        ({"action": "start", "note": "x" * 3000}, "note"),
        ({"action": "start", "colour": "red"}, "colour"),
    ],
)
def test_bad_transition_requests_are_422_naming_the_field(
    api, manager, body, field, assert_contract_error
):
    api.check_in()
    ticket_id = api.call_next(manager).get_json()["ticket"]["id"]
    response = api.client.post(
        f"/api/v1/tickets/{ticket_id}/transitions", json=body, headers=manager
    )
    assert field in assert_contract_error(response, 422)["fields"]


def test_transition_of_an_unknown_ticket_is_a_404(api, manager, assert_contract_error):
    assert_contract_error(api.move(manager, 999_999, "start"), 404, "ticket_not_found")


def test_requeue_puts_the_person_back_in_their_original_place(api, manager):
    first = api.check_in().get_json()["ticket"]
    api.check_in()
    ticket_id = api.call_next(manager).get_json()["ticket"]["id"]
    back = api.move(manager, ticket_id, "requeue").get_json()["ticket"]
    assert (back["status"], back["position"], back["assigned_to"]) == ("waiting", 1, None)
    assert api.client.get(f"/api/v1/tickets/{first['token']}").get_json()["ticket"]["position"] == 1


def test_calling_a_specific_person_needs_duty_and_takes_them_out_of_line(api, manager):
    api.check_in()
    second = api.check_in().get_json()["ticket"]
    queue = api.client.get("/api/v1/sites/north/queue", headers=manager).get_json()["tickets"]
    called = api.move(manager, queue[1]["id"], "call").get_json()["ticket"]
    assert (called["code"], called["status"]) == (second["code"], "called")


def test_manager_is_offered_someone_in_their_language_when_a_colleague_speaks_the_heads(
    api, world, manager
):
    world.staff("jean@example.org", languages=("en", "ht"), on_duty_at="north")
    api.check_in(language="ht")
    spanish = api.check_in(language="es").get_json()["ticket"]["code"]
    assert api.call_next(manager).get_json()["ticket"]["code"] == spanish


def test_a_caller_is_added_as_a_phone_call_back(api, manager):
    response = api.client.post(
        "/api/v1/sites/north/callbacks",
        headers=manager,
        json={
            "phone": "617.555.0123",
            "name": "Luis",
            "language": "es",
            "needs": ["benefits"],
            "sms_opt_in": True,
        },
    )
    assert response.status_code == 201
    ticket = response.get_json()["ticket"]
    assert (ticket["channel"], ticket["phone"], ticket["position"]) == ("phone", "+16175550123", 1)


def test_a_call_back_needs_a_signed_in_member_of_the_site(
    api, world, south, sign_in, assert_contract_error
):
    world.staff("sam@example.org", sites_=("south",))
    other = sign_in("sam@example.org")
    body = {"phone": "6175550123", "language": "en"}
    assert_contract_error(api.client.post("/api/v1/sites/north/callbacks", json=body), 401)
    assert_contract_error(
        api.client.post("/api/v1/sites/north/callbacks", json=body, headers=other), 403
    )


def test_a_retried_call_next_returns_the_same_person_not_a_second(api, manager):
    api.check_in()
    api.check_in()
    key = {"Idempotency-Key": "press-7f3a9c2e"}
    first = api.client.post("/api/v1/sites/north/queue/next", headers={**manager, **key})
    again = api.client.post("/api/v1/sites/north/queue/next", headers={**manager, **key})
    assert first.get_json()["ticket"]["id"] == again.get_json()["ticket"]["id"]
    other = api.call_next(manager)
    assert other.get_json()["ticket"]["id"] != first.get_json()["ticket"]["id"]


def test_wait_estimates_follow_the_formula_through_the_api(api, manager):
    # One manager on duty, busy with someone; no history yet, so 15 minutes a visit.
    api.check_in()
    api.call_next(manager)
    first = api.check_in().get_json()["ticket"]
    second = api.check_in().get_json()["ticket"]
    assert (first["position"], first["estimated_wait_minutes"]) == (1, 8)  # 15 x 0.5
    assert (second["position"], second["estimated_wait_minutes"]) == (2, 23)  # 15 x 1.5


def test_a_head_who_waited_past_the_language_window_goes_to_the_next_manager(
    api, world, manager, database
):
    from datetime import timedelta

    from queue_service.clock import utcnow
    from queue_service.domain.assignment import LANGUAGE_WINDOW
    from queue_service.services import checkins

    world.staff("jean@example.org", languages=("en", "ht"), on_duty_at="north")
    with database.session() as s:
        long_ago = utcnow() - LANGUAGE_WINDOW - timedelta(minutes=1)
        head = checkins.check_in(s, "north", {"language": "ht"}, now=long_ago).ticket.code
    api.check_in(language="es")
    assert api.call_next(manager).get_json()["ticket"]["code"] == head


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on_duty": True, "desk": True}, "desk"),
        ({"on_duty": True, "desk": {"n": 1}}, "desk"),
        ({"on_duty": True, "desk": "x" * 21}, "desk"),
    ],
)
def test_bad_desk_labels_are_refused(api, manager, body, field, assert_contract_error):
    response = api.client.put("/api/v1/sites/north/duty", json=body, headers=manager)
    assert field in assert_contract_error(response, 422)["fields"]


def test_outcome_detail_only_goes_with_complete(api, manager, assert_contract_error):
    api.check_in()
    ticket_id = api.call_next(manager).get_json()["ticket"]["id"]
    response = api.move(manager, ticket_id, "start", outcome_detail="Food pantry")
    assert "outcome_detail" in assert_contract_error(response, 422)["fields"]


def test_a_call_back_needs_a_phone_number(api, manager, assert_contract_error):
    response = api.client.post(
        "/api/v1/sites/north/callbacks", headers=manager, json={"language": "en"}
    )
    assert "phone" in assert_contract_error(response, 422)["fields"]


def test_the_phone_number_is_deleted_when_the_visit_ends(api, manager, database):
    api.check_in(phone="6175550123", sms_opt_in=True)
    ticket_id = api.call_next(manager).get_json()["ticket"]["id"]
    api.move(manager, ticket_id, "start")
    done = api.move(manager, ticket_id, "complete", outcome="resolved").get_json()["ticket"]
    assert (done["phone"], done["sms_opt_in"]) == (None, False)
    with database.session() as s:
        from queue_service.models import Ticket

        assert s.get(Ticket, ticket_id).phone is None
