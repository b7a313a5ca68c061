"""Business hours: when a site office promises a case manager on duty (104 CMR 29.05)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def is_open(business_hours: dict[str, Any], timezone: str, now: datetime) -> bool:
    """Whether `now` falls in one of the day's [start, end) spans, in the site's own zone."""
    local = now.astimezone(ZoneInfo(timezone))
    spans = business_hours.get(DAY_KEYS[local.weekday()]) or []
    moment = local.time().replace(tzinfo=None)
    try:
        return any(_clock(start) <= moment < _clock(end) for start, end in spans)
    except (TypeError, ValueError):
        return False  # hours a site mis-typed must not break the console; treated as closed


def _clock(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    return time.max if (hours, minutes) == (24, 0) else time(hours, minutes)
