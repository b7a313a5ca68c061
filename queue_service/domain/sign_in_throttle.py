"""How much guessing a sign-in allows: per account (from every address at once) and per
address (across every account), with delays that grow instead of a lock.

A hard lock would let a stranger who knows a manager's e-mail keep them out all day, and
behind an office's single NAT address keep everyone out. A delay that doubles from a small
start costs a real person who mistyped half a minute, and a guesser nearly everything:
past the free tries, each further guess waits twice as long as the one before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Scope(StrEnum):
    ACCOUNT = "account"  # the e-mail typed, known account or not (so nothing tells them apart)
    ADDRESS = "address"  # where the request came from


@dataclass(frozen=True)
class Allowance:
    free_failures: int  # failures before any delay
    first_delay: timedelta  # the delay after the last free failure; it doubles after each more
    longest_delay: timedelta
    forget_after: timedelta  # quiet this long after the last failure, the count starts again

    def delay_after(self, failures: int) -> timedelta:
        """How long after the `failures`-th failure in a row the next try must wait."""
        if failures < self.free_failures:
            return timedelta(0)
        doublings = failures - self.free_failures
        if doublings >= 32:  # far past the cap; 2**n would only grow
            return self.longest_delay
        return min(self.first_delay * (2**doublings), self.longest_delay)


ALLOWANCES: dict[Scope, Allowance] = {
    # An account is one person: 5 tries, then 30 s, 1 min, 2 min … at most 15 min apart.
    # A successful sign-in starts the count again.
    Scope.ACCOUNT: Allowance(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=24)),
    # An address may be a whole office behind one NAT, everyone mistyping now and then:
    # more free failures, and the count fades after an hour of quiet.
    Scope.ADDRESS: Allowance(20, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1)),
}


def wait_in_words(until: datetime, now: datetime) -> str:
    """ "45 seconds", "3 minutes": how long until `until`, rounded up, for a person."""
    seconds = max(1, math.ceil((until - now).total_seconds()))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
