"""How long a site keeps what identifies a person, and which values are valid.

Plain Python: the site settings (API, page, command line) and the purge share this one rule.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .history import Actor, AuditAction

DEFAULT_RETENTION_DAYS = 30
MIN_RETENTION_DAYS = 1
# Ten years: longer than any records schedule a public office would ask of a walk-in log.
MAX_RETENTION_DAYS = 3650


class InvalidRetention(ValueError):
    """A retention period outside the allowed range (or not a whole number of days)."""


def validate_retention_days(value: object) -> int:
    """The period as a whole number of days, or InvalidRetention saying what is allowed."""
    # bool is an int in Python; `true` days is a mistake, not 1 day.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRetention(
            f"must be a whole number of days, from {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS}"
        )
    if not MIN_RETENTION_DAYS <= value <= MAX_RETENTION_DAYS:
        raise InvalidRetention(
            f"must be between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS} days"
        )
    return value


def purge_cutoff(now: datetime, timezone: str, days: int) -> datetime:
    """Visits that closed before this moment (UTC) have their personal values purged.

    Counted in whole local days: a visit that closed on the site's local date D keeps them
    through the end of local day D + `days`, and loses them from the local midnight that
    starts day D + `days` + 1. Local midnights, not multiples of 24 hours, so a daylight-
    saving change inside the period moves the moment by an hour, not the day.
    """
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    return datetime.combine(today - timedelta(days=days), time.min, zone).astimezone(UTC)


# Audit entries whose `origin` is a visitor's own address (a kiosk, a person's phone): every
# entry the visitor made, and the system's burst alert, which names the address it reacted to.
# A staff member's address stays: it is the record of who did what from where.
VISITOR_ACTOR = Actor.VISITOR
SYSTEM_ACTIONS_WITH_A_VISITORS_ADDRESS = frozenset({AuditAction.ALERT_BURST})
