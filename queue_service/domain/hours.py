"""Office hours: when a site office promises a case manager on duty (104 CMR 29.05).

A site's weekly hours are written as a SPEC, in the site's own time zone:

    always                                  open around the clock
    mon-fri 09:00-17:00, sat 10:00-13:00     day groups, each with one or more spans
    mon-thu 08:30-12:00 13:00-17:00

Spans are wall-clock times, so 09:00 stays 09:00 across the daylight-saving changes (the
day itself is then 23 or 25 hours long). A span ends at or before midnight (`24:00` is the
end of the day); an office open past midnight writes the next day's part on that day. A
dated closure (a holiday, a training day) closes the whole local day.

This module reads and writes the SPEC and the closures; office_hours asks them about
moments in time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from itertools import pairwise
from typing import Any

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_SPEC = "mon-fri 09:00-17:00"
ALWAYS = "always"
# No weekly hours: open only while someone is on duty (spec() of an empty week).
NEVER = "closed"
CLOSURE_REASON_MAX = 120
CLOSURES_MAX = 400
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
        if not group:
            raise ValueError("There is a comma with nothing after it (or two in a row).")
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
            raise ValueError(
                f"A closure's reason is text of at most {CLOSURE_REASON_MAX} characters."
            )
        found[on] = Closure(on, " ".join(reason.split()))
    return tuple(sorted(found.values(), key=lambda c: c.on))


def closures_from_json(stored: Iterable[Mapping[str, Any]] | None) -> tuple[Closure, ...]:
    try:
        return parse_closures(list(stored or []))
    except ValueError:
        return ()


def closures_to_json(closures: Sequence[Closure]) -> list[dict[str, str]]:
    return [{"date": c.on.isoformat(), "reason": c.reason} for c in closures]


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
