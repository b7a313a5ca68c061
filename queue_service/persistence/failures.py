"""Which database failures mean "the database cannot serve right now", and quiet logging of
a failure that repeats.

A full disk, a read-only file system, a lost or restarting server: nothing was written (the
transaction rolled back), and the same request will work once the operator has fixed it, so
callers answer 503 and ask for a retry. Anything else (a missing table, a bad statement) is
a bug and must stay loud.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

# SQLite's primary result codes for a database that is there but cannot be used right now.
_SQLITE_UNAVAILABLE = frozenset(
    {
        5,  # SQLITE_BUSY: another process holds the write lock past the busy timeout
        6,  # SQLITE_LOCKED
        7,  # SQLITE_NOMEM
        8,  # SQLITE_READONLY: read-only file, folder or mount
        10,  # SQLITE_IOERR
        13,  # SQLITE_FULL: the disk (or max_page_count) is full
        14,  # SQLITE_CANTOPEN
        15,  # SQLITE_PROTOCOL
    }
)
# PostgreSQL SQLSTATE prefixes: connection exceptions (08), insufficient resources such as
# a full disk (53), operator intervention such as a shutdown or a terminated backend (57P),
# and a read-only transaction (25006, on a standby or with default_transaction_read_only).
_POSTGRES_UNAVAILABLE = ("08", "53", "57P", "25006")


def database_unavailable(error: BaseException) -> bool:
    """True for a database failure that a retry after recovery would get past."""
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in _SQLITE_UNAVAILABLE
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(_POSTGRES_UNAVAILABLE):
        return True
    # psycopg's OperationalError without a SQLSTATE: the client lost the connection itself.
    return type(error).__module__.startswith("psycopg") and _is_operational(error)


def _is_operational(error: BaseException) -> bool:
    import psycopg

    return isinstance(error, psycopg.OperationalError)


class OutageLog:
    """Logs a failure that repeats (every second, say) once when it starts, a reminder at most
    every `remind_seconds` while it lasts, and once when it ends: one line each, never a
    traceback, so a full disk does not also fill the log."""

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        *,
        remind_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = log
        self._what = what
        self._remind_seconds = remind_seconds
        self._clock = clock
        self._since: float | None = None
        self._last_said = 0.0
        self._failures = 0

    def failed(self, error: BaseException) -> None:
        now = self._clock()
        self._failures += 1
        reason = _reason(error)
        if self._since is None:
            self._since = self._last_said = now
            self._log.warning("%s failing: %s", self._what, reason)
        elif now - self._last_said >= self._remind_seconds:
            self._last_said = now
            self._log.warning(
                "%s still failing after %d s (%d tries): %s",
                self._what, now - self._since, self._failures, reason,
            )  # fmt: skip

    def succeeded(self) -> None:
        if self._since is None:
            return
        self._log.warning(
            "%s working again after %d s (%d failed tries)",
            self._what, self._clock() - self._since, self._failures,
        )  # fmt: skip
        self._since = None
        self._failures = 0


def _reason(error: BaseException) -> str:
    """The error's kind and first line: database messages carry no values (hide_parameters)."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line}"
