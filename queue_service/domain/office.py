"""What the office can give at a moment: open? staffed? The one rule every screen, text
and check-in answer follows, so none of them promises what is not there.

    staffed    someone is on duty: check in, and a person will come (also past the hours:
               the office is in fact open while a case manager is still there)
    unstaffed  inside the hours but nobody on duty yet: you can check in; we are getting a
               case manager, and an urgent alert goes to every console and the lead
    closed     outside the hours (or a closure) and nobody on duty: no check-in, no promise
               of a person; the crisis lines and when we open
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .hours import Closure
from .office_hours import OfficeHours

CLOSING_SOON = timedelta(minutes=30)


class OfficeState(StrEnum):
    STAFFED = "staffed"
    UNSTAFFED = "unstaffed"
    CLOSED = "closed"


@dataclass(frozen=True)
class OfficeNow:
    open_now: bool
    staffed_now: bool
    opens_at: datetime | None
    closes_at: datetime | None
    closure: Closure | None

    @property
    def state(self) -> OfficeState:
        if self.staffed_now:
            return OfficeState.STAFFED
        return OfficeState.UNSTAFFED if self.open_now else OfficeState.CLOSED

    @property
    def accepts_check_ins(self) -> bool:
        return self.state != OfficeState.CLOSED

    @property
    def past_hours(self) -> bool:
        return self.staffed_now and not self.open_now

    def closing_soon(self, now: datetime) -> bool:
        return self.closes_at is not None and self.closes_at - now <= CLOSING_SOON

    def minutes_to_close(self, now: datetime) -> float | None:
        if self.closes_at is None:
            return None
        return (self.closes_at - now).total_seconds() / 60


def office_now(hours: OfficeHours, *, managers_on_duty: int, now: datetime) -> OfficeNow:
    return OfficeNow(
        open_now=hours.is_open(now),
        staffed_now=managers_on_duty > 0,
        opens_at=hours.opens_at(now),
        closes_at=hours.closes_at(now),
        closure=hours.closure_on(now.astimezone(hours.zone).date()),
    )
