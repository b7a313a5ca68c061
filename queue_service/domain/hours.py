"""Office hours: when a site office promises a case manager on duty (104 CMR 29.05).

A site's weekly hours are written as a SPEC, in the site's own time zone:

    always                                  open around the clock
    mon-fri 09:00-17:00, sat 10:00-13:00     day groups, each with one or more spans
    mon-thu 08:30-12:00 13:00-17:00

Spans are wall-clock times, so 09:00 stays 09:00 across the daylight-saving changes (the
day itself is then 23 or 25 hours long). A span ends at or before midnight (`24:00` is the
end of the day); an office open past midnight writes the next day's part on that day. A
dated closure (a holiday, a training day) closes the whole local day.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_SPEC = "mon-fri 09:00-17:00"
ALWAYS = "always"
# No weekly hours: open only while someone is on duty (spec() of an empty week).
NEVER = "closed"
CLOSURE_REASON_MAX = 120
CLOSURES_MAX = 400
# How far ahead the next opening is looked for: past this, a site is "closed until further
# notice" (e.g. every day closed by dated closures).
SEARCH_DAYS = 400
END_OF_DAY = time.max

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_GROUP = re.compile(r"^(?P<days>[a-z]{3}(?:-[a-z]{3})?)\s+(?P<spans>.+)$")

Span = tuple[time, time]


@dataclass(frozen=True)
class Closure:
    on: date
    reason: str = ""


@dataclass(frozen=True)
class WeeklyHours:
    """Open spans for each weekday (0 = Monday), in local wall-clock time."""

    days: tuple[tuple[Span, ...], ...]

    @property
    def always(self) -> bool:
        return all(spans == ((time.min, END_OF_DAY),) for spans in self.days)

    def spans_on(self, weekday: int) -> tuple[Span, ...]:
        return self.days[weekday]

    @functools.lru_cache(maxsize=64)  # noqa: B019 (weeks are few, immutable and hashable)
    def spec(self) -> str:
        """The canonical SPEC text: equal weeks give equal text."""
        if self.always:
            return ALWAYS
        groups: list[str] = []
        index = 0
        while index < 7:
            spans = self.days[index]
            end = index
            while end + 1 < 7 and self.days[end + 1] == spans:
                end += 1
            if spans:
                days = DAY_KEYS[index] if end == index else f"{DAY_KEYS[index]}-{DAY_KEYS[end]}"
                groups.append(f"{days} " + " ".join(_span_text(s) for s in spans))
            index = end + 1
        return ", ".join(groups) if groups else NEVER

    def to_json(self) -> dict[str, list[list[str]]]:
        """As stored in `site.business_hours`: {"mon": [["09:00", "17:00"]], …}; absent = closed."""
        return {
            DAY_KEYS[i]: [[_clock_text(a), _clock_text(b)] for a, b in spans]
            for i, spans in enumerate(self.days)
            if spans
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, Any] | None) -> WeeklyHours:
        """Tolerant of what older versions stored: a mistyped day is closed, never an error."""
        days: list[tuple[Span, ...]] = []
        for key in DAY_KEYS:
            spans: list[Span] = []
            for pair in (stored or {}).get(key) or []:
                try:
                    start, end = (_clock(str(part)) for part in pair)
                except (TypeError, ValueError):
                    continue
                if start < end:
                    spans.append((start, end))
            days.append(tuple(sorted(spans)))
        return cls(tuple(days))


def parse_spec(text: object) -> WeeklyHours:
    """A SPEC as WeeklyHours, or ValueError saying, in plain words, what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"Write the hours like '{DEFAULT_SPEC}', or 'always'.")
    spec = " ".join(text.lower().split())
    if spec == ALWAYS:
        return WeeklyHours(tuple(((time.min, END_OF_DAY),) for _ in DAY_KEYS))
    if spec == NEVER:
        return WeeklyHours(tuple(() for _ in DAY_KEYS))
    days: list[list[Span]] = [[] for _ in DAY_KEYS]
    for group in (g.strip() for g in spec.split(",")):
        match = _GROUP.match(group)
        if not match:
            raise ValueError(f"'{group}' is not a day and times, e.g. 'mon-fri 09:00-17:00'.")
        for weekday in _day_range(match["days"]):
            for span_text in match["spans"].split():
                days[weekday].append(_span(span_text))
    for weekday, spans in enumerate(days):
        spans.sort()
        for (_, end), (start, _) in pairwise(spans):
            if start < end:
                raise ValueError(f"The times on {DAY_KEYS[weekday]} overlap.")
    return WeeklyHours(tuple(tuple(spans) for spans in days))


def parse_closures(value: object) -> tuple[Closure, ...]:
    """[{"date": "YYYY-MM-DD", "reason": "…"}] → Closures, sorted, one per date."""
    if not isinstance(value, list):
        raise ValueError('A list such as [{"date": "2026-12-25", "reason": "Holiday"}].')
    if len(value) > CLOSURES_MAX:
        raise ValueError(f"At most {CLOSURES_MAX} closures.")
    found: dict[date, Closure] = {}
    for item in value:
        if not isinstance(item, Mapping) or set(item) - {"date", "reason"}:
            raise ValueError('Each closure is {"date": "YYYY-MM-DD", "reason": "…"}.')
        try:
            on = date.fromisoformat(str(item.get("date")))
        except ValueError:
            raise ValueError(f"'{item.get('date')}' is not a date (YYYY-MM-DD).") from None
        reason = item.get("reason") or ""
        if not isinstance(reason, str) or len(reason.strip()) > CLOSURE_REASON_MAX:
            raise ValueError(f"A closure's reason is text of at most {CLOSURE_REASON_MAX}.")
        found[on] = Closure(on, " ".join(reason.split()))
    return tuple(sorted(found.values(), key=lambda c: c.on))


def closures_from_json(stored: Iterable[Mapping[str, Any]] | None) -> tuple[Closure, ...]:
    try:
        return parse_closures(list(stored or []))
    except ValueError:
        return ()


def closures_to_json(closures: Sequence[Closure]) -> list[dict[str, str]]:
    return [{"date": c.on.isoformat(), "reason": c.reason} for c in closures]


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


def _day_range(text: str) -> list[int]:
    first, _, last = text.partition("-")
    try:
        start = DAY_KEYS.index(first)
        end = DAY_KEYS.index(last or first)
    except ValueError:
        raise ValueError(f"'{text}': days are mon, tue, wed, thu, fri, sat, sun.") from None
    if end < start:
        raise ValueError(f"'{text}': write the days in week order, e.g. 'mon-fri'.")
    return list(range(start, end + 1))


def _span(text: str) -> Span:
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise ValueError(f"'{text}' is not a time span, e.g. '09:00-17:00'.")
    start, end = _clock(start_text), _clock(end_text)
    if start == END_OF_DAY or not start < end:
        raise ValueError(f"'{text}': the span must end after it starts, by 24:00.")
    return start, end


def _clock(text: str) -> time:
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a time (HH:MM, 24-hour).")
    hours, minutes = int(match[1]), int(match[2])
    if hours == 24:
        if minutes:
            raise ValueError(f"'{text}' is not a time (HH:MM, 24-hour).")
        return END_OF_DAY
    return time(hours, minutes)


def _clock_text(clock: time) -> str:
    return "24:00" if clock == END_OF_DAY else clock.strftime("%H:%M")


def _span_text(span: Span) -> str:
    return f"{_clock_text(span[0])}-{_clock_text(span[1])}"
