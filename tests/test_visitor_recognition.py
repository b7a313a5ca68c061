"""Returning visitors are known again only by a number they typed under the kiosk's words
or a code they kept: keyed hashes, never the values; placeholders and the office's own
numbers never join strangers; a code nobody has is said at once."""

import pytest
from sqlalchemy import func, select

from queue_service.domain.visitors import (
    KeyKind,
    normalise_return_code,
    recognisable_number,
    recognition_key,
)
from queue_service.models import Ticket, Visitor, VisitorKey


@pytest.fixture
def manager(world, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff(on_duty_at="north")
    return sign_in("cm@example.org")


def test_three_visits_by_one_number_are_one_visitor_and_another_number_is_not(
    north, visit, database, visitor_of
):
    first, second, third = (visit(phone="+16175550123") for _ in range(3))
    other = visit(phone="+16175550124")
    ids = {visitor_of(t.id) for t in (first, second, third)}
    assert len(ids) == 1 and None not in ids
    assert visitor_of(other.id) not in ids


@pytest.mark.parametrize(
    "typed", ["(617) 555-0123", "617.555.0123", "1-617-555-0123", "6175550123"]
)
def test_us_ways_of_writing_a_number_find_the_same_visitor(
    north, visit, database, typed, visitor_of
):
    first = visit(phone="+16175550123")
    again = visit(phone=typed)
    assert visitor_of(first.id) == visitor_of(again.id)


def test_no_number_or_code_value_is_stored_only_keyed_hashes(north, visit, database, settings):
    ticket = visit(phone="+16175550123")
    with database.session() as s:
        keys = s.scalars(select(VisitorKey)).all()
        stored = " ".join(f"{k.kind}:{k.key}" for k in keys)
        closed = s.get(Ticket, ticket.id)
        code = closed.return_code
    assert "6175550123" not in stored and code not in stored
    assert recognition_key(settings.secret_key, KeyKind.PHONE, "+16175550123") in stored
    assert recognition_key(settings.secret_key, KeyKind.RETURN_CODE, code) in stored


def test_the_return_code_links_visits_without_any_phone(north, api, database):
    first = api.check_in().get_json()["ticket"]
    code = first["return_code"]
    assert len(code) == 9 and code[4] == "-"
    again = api.check_in(return_code=code.lower().replace("-", " "))
    body = again.get_json()
    assert body["return_code_found"] is True and body["ticket"]["return_code"] == code
    with database.session() as s:
        [a, b] = s.scalars(select(Ticket).order_by(Ticket.id)).all()
        assert a.visitor_id == b.visitor_id is not None


def test_an_unknown_code_is_said_at_once_and_writes_nothing(
    north, api, database, assert_contract_error
):
    refused = api.check_in(return_code="K7QM-3XPD")
    assert "return_code" in assert_contract_error(refused, 422, "unknown_return_code")["fields"]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0
        assert s.scalar(select(func.count()).select_from(Visitor)) == 0
    # The number it would have had is still the next one.
    assert api.check_in().get_json()["ticket"]["code"] == "A-001"


def test_a_code_that_cannot_be_one_is_a_clear_error_and_writes_nothing(
    north, api, database, assert_contract_error
):
    response = api.check_in(return_code="hello")
    assert_contract_error(response, 422)
    assert "return_code" in response.get_json()["error"]["fields"]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0


@pytest.mark.parametrize("placeholder", ["+16172222222", "+16175555555", "+16179999999"])
def test_placeholder_numbers_never_join_strangers(north, visit, database, placeholder, visitor_of):
    a, b = visit(phone=placeholder), visit(phone=placeholder)
    assert visitor_of(a.id) != visitor_of(b.id)


def test_placeholders_are_told_from_real_numbers():
    assert not recognisable_number(None) and not recognisable_number("")
    assert not recognisable_number("+16179876543") and not recognisable_number("+16172222222")
    assert recognisable_number("+16175550123") and recognisable_number("+447700900123")


def test_the_offices_own_number_never_joins_callers(north, visit, database, visitor_of):
    with database.session() as s:
        s.merge(north).sms_callback_number = "+16175550100"
        s.commit()
    a, b = visit(phone="+16175550100"), visit(phone="+16175550100")
    assert visitor_of(a.id) != visitor_of(b.id)


def test_the_return_code_is_shown_only_while_the_visit_is_open(north, api, manager):
    ticket = api.check_in().get_json()["ticket"]
    called = api.call_next(manager).get_json()["ticket"]
    api.move(manager, called["id"], "start")
    api.move(manager, called["id"], "complete", outcome="resolved")
    after = api.client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["ticket"]
    assert ticket["return_code"] and after["return_code"] is None


def test_return_codes_forgive_case_spaces_dashes_and_the_qr_prefix():
    assert normalise_return_code("k7qm 3xpd") == "K7QM3XPD"
    assert normalise_return_code("FDK7QM-3XPD") == "K7QM3XPD"
