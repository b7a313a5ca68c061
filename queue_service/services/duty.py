"""Who is on duty at a site office, at which desk."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Forbidden, ValidationFailed
from ..domain.events import DutyChanged
from ..models import DutyShift, Site, Staff
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit

DESK_MAX = 20


def set_duty(
    session: Session,
    site_slug: str,
    staff: Staff,
    *,
    on_duty: bool,
    desk: str | None = None,
    now: datetime | None = None,
) -> DutyShift | None:
    """Start (or move desk within) a shift, or end it. Returns the open shift, if any."""
    desk = (desk or "").strip() or None
    if desk and len(desk) > DESK_MAX:
        raise ValidationFailed("The desk label is too long.", fields={"desk": "At most 20."})
    begin_write(session)
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    now = now or utcnow()
    shift = repositories.open_shift(session, staff.id)
    if shift is not None and (not on_duty or shift.site_id != site.id):
        shift.ended_at = now
        shift.record(DutyChanged(shift.site_id, staff.id, on_duty=False))
        session.flush()
        shift = None
    if on_duty:
        if shift is None:
            shift = DutyShift(staff_id=staff.id, site_id=site.id, desk=desk, started_at=now)
            shift.record(DutyChanged(site.id, staff.id, on_duty=True))
            session.add(shift)
        else:
            shift.desk = desk
    commit(session)
    return shift


def require_member(staff: Staff, site: Site) -> None:
    if not staff.works_at(site):
        raise Forbidden("You do not work at this site.", code="not_your_site")
