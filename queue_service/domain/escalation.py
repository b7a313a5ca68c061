"""An urgent alert nobody has acknowledged is texted to the site's on-call numbers.

Every console shows an urgent alert at once, with its sound; but a manager may be in a room
with someone, or nobody may be watching a screen. So an alert still unacknowledged after the
site's time (default 2 minutes) goes, once, by text to the on-call numbers the site keeps
(work phones), and that is audited; with no number set, the audit log says so. The text
carries the office and the code only: never a name, a need or the person's number.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .lifecycle import Status

DEFAULT_ESCALATE_MINUTES = 2
ESCALATE_MINUTES_RANGE = range(1, 61)
MAX_ONCALL_NUMBERS = 5

# The alerts that escalate: still waiting for someone to see them (a person called or with
# a manager is being reached already, or was).
ESCALATES_WHILE = frozenset({Status.WAITING, Status.CALLED})


def is_due(
    *,
    urgent: bool,
    status: Status,
    raised_at: datetime,
    acknowledged_at: datetime | None,
    escalated_at: datetime | None,
    after_minutes: int,
    now: datetime,
) -> bool:
    """The rule the escalation query is built from (persistence/urgent.py; pinned by a test)."""
    return (
        urgent
        and status in ESCALATES_WHILE
        and acknowledged_at is None
        and escalated_at is None
        and raised_at <= cutoff(now, after_minutes)
    )


def cutoff(now: datetime, after_minutes: int) -> datetime:
    """Alerts raised at or before this moment are due."""
    return now - timedelta(minutes=after_minutes)


def still_needed(acknowledged_at: datetime | None) -> bool:
    """A queued escalation text that has not gone yet is dropped once someone has seen it."""
    return acknowledged_at is None


def body(site_name: str, code: str, raised_at: str) -> str:
    """The on-call text, in the staff's language (the console's: English). `raised_at`: the
    time of day it was raised, on the site's clock (the text may go late, after an outage)."""
    return (
        f"Front Door, {site_name}: urgent alert {code}, raised at {raised_at}, has not been "
        "acknowledged. Please open the console now."
    )
