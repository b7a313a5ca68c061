"""A site's service day ends at local midnight, and each day's line starts empty.

Whatever an earlier day left open is closed by the first change of the new day: people
still waiting are recorded as having left, people called but never seen as no-shows, and
duty shifts nobody ended are ended at midnight. Tickets still "in session" are left for a
case manager to complete: only they know how the visit ended.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import local_day
from ..domain.lifecycle import Action, Status
from ..models import DutyShift, Site, Ticket
from ..persistence.unit_of_work import remember_after_commit

CLOSING_ACTION = {Status.WAITING.value: Action.LEFT, Status.CALLED.value: Action.NO_SHOW}


def close_earlier_days(session: Session, site: Site, now: datetime) -> None:
    """Inside a write transaction: close what earlier service days left open at `site`."""
    today = local_day(now, site.timezone)
    memo = session.info["database"].memo
    if memo.get(("day_closed", site.id)) == today:
        return
    stale = session.scalars(
        select(Ticket).where(
            Ticket.site_id == site.id,
            Ticket.status.in_(list(CLOSING_ACTION)),
            Ticket.service_day < today,
        )
    )
    for ticket in stale:
        ticket.apply(CLOSING_ACTION[ticket.status], at=now, by=None)
    midnight = datetime.combine(today, time.min, ZoneInfo(site.timezone))
    for shift in session.scalars(
        select(DutyShift).where(
            DutyShift.site_id == site.id,
            DutyShift.ended_at.is_(None),
            DutyShift.started_at < midnight,
        )
    ):
        shift.ended_at = midnight
    session.flush()
    remember_after_commit(session, ("day_closed", site.id), today)
