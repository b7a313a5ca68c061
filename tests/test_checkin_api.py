"""Joining the line through the public API."""

import pytest
from sqlalchemy import func, select

from queue_service.models import Ticket, TicketEvent

pytestmark = pytest.mark.usefixtures("north")

KEY = "0b7c6f2e-4a57-4d1e-9a64-5f0d2b8e7c31"


def count_tickets(database) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Ticket))


def test_check_in_answers_a_public_ticket(api):
    response = api.check_in(
        language="es", name="Ana", needs=["housing"], phone="(617) 555-0123", sms_opt_in=True
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    ticket = response.get_json()["ticket"]
    assert ticket["code"] == "A-001"
    assert ticket["status"] == "waiting"
    assert ticket["position"] == 1
    assert ticket["estimated_wait_minutes"] is None  # nobody on duty: no made-up number
    assert ticket["language"] == "es"
    assert len(ticket["token"]) >= 22
    assert ticket["token"] in ticket["status_url"]
    assert not {"name", "phone", "needs"} & set(ticket), "the public view carries no personal data"


def test_the_ticket_can_be_followed_by_its_token(api):
    first = api.check_in().get_json()["ticket"]
    api.check_in()
    followed = api.client.get(f"/api/v1/tickets/{first['token']}")
    assert followed.status_code == 200
    assert followed.get_json()["ticket"]["code"] == first["code"]
    assert followed.get_json()["ticket"]["position"] == 1


def test_an_unknown_token_is_a_404_in_the_contract_shape(api, assert_contract_error):
    assert_contract_error(api.client.get("/api/v1/tickets/nope"), 404, "ticket_not_found")


def test_a_person_can_leave_the_line_and_only_once(api, assert_contract_error):
    token = api.check_in().get_json()["ticket"]["token"]
    left = api.client.post(f"/api/v1/tickets/{token}/cancel")
    assert left.status_code == 200
    assert left.get_json()["ticket"]["status"] == "cancelled"
    assert left.get_json()["ticket"]["position"] is None
    assert_contract_error(
        api.client.post(f"/api/v1/tickets/{token}/cancel"), 409, "illegal_transition"
    )


def test_urgent_check_in_goes_to_the_front(api):
    api.check_in()
    api.check_in()
    urgent = api.check_in(urgent=True).get_json()["ticket"]
    assert urgent["position"] == 1


def test_a_retry_with_the_same_idempotency_key_returns_the_same_ticket(api, database):
    first = api.check_in(needs=["food"], headers={"Idempotency-Key": KEY})
    again = api.check_in(needs=["food"], headers={"Idempotency-Key": KEY})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["ticket"]["token"] == first.get_json()["ticket"]["token"]
    assert count_tickets(database) == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(
    api, database, assert_contract_error
):
    api.check_in(needs=["food"], headers={"Idempotency-Key": KEY})
    error = assert_contract_error(
        api.check_in(needs=["legal"], headers={"Idempotency-Key": KEY}), 409
    )
    assert error["code"] == "idempotency_key_reused"
    assert count_tickets(database) == 1


def test_codes_are_unique_per_site_and_start_again_at_another_site(api, south):
    codes = [api.check_in("north").get_json()["ticket"]["code"] for _ in range(3)]
    assert codes == ["A-001", "A-002", "A-003"]
    assert api.check_in("south").get_json()["ticket"]["code"] == "A-001"


def test_check_in_is_recorded_in_the_ticket_history(api, database):
    api.check_in()
    with database.session() as s:
        event = s.scalars(select(TicketEvent)).one()
    assert (event.action, event.from_status, event.to_status) == ("check_in", None, "waiting")


BAD_BODIES = [
    ({"language": "fr"}, "language"),
    ({"language": "en", "needs": ["yachts"]}, "needs"),
    ({"language": "en", "phone": "555"}, "phone"),
    ({"language": "en", "name": "x" * 200}, "name"),
    ({"language": "en", "urgent": "true"}, "urgent"),
    ({"language": "en", "extra": 1}, "extra"),
    ({}, "language"),
    ({"language": "en", "phone": "   ", "sms_opt_in": True}, "sms_opt_in"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    api, database, body, field, assert_contract_error
):
    response = api.client.post("/api/v1/sites/north/check-ins", json=body)
    error = assert_contract_error(response, 422, "validation_failed")
    assert field in error["fields"]
    assert count_tickets(database) == 0


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b'{"language": "en"'])
def test_a_body_that_is_not_json_is_a_400(api, database, raw, assert_contract_error):
    response = api.client.post(
        "/api/v1/sites/north/check-ins", data=raw, content_type="application/json"
    )
    assert_contract_error(response, 400, "invalid_json")
    assert count_tickets(database) == 0


