"""The check-in's request fingerprint: keyed with the secret key, and gone with the phone.

A probe recovered an "erased" phone number from an unsalted SHA-256 of the request in
0.01 s by trying numbers. These tests pin what replaced it.
"""

import hashlib
import json
from itertools import product

import pytest
from sqlalchemy import select

from queue_service.models import Ticket
from queue_service.services import checkins

pytestmark = pytest.mark.usefixtures("north")

KEY = "5e0c2b7a-91d4-4c3f-8a2e-7b6d1f0e9c48"
PHONE = "+16175550188"
BODY = {"language": "en", "needs": ["food"], "phone": "617 555 0188", "sms_opt_in": True}


def stored_fingerprints(database) -> list[str | None]:
    with database.session() as s:
        return list(s.scalars(select(Ticket.request_fingerprint).order_by(Ticket.id)))


def plausible_unkeyed_hashes() -> set[str]:
    """SHA-256 of the request as a guesser would rebuild it, in the shapes the old code and
    obvious variants used (with and without the channel, either key order)."""
    request = {
        "language": "en",
        "name": None,
        "needs": ["food"],
        "phone": PHONE,
        "sms_opt_in": True,
        "urgent": False,
    }
    shapes = [["kiosk", request], ["check-in", "kiosk", request], request]
    return {
        hashlib.sha256(json.dumps(shape, sort_keys=sort).encode()).hexdigest()
        for shape, sort in product(shapes, (True, False))
    }


def test_no_stored_fingerprint_is_a_plain_hash_of_the_request(api, database):
    assert api.check_in(**BODY, headers={"Idempotency-Key": KEY}).status_code == 201
    [fingerprint] = stored_fingerprints(database)
    assert fingerprint is not None
    assert fingerprint not in plausible_unkeyed_hashes()


def test_the_fingerprint_depends_on_the_secret_key(session, south):
    first = checkins.check_in(session, "north", BODY, idempotency_key=KEY, secret_key="one")
    second = checkins.check_in(session, "south", BODY, idempotency_key=KEY, secret_key="two")
    assert first.ticket.request_fingerprint != second.ticket.request_fingerprint


def test_a_check_in_without_an_idempotency_key_keeps_no_fingerprint(api, database):
    api.check_in(**BODY)
    assert stored_fingerprints(database) == [None]


def test_the_fingerprint_is_erased_with_the_phone_when_the_visit_closes(api, database):
    token = api.check_in(**BODY, headers={"Idempotency-Key": KEY}).get_json()["ticket"]["token"]
    api.client.post(f"/api/v1/tickets/{token}/cancel")
    with database.session() as s:
        ticket = s.scalar(select(Ticket))
        assert (ticket.phone, ticket.request_fingerprint, ticket.sms_opt_in) == (None, None, False)


def test_a_retry_while_the_visit_is_open_still_checks_the_request(api, assert_contract_error):
    api.check_in(**BODY, headers={"Idempotency-Key": KEY})
    again = api.check_in(**BODY, headers={"Idempotency-Key": KEY})
    assert again.status_code == 200
    other = api.check_in(**{**BODY, "needs": ["legal"]}, headers={"Idempotency-Key": KEY})
    assert_contract_error(other, 409, "idempotency_key_reused")


def test_a_retry_after_the_visit_closed_returns_the_ticket_as_it_is_now(api, database):
    first = api.check_in(**BODY, headers={"Idempotency-Key": KEY}).get_json()["ticket"]
    api.client.post(f"/api/v1/tickets/{first['token']}/cancel")
    again = api.check_in(**BODY, headers={"Idempotency-Key": KEY})
    assert again.status_code == 200
    assert again.get_json()["ticket"]["token"] == first["token"]
    assert again.get_json()["ticket"]["status"] == "cancelled"
    assert len(stored_fingerprints(database)) == 1
