"""`frontdoor serve` runs the retention purge itself, once a day per process, so an office
without cron still keeps nothing past its period. Several processes may each run it: the
second finds nothing left and writes nothing (services/retention.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from queue_service.clock import utcnow
from queue_service.persistence.database import Database
from queue_service.services import retention

EVERY = timedelta(days=1)
# A failed purge (the database away, a full disk) is tried again sooner than tomorrow, but
# not every minute: one log line an hour at most.
RETRY_AFTER = timedelta(hours=1)

log = logging.getLogger("frontdoor.purge")


class DailyPurge:
    """Call it as often as you like (the sweep does, once a minute): it purges when a day has
    passed since its last run, the first time at once."""

    def __init__(self, database: Database, pause: Callable[[], None] = lambda: None) -> None:
        self.database = database
        self.pause = pause  # between statements: the server's loop serves requests there
        self.next_at: datetime | None = None

    def __call__(self, now: datetime | None = None) -> list[retention.SitePurge] | None:
        now = now or utcnow()
        if self.next_at is not None and now < self.next_at:
            return None
        try:
            with self.database.session() as session:
                results = retention.purge(session, now, pause=self.pause)
        except Exception:  # never stops serving; the traceback names no value (hide_parameters)
            log.exception("retention purge failed; trying again in an hour")
            self.next_at = now + RETRY_AFTER
            return None
        self.next_at = now + EVERY
        for result in results:
            if result.removed_anything:  # counts only, never a value
                log.info("retention purge at %s: %s", result.site, result.summary())
        return results