@pytest.mark.parametrize("body", [[], "en", 1, None])
def test_json_that_is_not_an_object_is_a_422(api, database, body, assert_contract_error):
    response = api.client.post("/api/v1/sites/north/check-ins", json=body)
    assert_contract_error(response, 422)
    assert count_tickets(database) == 0


def test_an_unknown_site_is_a_404(api, assert_contract_error):
    assert_contract_error(api.check_in("atlantis"), 404, "site_not_found")


def test_a_huge_body_is_refused_in_the_contract_shape(api, assert_contract_error):
    response = api.client.post(
        "/api/v1/sites/north/check-ins",
        data=b'{"language":"' + b"e" * 200_000 + b'"}',
        content_type="application/json",
    )
    assert_contract_error(response, 413)


@pytest.mark.parametrize("key", ["k" * 500, "tablet-1:0001", "   "])
def test_a_guessable_or_oversized_idempotency_key_is_refused(
    api, database, key, assert_contract_error
):
    response = api.check_in(headers={"Idempotency-Key": key})
    assert_contract_error(response, 422, "invalid_idempotency_key")
    assert count_tickets(database) == 0


def test_wrong_method_and_unknown_path_answer_in_the_contract_shape(api, assert_contract_error):
    assert_contract_error(api.client.get("/api/v1/sites/north/check-ins"), 405)
    assert_contract_error(api.client.get("/api/v1/no/such/thing"), 404)


def test_a_person_in_line_who_asks_for_help_moves_to_the_front_without_a_new_ticket(
    api, database, published
):
    api.check_in()
    mine = api.check_in().get_json()["ticket"]
    helped = api.client.post(f"/api/v1/tickets/{mine['token']}/help")
    assert helped.status_code == 200
    assert (helped.get_json()["ticket"]["code"], helped.get_json()["ticket"]["position"]) == (
        mine["code"],
        1,
    )
    assert count_tickets(database) == 2


def test_asking_for_help_after_the_visit_ended_changes_nothing(api):
    mine = api.check_in().get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{mine['token']}/cancel")
    response = api.client.post(f"/api/v1/tickets/{mine['token']}/help")
    assert response.status_code == 200
    assert response.get_json()["ticket"]["status"] == "cancelled"


def test_the_qr_code_comes_with_the_ticket_only_when_asked_for(
    api, database, assert_contract_error
):
    plain = api.client.post("/api/v1/sites/north/check-ins", json={"language": "en"})
    assert plain.status_code == 201 and "qr_svg" not in plain.get_json()
    kiosk = api.client.post("/api/v1/sites/north/check-ins?qr=svg", json={"language": "en"})
    assert kiosk.status_code == 201
    assert kiosk.get_json()["qr_svg"].startswith("<svg ")
    before = count_tickets(database)
    other = api.client.post("/api/v1/sites/north/check-ins?qr=png", json={"language": "en"})
    assert assert_contract_error(other, 422, "validation_failed")["fields"] == {"qr": "Use qr=svg."}
    assert count_tickets(database) == before
