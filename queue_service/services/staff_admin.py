"""Staff administration: invite, change, deactivate, reset a password (the links and the
setting of a password are staff_passwords').

Administrators act only on people who share a site with them, and only on those sites:
a site they do not belong to is neither given nor taken away. The command line (`by`
None) is the server's operator and may do anything. Every change is audited with the
account's details before and after, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.account_status import account_status
from ..domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..domain.events import StaffAccessChanged
from ..domain.history import Actor, AuditAction, AuditReason
from ..domain.roles import ACCOUNT_WIDE, AccountChange, account_changes, may_manage_staff
from ..models import Site, Staff
from ..persistence import repositories, staff_queries
from ..persistence.unit_of_work import begin_write, commit
from . import audit, duty
from . import staff as accounts
from .staff_commands import ChangeStaff, InviteStaff
from .staff_passwords import NewLink, new_link


def account(staff: Staff, *, seen_by: Staff | None = None) -> dict[str, Any]:
    """An account as staff administration shows it (and as the audit's before/after).

    Seen by someone, it shows only their sites and carries what they may change (`allowed`):
    the page offers those controls and no others.
    """
    visible = {s.id for s in seen_by.sites} if seen_by is not None else None
    shown: dict[str, Any] = {
        "id": staff.id,
        "email": staff.email,
        "name": staff.name,
        "role": staff.role,
        "sites": sorted(s.slug for s in staff.sites if visible is None or s.id in visible),
        "languages": list(staff.languages or []),
        "active": staff.active,
    }
    if seen_by is not None:
        shown["allowed"] = sorted(changes_allowed(staff, seen_by))
    return shown


def listing(session: Session, members: Sequence[Staff], *, seen_by: Staff) -> list[dict[str, Any]]:
    """The staff list: each account as `seen_by` may see it, with where it stands."""
    links = staff_queries.unused_links(session, [m.id for m in members])
    now = utcnow()
    shown = []
    for member in members:
        purpose, expires = links.get(member.id, (None, None))
        status, label = account_status(
            active=member.active, link_purpose=purpose, link_expires_at=expires, now=now
        )
        shown.append({**account(member, seen_by=seen_by), "status": status, "status_label": label})
    return shown


def changes_allowed(member: Staff, by: Staff) -> frozenset[AccountChange]:
    return account_changes(
        role=by.role,
        is_self=member.id == by.id,
        administers_every_site=all(by.works_at(s) for s in member.sites),
        active=member.active,
    )


def invite(session: Session, command: InviteStaff, *, by: Staff, origin: str | None) -> NewLink:
    """A new account with no password yet, and its one-time link to choose one."""
    _require_admin(by)
    begin_write(session)
    sites = _sites_for(session, command.sites, by)
    email = command.email.strip().lower()
    if not accounts.EMAIL.match(email) or len(email) > 254:
        raise ValidationFailed(
            "The details are not right.", fields={"email": "Not an email address."}
        )
    if not command.name.strip() or len(command.name) > 120:
        raise ValidationFailed(
            "The details are not right.", fields={"name": "Give a name of at most 120 characters."}
        )
    if staff_queries.staff_by_email(session, email) is not None:
        raise Conflict(f"{email} already has an account.", code="staff_exists")
    now = utcnow()
    member = Staff(
        email=email,
        name=command.name.strip(),
        role=command.role,
        languages=list(command.languages),
        password_hash=accounts.unusable_password_hash(),
        created_at=now,
        sites=sites,
    )
    session.add(member)
    session.flush()
    link = new_link(session, member, "invite", now)
    _audit(session, by, AuditAction.STAFF_INVITED, member, None, account(member), origin, now)
    commit(session)
    return link


def change(
    session: Session, command: ChangeStaff, *, by: Staff | None, origin: str | None = None
) -> Staff:
    """Role, sites, languages, active. Deactivating signs the person out everywhere."""
    begin_write(session)
    member = _managed(session, command.staff_id, by)
    before = account(member)
    if by is not None and member.id == by.id and (command.role or command.active is False):
        # An administrator locking themselves out would leave a site with nobody to undo it.
        raise Conflict(
            "You cannot change your own role or deactivate yourself.", code="own_account"
        )
    if by is not None:
        _require_every_site(member, by, _asked(command, member))
    if command.role is not None:
        member.role = command.role
    if command.languages is not None:
        member.languages = list(command.languages)
    if command.sites is not None:
        chosen = _sites_for(session, command.sites, by)
        kept = [s for s in member.sites if by is not None and not by.works_at(s)]
        if not chosen and not kept:
            raise ValidationFailed(
                "Give at least one site.", fields={"sites": "Give at least one site."}
            )
        member.sites = kept + chosen
    now = utcnow()
    revoked = 0
    if command.active is not None and command.active != member.active:
        member.active = command.active
        if not command.active:
            revoked = accounts.revoke_every_token(
                session, member, now, reason=AuditReason.ACCOUNT_DEACTIVATED
            )
    duty.end_where_not_member(session, member, now)
    after = account(member)
    if (after["role"], after["sites"]) != (before["role"], before["sites"]):
        member.record(StaffAccessChanged(member.id))  # their consoles start again
    if after != before:
        _audit(
            session,
            by,
            AuditAction.STAFF_CHANGED,
            member,
            before,
            after,
            origin,
            now,
            sessions_revoked=revoked,
        )
    commit(session)
    return member


def reset_password(
    session: Session, staff_id: int, *, by: Staff, origin: str | None = None
) -> NewLink:
    """A new one-time link; the old password and every session stop working at once."""
    _require_admin(by)
    begin_write(session)
    member = _managed(session, staff_id, by)
    if member.id == by.id:
        # It would sign them out with no password; the command line, or a colleague, does it.
        raise Conflict("Ask another administrator to reset your password.", code="own_account")
    if not member.active:
        raise Conflict("This account is deactivated: reactivate it first.", code="staff_inactive")
    _require_every_site(member, by, {AccountChange.RESET_PASSWORD})
    now = utcnow()
    member.password_hash = accounts.unusable_password_hash()
    revoked = accounts.revoke_every_token(session, member, now, reason=AuditReason.PASSWORD_RESET)
    link = new_link(session, member, "reset", now)
    _audit(
        session,
        by,
        AuditAction.STAFF_PASSWORD_RESET,
        member,
        None,
        None,
        origin,
        now,
        sessions_revoked=revoked,
    )
    commit(session)
    return link


def change_by_email(session: Session, email: str, **changes: Any) -> Staff:
    """The command line's `staff set` (the operator may do anything)."""
    member = staff_queries.staff_by_email(session, email)
    if member is None:
        raise NotFound(f"No staff account {email.strip().lower()}.", code="staff_not_found")
    return change(session, ChangeStaff(staff_id=member.id, **changes), by=None)


def everyone(session: Session, site_slug: str | None = None) -> list[Staff]:
    query = select(Staff).order_by(Staff.email)
    if site_slug is not None:
        site = repositories.site_by_slug(session, site_slug)
        query = query.where(Staff.sites.any(Site.id == site.id))
    return list(session.scalars(query))


def _require_admin(by: Staff | None) -> None:
    if by is not None and not may_manage_staff(by.role):
        raise Forbidden("Only administrators manage staff accounts.", code="not_allowed")


def _managed(session: Session, staff_id: int, by: Staff | None) -> Staff:
    _require_admin(by)
    in_range = isinstance(staff_id, int) and 0 < staff_id <= repositories.MAX_ID
    member = session.get(Staff, staff_id) if in_range else None
    # Someone at none of my sites is, for me, nobody: 404, not a hint that they exist.
    if member is None or (by is not None and not any(by.works_at(s) for s in member.sites)):
        raise NotFound("No such staff member at your sites.", code="staff_not_found")
    return member


def _asked(command: ChangeStaff, member: Staff) -> set[AccountChange]:
    asked = set()
    if command.role is not None and command.role != member.role:
        asked.add(AccountChange.ROLE)
    if command.active is not None and command.active != member.active:
        asked.add(AccountChange.DEACTIVATE if member.active else AccountChange.REACTIVATE)
    return asked


def _require_every_site(member: Staff, by: Staff, asked: set[AccountChange]) -> None:
    refused = (asked & ACCOUNT_WIDE) - changes_allowed(member, by)
    if refused:
        raise Forbidden(
            f"{member.name} also works at a site you do not administer, and this would change"
            " their account there too: ask an administrator of every one of their sites.",
            code="not_every_site",
        )


def _sites_for(session: Session, slugs: Sequence[str], by: Staff | None) -> list[Site]:
    sites = [repositories.site_by_slug(session, slug) for slug in dict.fromkeys(slugs)]
    outside = [s.slug for s in sites if by is not None and not by.works_at(s)]
    if outside:
        raise Forbidden(f"You do not work at {', '.join(outside)}.", code="not_a_member")
    return sites


def _audit(
    session: Session,
    by: Staff | None,
    action: AuditAction,
    member: Staff,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    origin: str | None,
    now: datetime,
    **extra: Any,
) -> None:
    detail: dict[str, Any] = {"staff_id": member.id, "staff": member.email, **extra}
    if after is not None:  # only what changed, each with what it was before
        old = before or {}
        detail["changes"] = {
            k: {"before": old.get(k), "after": v} for k, v in after.items() if old.get(k) != v
        }
    audit.record(
        session,
        # The command line (by None) is the system acting on the account: the entry names the
        # account instead, or no administrator could read it (site-less entries are shown
        # only for the reader's colleagues).
        by if by is not None else member,
        action,
        detail=detail,
        at=now,
        origin=origin,
        actor=None if by is not None else Actor.SYSTEM,
    )
