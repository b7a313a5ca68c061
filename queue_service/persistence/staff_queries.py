"""Staff accounts as the services look them up: by e-mail, by site, and whether signed in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Staff, StaffToken, staff_sites


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


def signed_in(session: Session, staff_id: int, now: datetime) -> bool:
    """Whether the staff member holds a live sign-in (a console session or an API token)."""
    return (
        session.scalar(
            select(StaffToken.id)
            .where(
                StaffToken.staff_id == staff_id,
                StaffToken.revoked_at.is_(None),
                StaffToken.expires_at > now,
            )
            .limit(1)
        )
        is not None
    )
