"""A duty shift says someone is at the office, so it never outlives them being there: it ends
when they sign out, when their sign-in runs out, when they are deactivated and when the site
is taken off their account, audited as the system with its reason, and consoles hear of it.
Until then, "on duty" already asks for a live sign-in. The office then says what is true:
not staffed, and, outside its hours, closed to check-ins."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from queue_service.clock import utcnow
from queue_service.models import AuditEntry, DutyShift, StaffToken, Ticket
from queue_service.services import service_day, sites


@pytest.fixture
def east(world):  # type: ignore[no-untyped-def]
    """Open around the clock, but closed today (a training day): only a person on duty
    keeps it open, and then it says so (`staffed`, past its hours)."""
    site = world.site("east", hours="always")
    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    with world.database.session() as s:
        sites.update_site(s, "east", {"closures": [{"date": today, "reason": "Training"}]})
    return site


@pytest.fixture
def cam(world, east, north, client, sign_in):  # type: ignore[no-untyped-def]
    """Cam, a case manager at east and north, signed in and on duty at east's desk 3."""
    member = world.staff("cam@example.org", sites_=("east", "north"))
    headers = sign_in("cam@example.org")
    answer = client.put(
        "/api/v1/sites/east/duty", json={"on_duty": True, "desk": "3"}, headers=headers
    )
    assert answer.status_code == 200, answer.get_json()
    assert status(client)["state"] == "staffed"
    member.headers = headers
    return member


@pytest.fixture
def admin(world, east, north, sign_in):  # type: ignore[no-untyped-def]
    world.staff("ada@example.org", role="admin", sites_=("east", "north"))
    return sign_in("ada@example.org")


@pytest.fixture
def colleague_console(world, east, sign_in, live_console):  # type: ignore[no-untyped-def]
    """Dee's live console at east, its snapshot already read."""
    world.staff("dee@example.org", sites_=("east",))
    return live_console(sign_in("dee@example.org")["Authorization"].removeprefix("Bearer "))


def status(client):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/sites/east/status").get_json()


def assert_nobody_there(client, api, assert_contract_error) -> None:  # type: ignore[no-untyped-def]
    """What a person in the lobby is told: closed, and an urgent check-in is not taken."""
    now = status(client)
    assert (now["state"], now["staffed_now"]) == ("closed", False)
    refused = api.check_in("east", urgent=True)
    assert_contract_error(refused, 409, "office_closed")


def shift_ended(database, staff_id: int, reason: str) -> tuple[DutyShift, AuditEntry]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        shift = s.scalars(select(DutyShift).where(DutyShift.staff_id == staff_id)).one()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "duty.ended")).one()
    assert shift.ended_at is not None
    assert (entry.actor, entry.staff_id, entry.site_id) == ("system", None, shift.site_id)
    assert entry.detail["reason"] == reason and entry.detail["staff_id"] == staff_id
    return shift, entry


def told_nobody_is_on_duty(console) -> bool:  # type: ignore[no-untyped-def]
    return any(
        m["name"] == "duty:updated" and m["args"][0]["on_duty_now"] == []
        for m in console.get_received("/console")
    )


def test_signing_out_ends_the_shift_and_the_office_says_nobody_is_there(
    client, api, database, cam, colleague_console, assert_contract_error
) -> None:
    assert client.post("/api/v1/auth/logout", headers=cam.headers).status_code == 200
    assert_nobody_there(client, api, assert_contract_error)
    shift_ended(database, cam.id, "signed_out")
    assert told_nobody_is_on_duty(colleague_console)


def test_signing_out_of_the_browser_console_ends_it_too(
    app, client, api, world, database, east, console_sign_in, csrf_token, assert_contract_error
) -> None:
    world.staff("cam@example.org", sites_=("east",))
    browser = app.test_client()
    console_sign_in(browser, "cam@example.org")
    page = browser.get("/console/")
    answer = browser.put(
        "/api/v1/sites/east/duty",
        json={"on_duty": True},
        headers={"X-CSRFToken": csrf_token(page.text)},
    )
    assert answer.status_code == 200, answer.get_json()
    assert status(client)["staffed_now"]

    browser.post("/console/sign-out", data={"csrf_token": csrf_token(page.text)})
    assert_nobody_there(client, api, assert_contract_error)


def test_signing_out_on_one_computer_keeps_the_shift_of_a_person_still_signed_in_on_another(
    client, database, cam, sign_in
) -> None:
    still_at_the_desk = sign_in("cam@example.org")
    assert client.post("/api/v1/auth/logout", headers=cam.headers).status_code == 200
    assert status(client)["staffed_now"]
    assert client.post("/api/v1/auth/logout", headers=still_at_the_desk).status_code == 200
    assert not status(client)["staffed_now"]
    shift_ended(database, cam.id, "signed_out")


