"""The site leads' reports: what each figure means, as plain rules the queries are built from
and the tests hand-compute against.

- A day is the site's local service day; its hours are those in force that day.
- Wait: check-in to the visit's first call. Service time: the start of the session (or,
  for a call-back that ends on the phone, the call) to its end; a session the day close
  ended with nothing recorded is neither served nor measured (it counts as not_recorded).
- Left without being seen: every visit that ended as "left" (the person's own leaving, or
  the day's close while they still waited: left_at_day_close). Everything the day close
  ended, called no-shows included, is day_closed.
- Time to reach an urgent person: from asking for help to the first contact after it (a
  manager seeing the alert, or a call); a lead's follow-up on a later day is not one.
- Coverage: report_coverage.py. A report is of days that have come (not_after_today).
- Percentiles are interpolated between the two nearest ranks (PostgreSQL's percentile_cont).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from .errors import ValidationFailed
from .office_hours import OfficeHours

MEDIAN, P90 = 5, 9  # percentiles, in tenths: the queries select only the ranks around them
# The longest range one report covers (a year and a day: a leap year's whole year).
MAX_RANGE_DAYS = 366
# Wait distribution buckets, in minutes: each is [lower, next lower); the last is open.
WAIT_BUCKETS = (0, 5, 10, 15, 30, 45, 60, 90, 120)
# No office ran Front Door before this; it also keeps every date sum inside the calendar.
EARLIEST_DAY = date(2000, 1, 1)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants a local day runs between (23 or 25 hours on the clock-change days)."""
    start = datetime.combine(day, time.min, zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end


# A day's figures can still change for a while after it ends (texts' delivery reports, a
# shift ended when its sign-in lapsed, the day close itself): kept only after this.
SETTLE_AFTER = timedelta(days=1)


def is_settled(day: date, zone: ZoneInfo, now: datetime) -> bool:
    return now >= day_bounds(day, zone)[1] + SETTLE_AFTER


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def parse_day(value: object, field: str) -> date:
    if value is None or value == "":
        raise ValidationFailed("Give the date.", fields={field: "Required, as YYYY-MM-DD."})
    # fromisoformat alone would also take week dates (2026-W10-2) and compact forms.
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValidationFailed("Give the date as YYYY-MM-DD.", fields={field: "YYYY-MM-DD."})
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            "That is not a date on the calendar.", fields={field: "A real date, YYYY-MM-DD."}
        ) from None
    if day < EARLIEST_DAY:
        raise ValidationFailed(
            f"Reports begin on {EARLIEST_DAY.isoformat()}.",
            fields={field: f"{EARLIEST_DAY.isoformat()} or later."},
        )
    return day


def not_after_today(day: date, today: date, field: str) -> None:
    """A report is of what has happened: a day still to come has no figures to show."""
    if day > today:
        raise ValidationFailed(
            "That day has not come yet.",
            fields={field: f"{today.isoformat()} (today) or earlier."},
        )


def parse_range(first: object, last: object) -> tuple[date, date]:
    start, end = parse_day(first, "from"), parse_day(last, "to")
    if end < start:
        raise ValidationFailed(
            "The range ends before it starts.", fields={"to": "On or after from."}
        )
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValidationFailed(
            f"A report covers at most {MAX_RANGE_DAYS} days.",
            fields={"to": f"At most {MAX_RANGE_DAYS - 1} days after from."},
        )
    return start, end


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The same number of days just before: a week against the week before it."""
    length = (last - first).days + 1
    return first - timedelta(days=length), first - timedelta(days=1)


def percentile(values_at: dict[int, float], count: int, tenths: int) -> float | None:
    """The interpolated percentile from the values at the ranks around it (0-based ranks,
    as the query selected them); None when there is nothing to measure."""
    if count == 0:
        return None
    scaled = (count - 1) * tenths
    lower, remainder = divmod(scaled, 10)
    low = values_at[lower]
    if remainder == 0:
        return low
    return low + (values_at[lower + 1] - low) * remainder / 10


def change(current: float | None, before: float | None) -> dict[str, float | None]:
    """A figure beside the previous period's: the difference, and the percentage when the
    previous figure is not zero (a rise from nothing has no percentage)."""
    if current is None or before is None:
        return {"value": current, "previous": before, "change": None, "change_pct": None}
    diff = current - before
    pct = round(100 * diff / before, 1) if before else None
    return {"value": current, "previous": before, "change": round(diff, 1), "change_pct": pct}


def wait_bucket_labels() -> list[str]:
    labels = [f"{low} to {high} min" for low, high in pairwise(WAIT_BUCKETS)]
    return [*labels, f"over {WAIT_BUCKETS[-1]} min"]


def utc_offsets(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offset (seconds) from each instant on, over [start, end): one entry, or
    one more per clock change. Databases without time zones shift times by these."""

    def offset(at: datetime) -> int:
        return int(at.astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]

    found = [(start, offset(start))]
    at = start
    while at < end:
        step = min(at + timedelta(hours=1), end)
        if offset(step) != found[-1][1]:
            low, high = at, step  # the change is in (low, high]: find its minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if offset(mid) == found[-1][1]:
                    low = mid
                else:
                    high = mid
            found.append((high.replace(second=0, microsecond=0), offset(high)))
        at = step
    return found


def hours_on(versions: Sequence[tuple[datetime, OfficeHours]], day: date) -> OfficeHours:
    """The hours in force on `day`: the last set before the day ended (a change made during
    a day is that day's hours), or the first known for a day before any was set."""
    chosen = versions[0][1]
    for since, hours in versions:
        if since < day_bounds(day, hours.zone)[1]:
            chosen = hours
    return chosen


# A site-day's figures, in this order: the range report's days and its CSV columns (the
# README's "Reports" documents each). Counts add up over a range; durations do not (a
# range's median is the median of all its visits, not of its days' medians).
COUNTS = (
    "checkins",
    "served",
    "no_show",
    "left",
    "cancelled",
    "day_closed",
    "left_at_day_close",
    "not_recorded",
    "unreachable",
    "still_open",
    "left_without_being_seen",
    "urgent",
    "urgent_not_seen",
    "urgent_followed_up",
    "urgent_not_followed_up",
    "first_time",
    "returning",
    "not_recognised",
    "crisis_referrals",
    "cases_opened",
    "cases_reviewed",
    "cases_closed",
    "texts_sent",
    "texts_delivered",
    "texts_failed",
    "texts_pending",
    "open_minutes",
    "uncovered_minutes",
    "waiting_unstaffed_minutes",
)
DURATIONS = (
    "wait_median_min",
    "wait_p90_min",
    "service_median_min",
    "service_p90_min",
    "urgent_contact_median_min",
    "urgent_contact_p90_min",
)
MEASURES = COUNTS + DURATIONS


def was_open(day: dict[str, Any]) -> bool:
    """A day that counts in the averages: business hours (since the site began), or visits."""
    return bool(day.get("open_minutes") or day.get("checkins"))


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def add_up(rows: Iterable[dict[str, float | None]]) -> dict[str, float]:
    """The counts of several days together (durations are measured over the range)."""
    total = dict.fromkeys(COUNTS, 0.0)
    for row in rows:
        for name in COUNTS:
            total[name] += row.get(name) or 0
    return {
        k: round(v, 1) if isinstance(v, float) and not v.is_integer() else int(v)
        for k, v in total.items()
    }
