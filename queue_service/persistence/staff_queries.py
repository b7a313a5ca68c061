"""Staff accounts as the services look them up: by e-mail, by site, and whether signed in
(the one rule for a live sign-in, which "on duty" asks for too)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ..domain.sessions import TOKEN_LIFETIME
from ..models import Staff, StaffToken, staff_sites
from ..models.staff import SetPasswordLink


def staff_by_email(session: Session, email: str) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.email == email.strip().lower()))


def staff_at_site(session: Session, site_id: int) -> list[Staff]:
    return list(
        session.scalars(
            select(Staff)
            .join(staff_sites, staff_sites.c.staff_id == Staff.id)
            .where(staff_sites.c.site_id == site_id)
            .order_by(Staff.name)
        )
    )


def live_sign_in(staff_id: Any, now: Any, born_after: Any = None) -> ColumnElement[bool]:
    """Whether the staff member (an id, or a column such as DutyShift.staff_id) holds a live
    sign-in at `now`: a console session or an API token not signed out, not run out, and
    begun less than TOKEN_LIFETIME ago. `born_after` (now - TOKEN_LIFETIME) is for
    statements built once with bound parameters, where `now` is one (sign_in_params)."""
    if born_after is None:
        born_after = now - TOKEN_LIFETIME
    return (
        select(StaffToken.id)
        .where(
            StaffToken.staff_id == staff_id,
            StaffToken.revoked_at.is_(None),
            StaffToken.expires_at > now,
            StaffToken.created_at > born_after,
        )
        .exists()
    )


def sign_in_params(now: datetime) -> dict[str, datetime]:
    """The bound parameters live_sign_in(…, bindparam("now"), bindparam("born_after")) takes."""
    return {"now": now, "born_after": now - TOKEN_LIFETIME}


def signed_in(session: Session, staff_id: int, now: datetime) -> bool:
    """Whether the staff member holds a live sign-in (a console session or an API token)."""
    return bool(session.scalar(select(live_sign_in(staff_id, now))))


def working_at(session: Session, site_id: int, staff_ids: Iterable[int]) -> set[int]:
    """Those of `staff_ids` who work at the site now, on an active account."""
    wanted = sorted(set(staff_ids))
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(staff_sites.c.staff_id)
            .join(Staff, Staff.id == staff_sites.c.staff_id)
            .where(
                staff_sites.c.site_id == site_id,
                staff_sites.c.staff_id.in_(wanted),
                Staff.active.is_(True),
            )
        )
    )


def unused_links(session: Session, staff_ids: Iterable[int]) -> dict[int, tuple[str, datetime]]:
    """Each account's set-password link not used yet (a new link retires the old, so at
    most one): its purpose and when it runs out."""
    rows = session.execute(
        select(SetPasswordLink.staff_id, SetPasswordLink.purpose, SetPasswordLink.expires_at)
        .where(SetPasswordLink.staff_id.in_(list(staff_ids)), SetPasswordLink.used_at.is_(None))
        .order_by(SetPasswordLink.id)
    )
    return {staff_id: (purpose, expires) for staff_id, purpose, expires in rows}
