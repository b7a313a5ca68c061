"""A site's office hours asked about moments in time: open now, closing when, opening when.

The weekly hours and closures themselves, and their SPEC text, are domain.hours'.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .hours import END_OF_DAY, Closure, WeeklyHours, closures_from_json

# How far ahead the next opening is looked for: past this, a site is "closed until further
# notice" (e.g. every day closed by dated closures).
SEARCH_DAYS = 400


@dataclass(frozen=True)
class OfficeHours:
    """A site's weekly hours and closures in its time zone, asked about moments in time."""

    weekly: WeeklyHours
    timezone: str
    closures: tuple[Closure, ...] = ()
    _closed_on: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_closed_on", frozenset(c.on for c in self.closures))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.on == day), None)

    def spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """That local day's open spans as aware datetimes (none on a closure)."""
        if day in self._closed_on:
            return []
        zone = self.zone
        return [
            (_at(day, start, zone), _at(day, end, zone))
            for start, end in self.weekly.spans_on(day.weekday())
        ]

    def is_open(self, now: datetime) -> bool:
        return self.current_span(now) is not None

    def current_span(self, now: datetime) -> tuple[datetime, datetime] | None:
        # Compared in UTC: two datetimes in the same zone compare by wall clock, which is
        # ambiguous for the hour the autumn change repeats.
        now = now.astimezone(UTC)
        today = now.astimezone(self.zone).date()
        for start, end in self.spans(today):
            if start <= now < end:
                return start, end
        return None

    def closes_at(self, now: datetime) -> datetime | None:
        """When the office closes, if open now: spans that meet (midnight) count as one.
        None when closed now, or open around the clock."""
        span = self.current_span(now)
        if span is None or (self.weekly.always and not self.closures):
            return None
        end = span[1]
        for _ in range(SEARCH_DAYS):
            following = self.current_span(end)
            if following is None or following[1] <= end:
                return end
            end = following[1]
        return None

    def opens_at(self, now: datetime) -> datetime | None:
        """The next opening after `now`, if closed now; None when open or never again."""
        if self.is_open(now):
            return None
        now = now.astimezone(UTC)
        today = now.astimezone(self.zone).date()
        for offset in range(SEARCH_DAYS):
            for start, _ in self.spans(today + timedelta(days=offset)):
                if start > now:
                    return start
        return None

    def opens_for_whole_day(self, start: datetime | None) -> bool:
        """Whether an opening at `start` begins a day open from midnight to midnight (a
        24-hour site after a closure): "we open again Friday, all day", not "at 0:00"."""
        if start is None:
            return False
        local = start.astimezone(self.zone)
        whole_day = ((time.min, END_OF_DAY),)
        return local.time() == time.min and self.weekly.spans_on(local.weekday()) == whole_day


def office_hours(
    business_hours: Mapping[str, Any] | None,
    timezone: str,
    closures: Iterable[Mapping[str, Any]] | None = None,
) -> OfficeHours:
    """A site's stored hours and closures, parsed once per distinct text: every check-in,
    status and call-next asks about them, and they change only when a lead edits them."""
    try:
        stored = json.dumps([business_hours, list(closures or [])])
    except (TypeError, ValueError):  # not JSON: parse it as it is, every time
        return _parse_office_hours(business_hours, timezone, closures)
    return _office_hours_of_text(stored, timezone)


@functools.lru_cache(maxsize=256)
def _office_hours_of_text(stored: str, timezone: str) -> OfficeHours:
    business_hours, closures = json.loads(stored)
    return _parse_office_hours(business_hours, timezone, closures)


def _parse_office_hours(
    business_hours: Mapping[str, Any] | None,
    timezone: str,
    closures: Iterable[Mapping[str, Any]] | None,
) -> OfficeHours:
    return OfficeHours(
        WeeklyHours.from_json(business_hours), timezone, closures_from_json(closures)
    )


def is_open(business_hours: dict[str, Any], timezone: str, now: datetime) -> bool:
    """Whether `now` falls in one of the day's spans, in the site's own zone."""
    return office_hours(business_hours, timezone).is_open(now)


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The instant, in UTC (so comparisons never meet PEP 495's gap and fold rules)."""
    if clock == END_OF_DAY:
        day, clock = day + timedelta(days=1), time.min
    # A wall time the spring change skips (02:30) resolves to the instant after the gap.
    return datetime.combine(day, clock, zone).astimezone(UTC)
