"""Choosing a password: through a one-time link (an invitation or an administrator's reset,
see staff_admin) or on the command line. Only a link's hash is kept, only the newest link
of an account works, and every password set is audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import NotFound, ValidationFailed
from ..domain.history import Actor, AuditAction, AuditReason, AuditVia
from ..models import Staff
from ..models.staff import SetPasswordLink
from ..persistence import staff_queries
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from . import staff as accounts

LINK_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class NewLink:
    staff: Staff
    token: str  # shown once, in the link; only its hash is kept
    expires_at: datetime


def link_holder(session: Session, token: str) -> Staff | None:
    """Whose working link this is (unused, unexpired, of an active account), or None."""
    found = _live_link(session, token, utcnow())
    return found.staff if found is not None else None


def set_password_by_link(
    session: Session, token: str, password: str, *, origin: str | None = None
) -> Staff:
    begin_write(session)
    now = utcnow()
    found = _live_link(session, token, now)
    if found is None:
        raise NotFound(
            "This link has expired or was already used. Ask an administrator for a new one.",
            code="link_not_valid",
        )
    member = found.staff
    _set_password(member, password)
    found.used_at = now
    audit.record(
        session,
        member,
        AuditAction.STAFF_PASSWORD_SET,
        detail={"via": found.purpose},
        at=now,
        origin=origin,
    )
    commit(session)
    return member


def set_password(session: Session, email: str, password: str) -> Staff:
    """The command line's reset: a new password at once; every session revoked."""
    begin_write(session)
    member = staff_queries.staff_by_email(session, email)
    if member is None:
        raise NotFound(f"No staff account {email.strip().lower()}.", code="staff_not_found")
    now = utcnow()
    _set_password(member, password)
    revoked = accounts.revoke_every_token(session, member, now, reason=AuditReason.PASSWORD_RESET)
    _retire_links(session, member, now)
    audit.record(
        session,
        member,  # whose account, so their sites' administrators see it (actor: the system)
        AuditAction.STAFF_PASSWORD_SET,
        actor=Actor.SYSTEM,
        at=now,
        detail={
            "via": AuditVia.COMMAND_LINE,
            "staff_id": member.id,
            "staff": member.email,
            "sessions_revoked": revoked,
        },
    )
    commit(session)
    return member


def new_link(session: Session, member: Staff, purpose: str, now: datetime) -> NewLink:
    """A one-time link for `member` to choose a password; their earlier links stop working."""
    _retire_links(session, member, now)
    token = secrets.token_urlsafe(32)
    expires = now + LINK_LIFETIME
    session.add(
        SetPasswordLink(
            staff_id=member.id,
            token_hash=accounts.digest(token),
            purpose=purpose,
            created_at=now,
            expires_at=expires,
        )
    )
    return NewLink(staff=member, token=token, expires_at=expires)


def _set_password(member: Staff, password: str) -> None:
    problem = accounts.password_problem(password or "", member.email)
    if problem:
        raise ValidationFailed("Choose a stronger password.", fields={"password": problem})
    member.password_hash = accounts.hash_password(password)


def _retire_links(session: Session, member: Staff, now: datetime) -> None:
    session.execute(
        update(SetPasswordLink)
        .where(SetPasswordLink.staff_id == member.id, SetPasswordLink.used_at.is_(None))
        .values(used_at=now)
    )


def _live_link(session: Session, token: str, now: datetime) -> SetPasswordLink | None:
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    found = session.scalar(
        select(SetPasswordLink).where(SetPasswordLink.token_hash == accounts.digest(token))
    )
    if found is None or found.used_at is not None or found.expires_at <= now:
        return None
    return found if found.staff.active else None
