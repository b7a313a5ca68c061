"""Guessing a password is slowed per account (from every address) and per address (across
accounts), in the database, with delays that grow; the API and the console share it."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from frontdoor.app import create_app
from queue_service.clock import utcnow
from queue_service.domain.errors import TooManyTries
from queue_service.domain.history import Actor, AuditAction
from queue_service.domain.sign_in_throttle import ALLOWANCES, Scope
from queue_service.models import AuditEntry, SignInThrottle
from queue_service.services import sign_ins

MARIA = "maria@example.org"
WRONG = "not-the-password"


@pytest.fixture
def proxied(settings, database, north):
    """An app behind one proxy: each request says which address it comes from."""
    app = create_app(replace(settings, proxy_hops=1), migrate=False)
    yield app
    app.extensions["frontdoor"].database.dispose()


@pytest.fixture
def login(proxied):
    """login(email, password, address): the API's answer."""

    def post(email: str, password: str, address: str = "203.0.113.1"):  # type: ignore[no-untyped-def]
        return proxied.test_client().post(
            "/api/v1/auth/login",
            json={"email": email, "password": password},
            headers={"X-Forwarded-For": address},
        )

    return post


@pytest.fixture
def maria(world, north):  # type: ignore[no-untyped-def]
    return world.staff(MARIA)


def test_eight_addresses_share_one_allowance_for_an_account(maria, login, password):
    statuses = [login(MARIA, WRONG, f"198.51.100.{i}").status_code for i in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    # The right password, from an address never seen, is refused while the delay runs.
    assert login(MARIA, password, "192.0.2.200").status_code == 429


def test_the_refusal_says_when_to_try_again(maria, login, assert_contract_error):
    for _ in range(5):
        login(MARIA, WRONG)
    refused = login(MARIA, WRONG)
    error = assert_contract_error(refused, 429, "too_many_requests")
    assert 25 <= int(refused.headers["Retry-After"]) <= 30
    assert "Try again in 30 seconds." in error["message"] or "Try again in 29" in error["message"]


def test_the_right_password_waits_out_the_delay_then_works(maria, session, password):
    start = utcnow()

    def attempt(secret: str, after: float):  # type: ignore[no-untyped-def]
        return sign_ins.sign_in(
            session,
            MARIA,
            secret,
            secret_key="test-secret-key",
            address="203.0.113.9",
            now=start + timedelta(seconds=after),
        )

    assert all(attempt(WRONG, i) is None for i in range(5))
    with pytest.raises(TooManyTries) as refused:
        attempt(password, 20)
    assert refused.value.retry_at == start + timedelta(seconds=4 + 30)
    assert attempt(password, 35) is not None


def test_each_guess_past_the_free_ones_waits_twice_as_long(maria, session):
    start = utcnow()
    at = 0.0
    delays = []
    for _ in range(8):
        result = sign_ins.sign_in(
            session,
            MARIA,
            WRONG,
            secret_key="k",
            address=None,
            now=start + timedelta(seconds=at),
        )
        assert result is None
        row = session.scalars(select(SignInThrottle)).one()
        session.rollback()
        until = row.blocked_until or row.last_failure_at
        delay = (until - row.last_failure_at).total_seconds()
        delays.append(delay)
        at += delay + 1
    assert delays == [0, 0, 0, 0, 30, 60, 120, 240]


def test_a_real_sign_in_starts_the_account_count_again(maria, login, password):
    assert [login(MARIA, WRONG).status_code for _ in range(4)] == [401] * 4
    assert login(MARIA, password).status_code == 200
    assert [login(MARIA, WRONG).status_code for _ in range(4)] == [401] * 4


def test_one_address_guessing_many_accounts_is_slowed_but_locks_nobody_out(maria, login, password):
    office = "203.0.113.50"
    free = ALLOWANCES[Scope.ADDRESS].free_failures
    for i in range(free):
        assert login(f"guess{i}@example.org", WRONG, office).status_code == 401
    assert login(MARIA, password, office).status_code == 429
    # Maria herself, anywhere else, signs in at once: her account has no failure of its own.
    assert login(MARIA, password, "198.51.100.77").status_code == 200


def test_the_console_form_and_the_api_share_one_allowance(
    maria, login, proxied, console_sign_in, password
):
    for _ in range(5):
        login(MARIA, WRONG)
    page = console_sign_in(
        proxied.test_client(), MARIA, password, headers={"X-Forwarded-For": "192.0.2.5"}
    )
    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) > 0
    # "Try again at 14:05 (in 30 seconds).", the clock in the office's time zone (Boston).
    assert "Too many sign-in tries" in page.text and "Try again at " in page.text
    assert "(in 30 seconds)" in page.text or "(in 29 seconds)" in page.text


