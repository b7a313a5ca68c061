"""The office at this moment, for the public status, the kiosk's answers and the console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.office import OfficeNow, office_now
from ..models import Site
from ..persistence import repositories
from .views import QueueNumbers


@dataclass(frozen=True)
class SiteStatus:
    site: Site
    office: OfficeNow
    waiting: int
    estimated_wait_minutes: int | None
    # From 30 minutes before closing: can everyone waiting still be seen today?
    can_see_everyone: bool | None
    at: datetime
    # The figures the estimate came from, for a place in line read in the same transaction.
    numbers: QueueNumbers

    @property
    def closing_soon(self) -> bool:
        return self.office.open_now and self.office.closing_soon(self.at)


def site_status(session: Session, site: Site, now: datetime | None = None) -> SiteStatus:
    now = now or utcnow()
    numbers, waiting = QueueNumbers.read_with_waiting(session, site.id, now)
    office = office_now(site.hours, managers_on_duty=numbers.managers_on_duty, now=now)
    # With nobody on duty no one can say how long it will be: no number is better than a
    # made-up one.
    estimate = numbers.wait_for(waiting + 1) if office.staffed_now else None
    can_see = None
    minutes_left = office.minutes_to_close(now)
    if office.closing_soon(now) and minutes_left is not None:
        last = numbers.wait_for(waiting) if waiting else 0
        can_see = office.staffed_now and (last or 0) <= minutes_left
    return SiteStatus(site, office, waiting, estimate, can_see, now, numbers)


def status_by_slug(session: Session, slug: str, now: datetime | None = None) -> SiteStatus:
    return site_status(session, repositories.site_by_slug(session, slug), now)
