"""Who is on duty at a site office, at which desk.

A shift says a person is at the office now, so it never outlives their being signed in:
it ends, as the system's doing with its reason, when they sign out of their last live
sign-in, when that sign-in runs out (the background sweep, every minute), when they are
deactivated or signed out everywhere, and when the site is taken off their account. And in
the moments between (a sign-in that ran out a few seconds ago), "on duty" already asks for a
live sign-in (persistence.staff_queries.live_sign_in), so nobody who has gone is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Forbidden, ValidationFailed
from ..domain.events import DutyChanged
from ..domain.history import AuditAction, AuditReason
from ..domain.sessions import TOKEN_LIFETIME
from ..models import DutyShift, Site, Staff, StaffToken
from ..persistence import duty_queries, repositories, staff_queries
from ..persistence.unit_of_work import begin_write, commit, publish_after_commit
from . import audit
from .office import SiteStatus, site_status

DESK_MAX = 20


@dataclass(frozen=True)
class Roster:
    """The caller's own open shift here (if any) and everyone on duty at the site now."""

    shift: DutyShift | None
    on_duty: list[DutyShift]


def set_duty(
    session: Session,
    site_slug: str,
    staff: Staff,
    *,
    on_duty: object,
    desk: object = None,
    origin: str | None = None,
    now: datetime | None = None,
) -> Roster:
    """Start (or move desk within) a shift, or end it. Repeating a request changes nothing."""
    if not isinstance(on_duty, bool):
        raise ValidationFailed("Say whether you are on duty.", fields={"on_duty": "true or false."})
    label = _desk(desk)
    begin_write(session)
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    # Two identical requests at once must not both start a shift (PostgreSQL: row lock).
    session.execute(select(Staff.id).where(Staff.id == staff.id).with_for_update())
    now = now or utcnow()
    shift = duty_queries.open_shift(session, staff.id)
    if shift is not None and (not on_duty or shift.site_id != site.id):
        shift.ended_at = now
        shift.record(DutyChanged(shift.site_id, staff.id, on_duty=False))
        audit.record(
            session, staff, AuditAction.DUTY_ENDED, site_id=shift.site_id, at=now, origin=origin
        )
        session.flush()
        shift = None
    if on_duty:
        if shift is None:
            shift = DutyShift(staff_id=staff.id, site_id=site.id, desk=label, started_at=now)
            shift.record(DutyChanged(site.id, staff.id, on_duty=True))
            session.add(shift)
            audit.record(
                session,
                staff,
                AuditAction.DUTY_STARTED,
                site_id=site.id,
                detail={"desk": label},
                at=now,
                origin=origin,
            )
        elif shift.desk != label:
            shift.desk = label
            shift.record(DutyChanged(site.id, staff.id, on_duty=True))
            audit.record(
                session,
                staff,
                AuditAction.DUTY_DESK,
                site_id=site.id,
                detail={"desk": label},
                origin=origin,
            )
    commit(session)
    return Roster(shift=shift, on_duty=duty_queries.on_duty(session, site.id, now))


def end_unless_signed_in(
    session: Session, staff_id: int, reason: AuditReason, now: datetime
) -> None:
    """Inside a write transaction: the person's open shift ends, for `reason`, unless they
    still hold a live sign-in (signed out on one computer, still at work on another)."""
    shift = duty_queries.open_shift(session, staff_id)
    if shift is not None and not staff_queries.signed_in(session, staff_id, now):
        end_shift(session, shift, reason, at=now)


def end_where_not_member(session: Session, member: Staff, now: datetime) -> None:
    """Inside a write transaction: a shift at a site no longer on their account ends."""
    shift = duty_queries.open_shift(session, member.id)
    if shift is not None and not any(site.id == shift.site_id for site in member.sites):
        end_shift(session, shift, AuditReason.SITE_REMOVED, at=now)


def end_lapsed_shifts(session: Session, now: datetime | None = None) -> int:
    """The background sweep's part: every open shift whose person's last sign-in ran out
    ends, at the moment it did. Safe beside other processes doing the same. Answers how many."""
    now = now or utcnow()
    begin_write(session)
    lapsed = list(
        session.scalars(
            select(DutyShift)
            .where(
                DutyShift.ended_at.is_(None),
                ~staff_queries.live_sign_in(DutyShift.staff_id, now),
            )
            .order_by(DutyShift.id)
            .with_for_update(skip_locked=True)
        )
    )
    for shift in lapsed:
        end_shift(
            session,
            shift,
            AuditReason.SESSION_EXPIRED,
            at=_signed_in_until(session, shift, now),
            now=now,
        )
    commit(session)
    return len(lapsed)


def end_shift(
    session: Session,
    shift: DutyShift,
    reason: AuditReason,
    *,
    at: datetime,
    now: datetime | None = None,
) -> None:
    """Inside a write transaction: the shift ends at `at`, as the system's doing: audited
    with why, and consoles hear of it once it commits (the lobby asks the status)."""
    shift.ended_at = at
    publish_after_commit(session, DutyChanged(shift.site_id, shift.staff_id, on_duty=False))
    audit.system(
        session,
        AuditAction.DUTY_ENDED,
        reason=reason,
        site_id=shift.site_id,
        detail={"staff_id": shift.staff_id, "ended_at": at.isoformat()},
        at=now or at,
    )


def _signed_in_until(session: Session, shift: DutyShift, now: datetime) -> datetime:
    """When the person's last sign-in during the shift stopped working (the sweep runs
    every minute, but a server that was down must not stretch the shift to its return)."""
    rows = session.execute(
        select(StaffToken.created_at, StaffToken.expires_at, StaffToken.revoked_at).where(
            StaffToken.staff_id == shift.staff_id, StaffToken.expires_at > shift.started_at
        )
    )
    ends = [
        min(expires, created + TOKEN_LIFETIME, revoked or expires)
        for created, expires, revoked in rows
    ]
    return min(max([shift.started_at, *ends]), now)


@dataclass(frozen=True)
class Coverage:
    """Who is on duty at a site now, and whether the office's promise is being kept."""

    on_duty: list[DutyShift]
    status: SiteStatus

    @property
    def open_now(self) -> bool:
        return self.status.office.open_now

    @property
    def waiting(self) -> int:
        return self.status.waiting

    @property
    def uncovered(self) -> bool:
        """Business hours, people waiting, and no case manager on duty: staff must know."""
        return self.open_now and self.waiting > 0 and not self.on_duty


def coverage(session: Session, site: Site, now: datetime | None = None) -> Coverage:
    now = now or utcnow()
    return Coverage(
        on_duty=duty_queries.on_duty(session, site.id, now),
        status=site_status(session, site, now),
    )


def coverage_at(session: Session, site_slug: str, staff: Staff) -> Coverage:
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    return coverage(session, site)


def require_member(staff: Staff, site: Site) -> None:
    if not staff.works_at(site):
        raise Forbidden("You do not work at this site.", code="not_your_site")


def _desk(desk: object) -> str | None:
    if desk is None:
        return None
    if isinstance(desk, bool) or not isinstance(desk, str | int):
        raise ValidationFailed("The desk is a label.", fields={"desk": 'Text such as "2".'})
    label = str(desk).strip()
    if len(label) > DESK_MAX:
        raise ValidationFailed("The desk label is too long.", fields={"desk": "At most 20."})
    return label or None
