"""A day's coverage and line, from its levels: how many waited and how many were on duty
from each moment on (persistence.report_moments sums them in the database).

- Coverage: minutes of business hours with no case manager on duty; minutes (at any hour)
  with someone waiting and nobody on duty; only over the part of the day that is known
  (from the site's start until now).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

LINE_SAMPLE = timedelta(minutes=15)


@dataclass(frozen=True)
class Level:
    """From `at` on (until the next level), this many people waiting and on duty."""

    at: datetime
    waiting: int
    on_duty: int


@dataclass(frozen=True)
class Coverage:
    open_minutes: float
    uncovered_minutes: float  # within business hours, nobody on duty
    waiting_unstaffed_minutes: float  # anyone waiting, nobody on duty, at any hour

    def to_json(self) -> dict[str, float]:
        return {
            "open_minutes": round(self.open_minutes, 1),
            "uncovered_minutes": round(self.uncovered_minutes, 1),
            "waiting_unstaffed_minutes": round(self.waiting_unstaffed_minutes, 1),
        }


def segments(
    levels: Sequence[Level], start: datetime, end: datetime
) -> Iterable[tuple[datetime, datetime, Level]]:
    """The levels as spans clipped to [start, end): before the first level, nobody."""
    current = Level(start, 0, 0)
    for level in levels:
        if level.at > start:
            upto = min(level.at, end)
            if upto > max(current.at, start):
                yield max(current.at, start), upto, current
        current = level
        if level.at >= end:
            return
    if end > max(current.at, start):
        yield max(current.at, start), end, current


def coverage(
    levels: Sequence[Level],
    day: tuple[datetime, datetime],
    open_spans: Sequence[tuple[datetime, datetime]],
    known: tuple[datetime, datetime] | None = None,
) -> Coverage:
    """A day's coverage from its levels (sorted by `at`) and its business-hour spans, over
    the part of the day that is `known`: from the site's start to now, so that hours still
    to come today, or before the site used Front Door, never count as nobody on duty."""
    if known is not None:
        day = _clip(day, known)
        open_spans = [s for s in (_clip(span, known) for span in open_spans) if s[1] > s[0]]
    if day[1] <= day[0]:
        return Coverage(0.0, 0.0, 0.0)
    open_minutes = sum((b - a).total_seconds() for a, b in open_spans) / 60
    uncovered = 0.0
    for span_start, span_end in open_spans:
        for a, b, level in segments(levels, span_start, span_end):
            if level.on_duty <= 0:
                uncovered += (b - a).total_seconds() / 60
    unstaffed = sum(
        (b - a).total_seconds() / 60
        for a, b, level in segments(levels, *day)
        if level.waiting > 0 and level.on_duty <= 0
    )
    return Coverage(open_minutes, uncovered, unstaffed)


def _clip(
    span: tuple[datetime, datetime], within: tuple[datetime, datetime]
) -> tuple[datetime, datetime]:
    start = max(span[0], within[0])
    return start, max(start, min(span[1], within[1]))


def line_samples(
    levels: Sequence[Level], day: tuple[datetime, datetime]
) -> list[tuple[datetime, int]]:
    """How many were waiting at each quarter hour of the day (the line-length chart)."""
    samples = []
    at, i, waiting = day[0], 0, 0
    while at < day[1]:
        while i < len(levels) and levels[i].at <= at:
            waiting = levels[i].waiting
            i += 1
        samples.append((at, max(waiting, 0)))
        at += LINE_SAMPLE
    return samples


def peak_line(
    levels: Sequence[Level], day: tuple[datetime, datetime]
) -> tuple[int, datetime | None]:
    """The longest the line was that day, and when it first was."""
    best, when = 0, None
    for a, _b, level in segments(levels, *day):
        if level.waiting > best:
            best, when = level.waiting, a
    return best, when