def test_the_count_survives_a_restart(maria, settings, login, password):
    for _ in range(5):
        login(MARIA, WRONG)
    restarted = create_app(settings, migrate=False)
    response = restarted.test_client().post(
        "/api/v1/auth/login", json={"email": MARIA, "password": password}
    )
    restarted.extensions["frontdoor"].database.dispose()
    assert response.status_code == 429


def test_guesses_sent_at_the_same_moment_get_only_the_free_tries(maria, login, all_at_once):
    statuses = all_at_once(12, lambda i: login(MARIA, WRONG, f"198.51.100.{i}").status_code)
    assert sorted(statuses) == [401] * 5 + [429] * 7


def test_the_table_holds_keyed_hashes_never_the_email_or_address(maria, login, session):
    login(MARIA, WRONG, "203.0.113.77")
    keys = {row.scope: row.key for row in session.scalars(select(SignInThrottle))}

    def keyed(value: str) -> str:
        return hmac.new(b"test-secret-key", value.encode(), hashlib.sha256).hexdigest()

    assert keys == {"account": keyed(f"account:{MARIA}"), "address": keyed("address:203.0.113.77")}
    unkeyed = {hashlib.sha256(v.encode()).hexdigest() for v in (MARIA, "203.0.113.77")}
    assert not unkeyed & set(keys.values())


def test_a_failed_sign_in_is_audited_with_the_email_tried_never_the_password(maria, login, session):
    login(MARIA, "my-secret-guess", "203.0.113.8")
    login("nobody@example.org", "another-guess", "203.0.113.8")
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.SIGN_IN_FAILED.value)
    ).all()
    assert [(e.detail["email_tried"], e.staff_id) for e in entries] == [
        (MARIA, maria.id),
        ("nobody@example.org", None),
    ]
    assert all(e.actor == Actor.SYSTEM and e.origin == "203.0.113.8" for e in entries)
    assert not any("guess" in str(e.detail) for e in entries)


def test_an_admin_reads_failed_sign_ins_in_the_audit_log(maria, world, login, sign_in, client):
    world.staff("ada@example.org", role="admin")
    login(MARIA, WRONG)
    login("nobody@example.org", WRONG)
    entries = client.get("/api/v1/audit", headers=sign_in("ada@example.org")).get_json()
    tried = [e for e in entries["entries"] if e["action"] == AuditAction.SIGN_IN_FAILED]
    assert len(tried) == 2


def test_the_clock_time_given_is_a_minute_by_which_the_wait_is_over(north, session):
    # North is in Boston: 19:40:20 UTC on 2 December is 14:40:20 there.
    now = datetime(2026, 12, 2, 19, 39, 50, tzinfo=UTC)
    words = sign_ins.too_many_tries_in_words(
        session, TooManyTries("", retry_at=now + timedelta(seconds=30), now=now)
    )
    assert words.endswith("Try again at 14:41 (in 30 seconds).")
    on_the_minute = now + timedelta(seconds=10)  # 14:40:00 exactly
    words = sign_ins.too_many_tries_in_words(
        session, TooManyTries("", retry_at=on_the_minute, now=now)
    )
    assert words.endswith("Try again at 14:40 (in 10 seconds).")
