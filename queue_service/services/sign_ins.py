"""Signing in, with the allowance of guesses kept in the database (domain.sign_in_throttle).

Every surface that takes a password (the API's login, the console's form) signs in here, so
they share one allowance. A try is counted as a failure *before* the password is checked and
taken back if it was right: otherwise twenty guesses sent at the same moment would all be
checked before the first failure was written. A try while a delay runs is refused without
looking at the password at all, so the right password does not end a delay early, and
guessing cannot go on under it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import TooManyTries, ValidationFailed
from ..domain.history import Actor, AuditAction, AuditReason
from ..domain.sign_in_throttle import ALLOWANCES, Scope, wait_in_words
from ..models import SignInThrottle, Site, Staff
from ..persistence import staff_queries
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from . import staff as staff_service

log = logging.getLogger(__name__)

TOO_MANY_TRIES = "Too many sign-in tries for this account or from this address."
EMAIL_MAX = 254
PASSWORD_MAX = 1024  # never hash a megabyte
# A row quiet for longer than any allowance remembers counts nothing: it is removed.
FORGET_AFTER = max(allowance.forget_after for allowance in ALLOWANCES.values())


@dataclass(frozen=True)
class _Counted:
    """This try, counted as a failure: the key and time of each row, and the delay it set."""

    at: datetime
    keys: dict[Scope, str]
    delays_set: dict[str, datetime | None]


def sign_in(
    session: Session,
    email: object,
    password: object,
    *,
    secret_key: str,
    address: str | None,
    idle_seconds: int | None = None,
    now: datetime | None = None,
) -> tuple[Staff, str] | None:
    """The staff member and a new token, or None for wrong credentials.

    Raises TooManyTries while this account or this address must wait. With `idle_seconds`
    the token is a browser session that ends after that long unused.
    """
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        errors = {
            field: "Required." if not value else "Must be text."
            for field, value in (("email", email), ("password", password))
            if not value or not isinstance(value, str)
        }
        raise ValidationFailed("Give your email and password.", fields=errors)
    now = now or utcnow()
    counted = _count_try(session, _keys(secret_key, email, address), now)
    staff = None
    if len(email) <= EMAIL_MAX and len(password) <= PASSWORD_MAX:
        staff = staff_service.authenticate(session, email, password)
    if staff is None:
        _record_failure(session, email, address, counted)
        return None
    _take_back(session, counted)
    return staff, staff_service.issue_token(
        session, staff, idle_seconds=idle_seconds, origin=address
    )


def too_many_tries_in_words(session: Session, refused: TooManyTries) -> str:
    """ "… Try again at 14:05 (in 3 minutes).": the clock in the office's time zone, when
    every site shares one (a person at the office reads it off the wall), else UTC."""
    zones = set(session.scalars(select(Site.timezone).distinct().limit(2)))
    zone = zones.pop() if len(zones) == 1 else "UTC"
    # The minute on the clock by which it is open again: 14:05:20 reads "14:06", never a
    # minute at which the person would still be refused.
    at = refused.retry_at.astimezone(ZoneInfo(zone))
    if at.second or at.microsecond:
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    clock = at.strftime("%H:%M")
    return (
        f"{TOO_MANY_TRIES} Try again at {clock}{' UTC' if zone == 'UTC' else ''} "
        f"(in {wait_in_words(refused.retry_at, refused.now)})."
    )


def keyed(secret_key: str, scope: Scope, value: str) -> str:
    """The row key for an e-mail or address: an HMAC, so the table holds neither, and a
    guess at one cannot be checked against it without the secret key."""
    message = f"{scope.value}:{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def _keys(secret_key: str, email: str, address: str | None) -> dict[Scope, str]:
    keys = {Scope.ACCOUNT: keyed(secret_key, Scope.ACCOUNT, email.strip().lower()[:EMAIL_MAX])}
    if address:
        keys[Scope.ADDRESS] = keyed(secret_key, Scope.ADDRESS, address)
    return keys


def _count_try(session: Session, keys: dict[Scope, str], now: datetime) -> _Counted:
    """Refuse the try if a delay runs; else count it as a failure, now, under row locks."""
    begin_write(session)
    _insert_missing(session, keys, now)
    rows = session.scalars(
        select(SignInThrottle)
        .where(SignInThrottle.key.in_(list(keys.values())))
        .order_by(SignInThrottle.key)  # both rows locked in one order: no deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    waits = [row.blocked_until for row in rows if row.blocked_until and row.blocked_until > now]
    if waits:
        session.rollback()
        retry_at = max(waits)
        log.warning("sign-in refused, too many tries, until %s", retry_at.isoformat())
        raise TooManyTries(
            f"{TOO_MANY_TRIES} Try again in {wait_in_words(retry_at, now)}.",
            retry_at=retry_at,
            now=now,
        )
    for row in rows:
        allowance = ALLOWANCES[Scope(row.scope)]
        if now - row.last_failure_at >= allowance.forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        delay = allowance.delay_after(row.failures)
        row.blocked_until = now + delay if delay > timedelta(0) else None
    counted = _Counted(now, dict(keys), {row.key: row.blocked_until for row in rows})
    commit(session)
    return counted


def _insert_missing(session: Session, keys: dict[Scope, str], now: datetime) -> None:
    """A row for each key, so that both databases have a row to lock; a row there stays."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(SignInThrottle)
        .values(
            [
                {"key": key, "scope": scope.value, "failures": 0, "last_failure_at": now}
                for scope, key in keys.items()
            ]
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )


def _take_back(session: Session, counted: _Counted) -> None:
    """The password was right: the account starts afresh; the address keeps its failures."""
    begin_write(session)
    account = counted.keys[Scope.ACCOUNT]
    # Nobody failed on this account since this try was counted: forget it all.
    session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.key == account, SignInThrottle.last_failure_at == counted.at
        )
    )
    # Otherwise (and for the address) only this try is taken back, and the delay only if it
    # is the one this try set: a failure since has set its own, which stands.
    for key in counted.keys.values():
        values: dict[str, object] = {
            "failures": case((SignInThrottle.failures > 0, SignInThrottle.failures - 1), else_=0)
        }
        mine = counted.delays_set.get(key)
        if mine is not None:
            values["blocked_until"] = case(
                (SignInThrottle.blocked_until == mine, None), else_=SignInThrottle.blocked_until
            )
        session.execute(update(SignInThrottle).where(SignInThrottle.key == key).values(values))
    commit(session)


def _record_failure(session: Session, email: str, address: str | None, counted: _Counted) -> None:
    """Audit the failed sign-in (the e-mail tried, never the password) and log it."""
    begin_write(session)
    tried = email[:EMAIL_MAX]
    target = staff_queries.staff_by_email(session, tried)
    delayed = [until for until in counted.delays_set.values() if until is not None]
    detail: dict[str, object] = {"email_tried": tried}
    if delayed:
        detail["next_try_at"] = max(delayed).isoformat()
    audit.record(
        session,
        # Whose account it was for, if any, so their sites' administrators see it; the
        # refusal itself is Front Door's doing.
        target,
        AuditAction.SIGN_IN_FAILED,
        detail={"reason": AuditReason.BAD_CREDENTIALS, **detail},
        at=counted.at,
        actor=Actor.SYSTEM,
        origin=address,
    )
    session.execute(
        delete(SignInThrottle).where(SignInThrottle.last_failure_at < counted.at - FORGET_AFTER)
    )
    commit(session)
    # The e-mail typed is personal data (often a real person's address): it goes to the
    # audit log, which its sites' administrators read, never to the process log.
    log.warning("sign-in failed from %s", address)
