"""The one place the core reads the time, so tests can pass their own."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_day(now: datetime, tz: str) -> date:
    """The site's service day: the calendar date in the site's own time zone."""
    return now.astimezone(ZoneInfo(tz)).date()
