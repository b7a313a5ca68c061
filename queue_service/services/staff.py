"""Staff accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from ..clock import utcnow
from ..domain.checkin import DEFAULT_LANGUAGES as SUPPORTED_LANGUAGES
from ..domain.errors import Conflict, ValidationFailed
from ..domain.events import StaffAccountEnded, StaffSignedOut
from ..domain.history import Actor, AuditAction, AuditReason, AuditVia
from ..domain.roles import Role
from ..domain.sessions import TOKEN_LIFETIME
from ..models import Staff, StaffToken
from ..persistence import repositories, staff_queries
from ..persistence.unit_of_work import begin_write, commit
from . import audit, duty

PASSWORD_MIN = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# A sliding session is extended at most this often, so reading it is not a write each time.
SLIDE_STEP = timedelta(minutes=1)

# Only the token's columns that sliding needs: the whole StaffToken would join its `staff`
# again and load that copy's sites in a second query, on every staff request.
_STAFF_FOR_TOKEN = (
    select(Staff, StaffToken.id, StaffToken.expires_at, StaffToken.idle_seconds)
    .options(joinedload(Staff.sites))
    .join(StaffToken, StaffToken.staff_id == Staff.id)
    .where(
        StaffToken.token_hash == bindparam("token_hash"),
        StaffToken.revoked_at.is_(None),
        StaffToken.expires_at > bindparam("now"),
        # However much it is used, no session or token outlives TOKEN_LIFETIME.
        StaffToken.created_at > bindparam("born_after"),
        Staff.active.is_(True),
    )
)

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def password_problem(password: str, email: str) -> str | None:
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters (a short phrase is easiest)."
    if len(set(password)) < 4:
        return "Use more than a few different characters."
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Do not use your email address in your password."
    return None


def languages_problem(languages: Sequence[str]) -> str | None:
    """The languages a person speaks with visitors: codes Front Door supports, nothing else,
    so the duty picture ("nobody on duty speaks ht") never counts a typo."""
    if not languages or any(lang not in SUPPORTED_LANGUAGES for lang in languages):
        return "Give languages from: " + ", ".join(SUPPORTED_LANGUAGES) + "."
    if len(set(languages)) != len(languages):
        return "Give each language once."
    return None


def create_staff(
    session: Session,
    email: str,
    *,
    name: str,
    role: str,
    site_slugs: Sequence[str],
    password: str,
    languages: Sequence[str] = ("en",),
) -> Staff:
    email = (email or "").strip().lower()
    errors: dict[str, str] = {}
    if not EMAIL.match(email) or len(email) > 254:
        errors["email"] = "Not an email address."
    if not (name or "").strip() or len(name) > 120:
        errors["name"] = "Give a name of at most 120 characters."
    if role not in {r.value for r in Role}:
        errors["role"] = f"Must be one of: {', '.join(r.value for r in Role)}."
    if not site_slugs:
        errors["site"] = "Give at least one site."
    langs = [lang.strip() for lang in languages if lang.strip()]
    language_problem = languages_problem(langs)
    if language_problem:
        errors["languages"] = language_problem
    problem = password_problem(password or "", email)
    if problem:
        errors["password"] = problem
    if errors:
        raise ValidationFailed("The staff member's details are not right.", fields=errors)

    begin_write(session)
    sites = [repositories.site_by_slug(session, slug) for slug in site_slugs]
    if staff_queries.staff_by_email(session, email) is not None:
        raise Conflict(f"{email} already has an account.", code="staff_exists")
    staff = Staff(
        email=email,
        name=name.strip(),
        role=role,
        languages=langs,
        password_hash=_hasher.hash(password),
        created_at=utcnow(),
        sites=list(sites),
    )
    session.add(staff)
    session.flush()
    # The command line's doing (an admin's invitation is staff_admin.invite): recorded as
    # the system's, with the new account as the entry's staff so its sites' admins see it.
    audit.record(
        session,
        staff,
        AuditAction.STAFF_ADDED,
        detail={"staff_id": staff.id, "staff": email, "role": role, "by": AuditVia.COMMAND_LINE},
        at=staff.created_at,
        actor=Actor.SYSTEM,
    )
    commit(session)
    return staff


def authenticate(session: Session, email: str, password: str) -> Staff | None:
    """The active account these credentials open, or None. Sign-ins go through
    services.sign_ins, which counts the tries; this only checks the password."""
    staff = staff_queries.staff_by_email(session, email or "")
    try:
        _hasher.verify(staff.password_hash if staff else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if staff is None or not staff.active:
        return None
    if _hasher.check_needs_rehash(staff.password_hash):
        begin_write(session)
        staff.password_hash = _hasher.hash(password)
        commit(session)
    return staff


def issue_token(
    session: Session,
    staff: Staff,
    now: datetime | None = None,
    *,
    idle_seconds: int | None = None,
    origin: str | None = None,
) -> str:
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    lifetime = timedelta(seconds=idle_seconds) if idle_seconds else TOKEN_LIFETIME
    begin_write(session)
    session.add(
        StaffToken(
            staff_id=staff.id,
            token_hash=digest(token),
            created_at=now,
            expires_at=now + lifetime,
            idle_seconds=idle_seconds,
        )
    )
    audit.record(
        session,
        staff,
        AuditAction.STAFF_SIGNED_IN,
        detail={"browser": idle_seconds is not None},
        at=now,
        origin=origin,
    )
    commit(session)
    return token


def staff_for_token(
    session: Session, token: str, now: datetime | None = None, *, touch: bool = True
) -> Staff | None:
    """Who holds this live token. `touch`: it is in use, so a browser session slides on."""
    now = now or utcnow()
    params = {"token_hash": digest(token), "now": now, "born_after": now - TOKEN_LIFETIME}
    row = session.execute(_STAFF_FOR_TOKEN, params).unique().one_or_none()
    if row is None:
        return None
    staff, held_id, expires_at, idle_seconds = row
    if touch and idle_seconds:
        renewed = now + timedelta(seconds=idle_seconds)
        if renewed - expires_at >= SLIDE_STEP:
            begin_write(session)
            session.execute(
                update(StaffToken)
                .where(StaffToken.id == held_id, StaffToken.revoked_at.is_(None))
                .values(expires_at=renewed)
            )
            commit(session)
    return staff


def live_token_ids(session: Session, ids: Sequence[int], now: datetime | None = None) -> set[int]:
    """Those of `ids` that are still valid: not revoked, expired, or of a deactivated person."""
    now = now or utcnow()
    rows = session.scalars(
        select(StaffToken.id)
        .join(Staff, Staff.id == StaffToken.staff_id)
        .where(
            StaffToken.id.in_(list(ids)),
            StaffToken.revoked_at.is_(None),
            StaffToken.expires_at > now,
            StaffToken.created_at > now - TOKEN_LIFETIME,
            Staff.active.is_(True),
        )
    )
    return set(rows)


def token_id(session: Session, token: str) -> int | None:
    return session.scalar(select(StaffToken.id).where(StaffToken.token_hash == digest(token)))


def revoke_token(session: Session, token: str, *, origin: str | None = None) -> None:
    """Sign out: the token or session stops working at once, live connections included, and
    so does their duty shift, unless they are still signed in elsewhere."""
    begin_write(session)
    row = session.scalar(select(StaffToken).where(StaffToken.token_hash == digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        row.record(StaffSignedOut(row.staff_id, row.id))
        audit.record(
            session, row.staff, AuditAction.STAFF_SIGNED_OUT, at=row.revoked_at, origin=origin
        )
        session.flush()
        duty.end_unless_signed_in(session, row.staff_id, AuditReason.SIGNED_OUT, row.revoked_at)
    commit(session)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def unusable_password_hash() -> str:
    """For an account whose person has not chosen a password yet: nobody knows this one."""
    return _hasher.hash(secrets.token_urlsafe(32))


def revoke_every_token(session: Session, staff: Staff, at: datetime, *, reason: AuditReason) -> int:
    """In the caller's transaction: every API token and browser session of the account
    stops working, and with them their duty shift (ended for `reason`); the account's live
    connections end once it commits. Answers how many."""
    revoked = session.execute(
        update(StaffToken)
        .where(StaffToken.staff_id == staff.id, StaffToken.revoked_at.is_(None))
        .values(revoked_at=at)
    ).rowcount
    staff.record(StaffAccountEnded(staff.id))
    duty.end_unless_signed_in(session, staff.id, reason, at)
    return revoked


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
