"""Signing in: hashed passwords, revocable tokens, and throttled guessing."""

from dataclasses import replace
from datetime import timedelta

import pytest

from frontdoor.app import create_app
from queue_service.clock import utcnow
from queue_service.models import Staff
from queue_service.services import staff as staff_service


@pytest.fixture
def limited_client(settings, database, north):
    app = create_app(replace(settings, rate_limits=True), migrate=False)
    yield app.test_client()
    app.extensions["frontdoor"].database.dispose()


def test_passwords_are_stored_as_argon2id(world, north, session, password):
    member = world.staff("maria@example.org")
    stored = session.get(Staff, member.id).password_hash
    assert stored.startswith("$argon2id$") and password not in stored


def test_repeated_failed_sign_ins_are_throttled_per_account(
    limited_client, world, password, assert_contract_error
):
    world.staff("maria@example.org")
    wrong = {"email": "maria@example.org", "password": "not-the-password"}
    statuses = [limited_client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    throttled = limited_client.post(
        "/api/v1/auth/login", json={"email": "maria@example.org", "password": password}
    )
    error = assert_contract_error(throttled, 429, "too_many_requests")
    assert error["message"]
    assert "Retry-After" in throttled.headers


def test_successful_sign_ins_are_not_counted_as_failures(limited_client, world, password):
    world.staff("maria@example.org")
    right = {"email": "maria@example.org", "password": password}
    assert all(
        limited_client.post("/api/v1/auth/login", json=right).status_code == 200 for _ in range(8)
    )


def test_check_ins_from_one_address_are_rate_limited(limited_client):
    statuses = [
        limited_client.post("/api/v1/sites/north/check-ins", json={"language": "en"}).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [201] * 30 and statuses[30] == 429


def test_an_expired_token_is_refused(world, north, session):
    member = world.staff("maria@example.org")
    token = staff_service.issue_token(session, session.get(Staff, member.id))
    later = utcnow() + staff_service.TOKEN_LIFETIME + timedelta(seconds=1)
    assert staff_service.staff_for_token(session, token) is not None
    assert staff_service.staff_for_token(session, token, now=later) is None


def test_a_deactivated_account_cannot_sign_in(
    api, world, north, database, password, assert_contract_error
):
    member = world.staff("maria@example.org")
    with database.session() as s:
        s.get(Staff, member.id).active = False
        s.commit()
    response = api.client.post(
        "/api/v1/auth/login", json={"email": "maria@example.org", "password": password}
    )
    assert_contract_error(response, 401)


def test_behind_a_proxy_each_client_has_its_own_limit(settings, database, north):
    app = create_app(replace(settings, rate_limits=True, proxy_hops=1), migrate=False)
    client = app.test_client()

    def check_in(address: str) -> int:
        return client.post(
            "/api/v1/sites/north/check-ins",
            json={"language": "en"},
            headers={"X-Forwarded-For": address},
        ).status_code

    assert [check_in("203.0.113.7") for _ in range(31)][-1] == 429
    assert check_in("198.51.100.9") == 201
    app.extensions["frontdoor"].database.dispose()


def test_a_login_with_broken_unicode_is_refused_not_a_500(api, north):
    response = api.client.post(
        "/api/v1/auth/login",
        data='{"email": "\\ud800", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 422


def test_someone_who_feels_unsafe_is_not_turned_away_by_the_check_in_limit(limited_client):
    ordinary = [
        limited_client.post("/api/v1/sites/north/check-ins", json={"language": "en"}).status_code
        for _ in range(31)
    ]
    assert ordinary[-1] == 429
    urgent = limited_client.post(
        "/api/v1/sites/north/check-ins", json={"language": "en", "urgent": True}
    )
    assert urgent.status_code == 201
