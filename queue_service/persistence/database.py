"""The database: one engine, sessions, and write transactions that never race.

SQLite (the embedded default) gets WAL so readers never block the writer, a busy timeout
for other processes (the CLI, a second server), and write transactions that take the write
lock up front (BEGIN IMMEDIATE) so two writers can never both read a value and then both
write. Inside one process, writers also queue on a lock: SQLite's own busy handler sleeps
in C in growing steps, which both stalls a gevent server and wrecks tail latency, whereas a
lock hands over the moment the previous writer commits.

PostgreSQL needs none of this: its row locks and the version checks in the models do it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from .failures import OutageLog

Publisher = Callable[[Iterable[object]], None]

_IMMEDIATE = "frontdoor_immediate"
BUSY_TIMEOUT_MS = 15_000
# A TRUNCATE checkpoint holds up writers while it waits for readers: this long at most,
# after a purge (milliseconds) and in the server's checkpoint thread (seconds).
CUT_WAIT_MS = 1_000
BACKGROUND_CUT_WAIT = 0.1
# The server's checkpoint thread cuts the WAL every this many checkpoints (seconds).
CUT_EVERY = 300
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock_for(url: str) -> threading.Lock:
    """One lock per database file per process, however many Database objects point at it."""
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(url, threading.Lock())


class Database:
    def __init__(self, url: str, *, publish: Publisher | None = None, echo: bool = False):
        self.url = url
        # Set by the server (start_checkpoints): commits then never run a WAL checkpoint.
        self.checkpoints_in_background = False
        self.closed = False
        self.engine: Engine = _make_engine(url, echo=echo, owner=self)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            keep_private(self.engine.url.database)
        self.write_lock = _write_lock_for(url)
        # Short-lived figures a process may reuse (see services.views); never correctness-bearing.
        self.memo: dict[object, object] = {}
        self.sessions = sessionmaker(
            self.engine,
            expire_on_commit=False,
            info={"database": self, "publish": publish or (lambda events: None)},
        )

    def session(self) -> Session:
        return self.sessions()

    def set_publisher(self, publish: Publisher) -> None:
        self.sessions.kw["info"]["publish"] = publish

    def dispose(self) -> None:
        self.closed = True  # the checkpoint thread ends at its next tick
        self.engine.dispose()

    def erase_wal(self) -> bool:
        """Copy SQLite's WAL into the database file and cut it to zero bytes (a no-op on
        PostgreSQL): the WAL still holds pages as they were before an erasure. False when a
        reader held it up; the next call finishes the job."""
        if not self.is_sqlite:
            return True
        with self.engine.connect() as connection:
            # It holds up writers while it waits for readers: a second at most, not the 15 s
            # a write waits; the server's checkpoint thread cuts the WAL again soon anyway.
            connection.exec_driver_sql(f"PRAGMA busy_timeout={CUT_WAIT_MS}")
            try:
                busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            finally:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return busy == 0

    def start_checkpoints(
        self,
        start_thread: Callable[[Callable[[], None]], object],
        every: float = 1.0,
        cut_every: int = CUT_EVERY,
    ) -> None:
        """Move SQLite's WAL checkpoints off the request path (a no-op on PostgreSQL).

        By default the commit that fills the WAL runs the checkpoint, fsync included, while
        every other request waits: on a gevent server that is a stall for all connections.
        Here a real OS thread (SQLite releases the GIL) checkpoints once a second instead;
        PASSIVE never blocks readers or writers. `start_thread` must start an OS thread.

        Every `cut_every` checkpoints it is a TRUNCATE instead, which also cuts the WAL to
        zero bytes: the WAL keeps pages as they were before an erasure (a phone at the close)
        until they are overwritten, and this bounds how long. It holds up writers while it
        waits for readers, so it waits 0.1 s at most and is tried again next time.
        """
        if not self.is_sqlite or self.checkpoints_in_background:
            return
        self.checkpoints_in_background = True
        self.engine.dispose()  # reconnect with autocheckpoint off

        path = self.engine.url.database

        def loop() -> None:
            # Its own plain connection: the pool's locks may be gevent's, unsafe in an OS thread.
            import sqlite3
            import time

            # PASSIVE never waits; the timeout is how long a TRUNCATE may hold up writers.
            connection = sqlite3.connect(path, timeout=BACKGROUND_CUT_WAIT, check_same_thread=False)
            # A full disk or read-only mount fails every second: one line when it starts,
            # a reminder a minute, one when it ends.
            outage = OutageLog(logging.getLogger(__name__), "WAL checkpoint")
            ticks = 0
            while not self.closed:
                time.sleep(every)
                ticks += 1
                mode = "TRUNCATE" if ticks % cut_every == 0 else "PASSIVE"
                try:
                    connection.execute(f"PRAGMA wal_checkpoint({mode})")
                except sqlite3.Error as error:  # a missed checkpoint is retried next second
                    outage.failed(error)
                else:
                    outage.succeeded()

        start_thread(loop)


def keep_private(path: str | None) -> None:
    """The SQLite file and its -wal and -shm, readable by the owner alone (600), made so before
    SQLite first opens it; older installs' files are tightened. SQLite gives -wal and -shm the
    database file's own mode when it makes them."""
    if not path or path == ":memory:" or not os.path.isdir(os.path.dirname(path) or "."):
        return
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name) and os.stat(name).st_mode & 0o077:
            os.chmod(name, 0o600)


def _make_engine(url: str, *, echo: bool, owner: Database) -> Engine:
    # hide_parameters: a database error's message (logged, and sometimes shown to an operator)
    # never carries the values, which are names, phone numbers and notes.
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": 15, "check_same_thread": False},
            pool_size=20,
            max_overflow=40,
        )
        _configure_sqlite(engine, owner)
        return engine
    return create_engine(
        url, echo=echo, hide_parameters=True, pool_size=20, max_overflow=20, pool_pre_ping=True
    )


def _configure_sqlite(engine: Engine, owner: Database) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
            "journal_size_limit=67108864",
            # What is erased (a phone at the close, a name at the purge) is overwritten with
            # zeros in the page, not left in free space for a file reader to find.
            "secure_delete=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        if owner.checkpoints_in_background:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # Writes take the write lock up front. Reads run without an explicit transaction:
        # each SELECT is atomic and sees the latest commit, and nothing reads, decides and
        # writes outside begin_write(), so a BEGIN/COMMIT pair around reads buys nothing.
        if conn.get_execution_options().get(_IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
