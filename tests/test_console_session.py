"""The browser console's session: sign-in, CSRF, idle sign-out, and a sign-out that sticks."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from queue_service.clock import utcnow
from queue_service.models import StaffToken

MARIA = "maria@example.org"


@pytest.fixture(autouse=True)
def maria(world, north, south):
    """Maria works at north (not south), on duty."""
    return world.staff(MARIA, on_duty_at="north")


def this_sign_in(s) -> StaffToken:  # type: ignore[no-untyped-def]
    """The sign-in the test made: the newest (the one she went on duty with came first)."""
    return s.query(StaffToken).order_by(StaffToken.id.desc()).first()


def test_signing_in_opens_the_console_with_the_staff_members_sites(client, console_sign_in):
    assert "Sign in" in client.get("/console/").text
    response = console_sign_in(client, MARIA)
    assert response.status_code == 303
    page = client.get("/console/")
    assert "Call next" in page.text and '"slug": "north"' in page.text
    assert '"slug": "south"' not in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, console_sign_in):
    response = console_sign_in(client, MARIA, password="not-the-password")
    assert response.status_code == 401
    assert "do not match" in response.text
    assert "Call next" not in client.get("/console/").text


def test_the_sign_in_form_needs_its_csrf_token(client, password):
    client.get("/console/")
    response = client.post("/console/sign-in", data={"email": MARIA, "password": password})
    assert response.status_code == 400 and "expired" in response.text
    assert "Call next" not in client.get("/console/").text


def test_json_calls_made_with_the_session_need_the_csrf_header(client, console_sign_in, csrf_token):
    console_sign_in(client, MARIA)
    token = csrf_token(client.get("/console/").text)
    body = {"on_duty": True, "desk": "4"}
    refused = client.put("/api/v1/sites/north/duty", json=body)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    accepted = client.put("/api/v1/sites/north/duty", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.get_json()["desk"] == "4"
    assert client.get("/api/v1/sites/north/queue").status_code == 200  # reads need no token


def test_bearer_token_calls_need_no_csrf_token(api, sign_in):
    response = api.client.put(
        "/api/v1/sites/north/duty", json={"on_duty": True}, headers=sign_in(MARIA)
    )
    assert response.status_code == 200


def test_signing_out_ends_the_session_even_for_a_copied_cookie(
    client, app, console_sign_in, csrf_token
):
    console_sign_in(client, MARIA)
    cookie = client.get_cookie("session").value
    token = csrf_token(client.get("/console/").text)
    response = client.post("/console/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert "Call next" not in client.get("/console/").text

    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/api/v1/sites/north/queue").status_code == 401
    assert "Call next" not in thief.get("/console/").text


def test_an_idle_session_ends_on_its_own(client, database, console_sign_in):
    console_sign_in(client, MARIA)
    assert client.get("/api/v1/auth/me").status_code == 200
    with database.session() as s, s.begin():
        s.execute(update(StaffToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/api/v1/auth/me").status_code == 401
    assert "Sign in" in client.get("/console/").text


def test_using_the_console_keeps_the_session_alive(client, database, console_sign_in):
    console_sign_in(client, MARIA)
    with database.session() as s, s.begin():
        s.execute(update(StaffToken).values(expires_at=utcnow() + timedelta(minutes=3)))
    assert client.get("/api/v1/auth/me").status_code == 200
    with database.session() as s:
        row = this_sign_in(s)
        assert row.expires_at > utcnow() + timedelta(minutes=29)


def test_an_api_token_does_not_slide(api, database, sign_in):
    headers = sign_in(MARIA)
    with database.session() as s:
        before = this_sign_in(s).expires_at
    api.client.get("/api/v1/auth/me", headers=headers)
    with database.session() as s:
        assert this_sign_in(s).expires_at == before


def test_the_audit_page_is_for_administrators(client, world, console_sign_in):
    console_sign_in(client, MARIA)
    assert client.get("/console/audit").status_code == 403
    world.staff("ada@example.org", role="admin")
    other = client.application.test_client()
    console_sign_in(other, "ada@example.org")
    assert other.get("/console/audit").status_code == 200
    entries = other.get("/api/v1/audit").get_json()["entries"]  # what the page shows
    assert "staff.signed_in" in {e["action"] for e in entries}


def test_console_changes_work_over_https_where_no_referer_is_sent(
    client, console_sign_in, csrf_token
):
    console_sign_in(client, MARIA, base_url="https://frontdoor.example")
    token = csrf_token(client.get("/console/", base_url="https://frontdoor.example").text)
    response = client.put(
        "/api/v1/sites/north/duty",
        json={"on_duty": True},
        headers={"X-CSRFToken": token},
        base_url="https://frontdoor.example",
    )
    assert response.status_code == 200, response.get_json()


def test_signing_out_from_a_stale_page_still_signs_out(client, console_sign_in):
    console_sign_in(client, MARIA)
    response = client.post("/console/sign-out", data={"csrf_token": "stale"})
    assert response.status_code == 303 and "signed_out=yes" in response.headers["Location"]
    assert client.get("/api/v1/auth/me").status_code == 401


def test_signing_in_on_a_shared_computer_ends_the_previous_persons_session(
    client, world, app, console_sign_in
):
    console_sign_in(client, MARIA)
    cookie = client.get_cookie("session").value
    world.staff("jean@example.org")
    console_sign_in(client, "jean@example.org")
    earlier = app.test_client()
    earlier.set_cookie("session", cookie)
    assert earlier.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/auth/me").get_json()["staff"]["email"] == "jean@example.org"


def test_the_consoles_own_timers_do_not_keep_an_idle_session_alive(
    client, database, console_sign_in
):
    console_sign_in(client, MARIA)
    soon = utcnow() + timedelta(minutes=3)
    with database.session() as s, s.begin():
        s.execute(update(StaffToken).values(expires_at=soon))
    background = {"X-Frontdoor-Background": "1"}
    assert client.get("/api/v1/sites/north/duty", headers=background).status_code == 200
    with database.session() as s:
        assert this_sign_in(s).expires_at == soon


def test_no_session_outlives_twelve_hours_however_much_it_is_used(
    client, database, console_sign_in
):
    console_sign_in(client, MARIA)
    with database.session() as s, s.begin():
        s.execute(update(StaffToken).values(created_at=utcnow() - timedelta(hours=12, minutes=1)))
    assert client.get("/api/v1/auth/me").status_code == 401
