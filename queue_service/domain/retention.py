"""How long a site keeps what identifies a person, and which values are valid.

Plain Python: the site settings (API, page, command line) and the purge share this one rule.
"""

from __future__ import annotations

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
        raise InvalidRetention("must be a whole number of days")
    if not MIN_RETENTION_DAYS <= value <= MAX_RETENTION_DAYS:
        raise InvalidRetention(
            f"must be between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS} days"
        )
    return value
