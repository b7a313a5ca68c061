"""How long a waiting person can expect to wait, in whole minutes.

With
    p = the person's place in line (1 = next),
    m = case managers on duty at the site,
    b = people with a manager right now (called or in session), at most m,
    s = typical minutes one visit takes at this site (`typical_service_minutes`),
the estimate is

    free = m - b                    managers free right now
    0                               if p <= free (a free manager can call them now)
    ceil(s * (p - free - 0.5) / m)  otherwise.

The 0.5 is because a busy manager is, on average, half-way through the visit in front of
them. When nobody is on duty (m = 0) there is no estimate at all (None): no one is there to
call anyone, and a made-up number would promise what the office cannot give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

DEFAULT_SERVICE_MINUTES = 15.0
MIN_SAMPLES = 3
SERVICE_MINUTES_RANGE = (3.0, 60.0)


def typical_service_minutes(recent_durations_minutes: Sequence[float]) -> float:
    """The median of recent visit lengths, kept within a sane range.

    The median, not the mean, so that one two-hour crisis session does not make the whole
    lobby think they face a two-hour wait. Too few samples: the default.
    """
    if len(recent_durations_minutes) < MIN_SAMPLES:
        return DEFAULT_SERVICE_MINUTES
    low, high = SERVICE_MINUTES_RANGE
    return min(max(median(recent_durations_minutes), low), high)


def estimate_wait_minutes(
    position: int, *, managers_on_duty: int, busy: int, service_minutes: float
) -> int | None:
    if position < 1:
        raise ValueError("position starts at 1")
    managers = managers_on_duty
    if managers < 1:
        return None
    free = managers - min(busy, managers)
    if position <= free:
        return 0
    return math.ceil(service_minutes * (position - free - 0.5) / managers)
