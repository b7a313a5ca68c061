"""Who is on duty where: the open shifts of people still signed in, and what they are doing.

"On duty" is one rule, here once (ON_DUTY_AT_SITE): an open shift at the site whose person
holds a live sign-in. queue_reads counts the same people for the office's state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import NotFound
from ..domain.lifecycle import BUSY_STATUSES
from ..models import DutyShift, Site, Staff, Ticket
from .repositories import SLUG
from .staff_queries import live_sign_in, sign_in_params

# An open shift of a person still signed in (one whose sign-in just ran out is nobody there).
_LIVE = live_sign_in(DutyShift.staff_id, bindparam("now"), bindparam("born_after"))
ON_DUTY_AT_SITE = (DutyShift.site_id == bindparam("site_id"), DutyShift.ended_at.is_(None), _LIVE)
_OPEN_SHIFT = select(DutyShift).where(
    DutyShift.staff_id == bindparam("staff_id"), DutyShift.ended_at.is_(None)
)
# Call-next's first read: the site, and the manager's open shift if it is at that site.
_SITE_AND_OPEN_SHIFT = (
    select(Site, DutyShift)
    .outerjoin(
        DutyShift,
        (DutyShift.site_id == Site.id)
        & (DutyShift.staff_id == bindparam("staff_id"))
        & DutyShift.ended_at.is_(None),
    )
    .where(Site.slug == bindparam("slug"))
)
_LANGUAGES_ON_DUTY = (
    select(Staff.languages)
    .join(DutyShift, DutyShift.staff_id == Staff.id)
    .where(*ON_DUTY_AT_SITE, Staff.id != bindparam("besides"))
)


def languages_on_duty(
    session: Session, site_id: int, *, besides: int, now: datetime | None = None
) -> set[str]:
    """The languages spoken by the other case managers on duty at the site."""
    params = {"site_id": site_id, "besides": besides, **sign_in_params(now or utcnow())}
    rows = session.scalars(_LANGUAGES_ON_DUTY, params)
    return {language for languages in rows for language in languages or ()}


def site_and_open_shift(
    session: Session, slug: str, staff_id: int
) -> tuple[Site, DutyShift | None]:
    """site_by_slug, and the staff member's open shift if it is at that site, in one query."""
    params = {"slug": slug, "staff_id": staff_id}
    row = (
        session.execute(_SITE_AND_OPEN_SHIFT, params).one_or_none()
        if SLUG.match(slug or "")
        else None
    )
    if row is None:
        raise NotFound(f"There is no site called {slug!r}.", code="site_not_found")
    return row[0], row[1]


def open_shift(session: Session, staff_id: int) -> DutyShift | None:
    return session.scalar(_OPEN_SHIFT, {"staff_id": staff_id})


def on_duty(session: Session, site_id: int, now: datetime | None = None) -> list[DutyShift]:
    params = {"site_id": site_id, **sign_in_params(now or utcnow())}
    return list(
        session.scalars(
            select(DutyShift).where(*ON_DUTY_AT_SITE).order_by(DutyShift.started_at), params
        )
    )


def busy_with(session: Session, staff_id: int) -> bool:
    """Whether the manager has someone called or in session with them now."""
    return (
        session.scalar(
            select(Ticket.id)
            .where(
                Ticket.assigned_staff_id == staff_id,
                Ticket.status.in_(list(BUSY_STATUSES)),
            )
            .limit(1)
        )
        is not None
    )


def free_on_duty(session: Session, site_id: int, besides: int, now: datetime | None = None) -> bool:
    """Whether a manager on duty at the site, other than `besides`, has nobody at their desk."""
    busy = (
        select(Ticket.id)
        .where(
            Ticket.assigned_staff_id == DutyShift.staff_id,
            Ticket.status.in_(list(BUSY_STATUSES)),
        )
        .exists()
    )
    params = {"site_id": site_id, **sign_in_params(now or utcnow())}
    return (
        session.scalar(
            select(DutyShift.id)
            .where(*ON_DUTY_AT_SITE, DutyShift.staff_id != besides, ~busy)
            .limit(1),
            params,
        )
        is not None
    )