def test_deactivating_a_manager_on_duty_ends_the_shift(
    client, api, database, cam, admin, colleague_console, assert_contract_error
) -> None:
    answer = client.patch(f"/api/v1/staff/{cam.id}", json={"active": False}, headers=admin)
    assert answer.status_code == 200
    assert_nobody_there(client, api, assert_contract_error)
    shift_ended(database, cam.id, "account_deactivated")
    assert told_nobody_is_on_duty(colleague_console)


def test_resetting_their_password_signs_them_out_and_ends_the_shift(
    client, api, database, cam, admin, assert_contract_error
) -> None:
    assert client.post(f"/api/v1/staff/{cam.id}/password-reset", headers=admin).status_code == 200
    assert_nobody_there(client, api, assert_contract_error)
    shift_ended(database, cam.id, "password_reset")


def test_taking_the_site_off_their_account_ends_their_shift_there(
    client, api, database, cam, admin, colleague_console, assert_contract_error
) -> None:
    answer = client.patch(f"/api/v1/staff/{cam.id}", json={"sites": ["north"]}, headers=admin)
    assert answer.status_code == 200, answer.get_json()
    assert_nobody_there(client, api, assert_contract_error)
    shift_ended(database, cam.id, "site_removed")
    assert told_nobody_is_on_duty(colleague_console)


def test_changing_other_things_leaves_the_shift_alone(client, database, cam, admin) -> None:
    answer = client.patch(
        f"/api/v1/staff/{cam.id}", json={"languages": ["en", "es"]}, headers=admin
    )
    assert answer.status_code == 200
    assert status(client)["staffed_now"]


def expire_sign_ins(database, staff_id: int, at: datetime) -> None:  # type: ignore[no-untyped-def]
    """Their session ran out at `at` (idle, or 12 hours): what the clock does, done at once."""
    with database.session() as s, s.begin():
        s.execute(update(StaffToken).where(StaffToken.staff_id == staff_id).values(expires_at=at))


def test_a_sign_in_that_ran_out_is_nobody_at_once_and_the_sweep_ends_the_shift_when_it_did(
    app, client, api, database, cam, colleague_console, assert_contract_error
) -> None:
    ran_out = utcnow()  # a moment after Cam went on duty
    expire_sign_ins(database, cam.id, ran_out)
    # Before the sweep comes round: already nobody.
    assert_nobody_there(client, api, assert_contract_error)
    with database.session() as s:
        assert s.scalars(select(DutyShift)).one().ended_at is None

    served = app.extensions["frontdoor"].database  # the server's own, as `frontdoor serve`
    with served.session() as s:
        service_day.sweep(s)
    shift, entry = shift_ended(database, cam.id, "session_expired")
    assert shift.ended_at == ran_out  # not the moment the sweep came round
    assert entry.at >= ran_out
    with served.session() as s:
        service_day.sweep(s)  # a second sweep (or another process's) ends nothing more
        assert (
            len(s.scalars(select(AuditEntry).where(AuditEntry.action == "duty.ended")).all()) == 1
        )
    assert told_nobody_is_on_duty(colleague_console)


def test_a_manager_whose_sign_in_ran_out_is_not_a_free_colleague_for_an_urgent_person(
    client, api, database, world, north, sign_in
) -> None:
    maria = world.staff("maria@example.org", on_duty_at="north")
    world.staff("eve@example.org")
    eve = sign_in("eve@example.org")  # signed in, not on duty
    assert api.check_in(urgent=True).status_code == 201
    with database.session() as s:
        urgent = s.scalars(select(Ticket)).one()
    acknowledge = f"/api/v1/tickets/{urgent.id}/acknowledge"
    # While Maria is there and free, the alert stays up for her.
    assert client.post(acknowledge, headers=eve).status_code == 409

    expire_sign_ins(database, maria.id, utcnow() - timedelta(seconds=5))
    # Gone, though the sweep has not come round: nobody free is there, Eve's is taken.
    answer = client.post(acknowledge, headers=eve)
    assert answer.status_code == 200, answer.get_json()


def test_a_person_is_not_handed_to_a_colleague_whose_sign_in_ran_out(
    client, api, database, world, north, sign_in, assert_contract_error
) -> None:
    maria = world.staff("maria@example.org", on_duty_at="north")
    james = world.staff("james@example.org", on_duty_at="north")
    api.check_in()
    called = api.call_next(sign_in("maria@example.org")).get_json()["ticket"]
    expire_sign_ins(database, james.id, utcnow() - timedelta(seconds=5))
    # James's shift is still open until the sweep comes round, but he is not there.
    answer = client.post(
        f"/api/v1/tickets/{called['id']}/transfer",
        json={"to": james.id},
        headers=sign_in("maria@example.org"),
    )
    assert_contract_error(answer, 409, "not_on_duty")
    with database.session() as s:
        assert s.get(Ticket, called["id"]).assigned_staff_id == maria.id
