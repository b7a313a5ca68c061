"""Who is on duty at a site office, at which desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Forbidden, ValidationFailed
from ..domain.events import DutyChanged
from ..domain.history import AuditAction
from ..models import DutyShift, Site, Staff
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit
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
    shift = repositories.open_shift(session, staff.id)
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
    return Roster(shift=shift, on_duty=repositories.on_duty(session, site.id))


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
    return Coverage(
        on_duty=repositories.on_duty(session, site.id),
        status=site_status(session, site, now or utcnow()),
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
