"""A database that cannot write (full disk, read-only, lost or read-only PostgreSQL) is a 503
in the contract's shape with Retry-After, never a 500; nothing is half-written, and the
kiosk's retry with the same Idempotency-Key after recovery makes exactly one ticket."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from queue_service.models import AuditEntry, Ticket
from queue_service.persistence.database import Database
from queue_service.persistence.failures import OutageLog, database_unavailable


@dataclass(frozen=True)
class Outage:
    dialect: str
    # Given the app's engine and the test database's URL: breaks the database until exit.
    start: Callable[[Engine, str], contextmanager]


@contextmanager
def _on_every_new_connection(engine: Engine, statement: Callable[[object], str]) -> Iterator[None]:
    """Each connection opened from now on runs `statement` first (the pool is emptied, so
    every request gets one): a disk that goes read-only or full while the server runs."""

    def run(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute(statement(cursor))
        cursor.close()

    event.listen(engine, "connect", run)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", run)
        engine.dispose()


def _sqlite_read_only(engine: Engine, _url: str):  # type: ignore[no-untyped-def]
    # SQLITE_READONLY, "attempt to write a readonly database", as from a read-only mount.
    return _on_every_new_connection(engine, lambda _cursor: "PRAGMA query_only = 1")


def _sqlite_full(engine: Engine, _url: str):  # type: ignore[no-untyped-def]
    # SQLITE_FULL, "database or disk is full", exactly as a full disk raises it: the file may
    # not grow by a single page.
    def cap(cursor) -> str:  # type: ignore[no-untyped-def]
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        return f"PRAGMA max_page_count = {pages}"

    return _on_every_new_connection(engine, cap)


def _postgres_read_only(engine: Engine, _url: str):  # type: ignore[no-untyped-def]
    # ReadOnlySqlTransaction (25006): an InternalError, not an OperationalError.
    return _on_every_new_connection(engine, lambda _c: "SET default_transaction_read_only = on")


@contextmanager
def _postgres_disk_full(_engine: Engine, url: str) -> Iterator[None]:
    # What PostgreSQL raises when it cannot extend a file: SQLSTATE 53100 (disk_full).
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text("""
            CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'
                  USING ERRCODE = 'disk_full'; END $$;
            CREATE TRIGGER test_disk_full BEFORE INSERT ON ticket
                FOR EACH ROW EXECUTE FUNCTION test_disk_full();
        """))  # fmt: skip
    try:
        yield
    finally:
        with admin.begin() as conn:
            conn.execute(text("DROP TRIGGER test_disk_full ON ticket"))
            conn.execute(text("DROP FUNCTION test_disk_full()"))
        admin.dispose()


@contextmanager
def _postgres_connection_lost(engine: Engine, url: str) -> Iterator[None]:
    # The server ends the request's connection in the middle of its transaction, as a
    # restart or an operator's pg_terminate_backend does (57P01, then a dead socket).
    admin = create_engine(url)

    def terminate(conn, _cursor, statement, *_):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO TICKET "):
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(engine, "before_cursor_execute", terminate)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", terminate)
        admin.dispose()


OUTAGES = {
    "sqlite read-only": Outage("sqlite", _sqlite_read_only),
    "sqlite disk full": Outage("sqlite", _sqlite_full),
    "postgresql read-only": Outage("postgresql", _postgres_read_only),
    "postgresql disk full": Outage("postgresql", _postgres_disk_full),
    "postgresql connection lost": Outage("postgresql", _postgres_connection_lost),
}


@pytest.fixture(params=list(OUTAGES))
def outage(request, app, database_url):  # type: ignore[no-untyped-def]
    """outage(): a context in which the app's database cannot write."""
    chosen = OUTAGES[request.param]
    if not database_url.startswith(chosen.dialect):
        pytest.skip(f"a {chosen.dialect} failure")
    engine = app.extensions["frontdoor"].database.engine
    return lambda: chosen.start(engine, database_url)


def _counts(database) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Ticket)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def _keyed(api, key: str):  # type: ignore[no-untyped-def]
    return api.check_in(language="es", phone="617 555 0123", headers={"Idempotency-Key": key})


def test_a_check_in_during_an_outage_is_a_503_and_its_retry_makes_one_ticket(
    api, north, database, outage, assert_contract_error, caplog
):
    _keyed(api, str(uuid.uuid4()))  # the office was working this morning
    before = _counts(database)
    key = str(uuid.uuid4())
    with outage():
        # A full disk may still take a row or two into pages it already has: keep the
        # lobby checking in until it cannot.
        for _ in range(200):
            refused = _keyed(api, key)
            if refused.status_code != 201:
                break
            before, key = _counts(database), str(uuid.uuid4())
        assert_contract_error(refused, 503, "unavailable")
        assert int(refused.headers["Retry-After"]) > 0
    assert _counts(database) == before, "nothing of the refused check-in was written"
    assert "Traceback" not in caplog.text and "unhandled error" not in caplog.text

    retried = _keyed(api, key)
    assert retried.status_code == 201, retried.get_json()
    again = _keyed(api, key)
    assert again.status_code == 200 and again.get_json()["ticket"] == retried.get_json()["ticket"]
    with database.session() as s:
        assert s.scalar(select(func.count()).where(Ticket.idempotency_key == key)) == 1


def test_only_a_database_that_cannot_serve_now_counts_as_unavailable(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(OperationalError) as missing_table, engine.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert not database_unavailable(missing_table.value), "a bug stays a loud 500"
    engine.dispose()
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    assert database_unavailable(full)


class _Checkpoints:
    """A stand-in for sqlite3.connect in the checkpoint thread: fails like a full disk while
    `broken`, and parks the (daemon) thread for good once `done`."""

    def __init__(self) -> None:
        self.broken = threading.Event()
        self.done = threading.Event()
        self.tries = 0

    def connect(self, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        return self

    def execute(self, _statement: str) -> None:
        if self.done.is_set():
            threading.Event().wait()
        self.tries += 1
        if self.broken.is_set():
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
            raise error


def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _daemon(loop: Callable[[], None]) -> None:
    threading.Thread(target=loop, daemon=True).start()


def test_a_failing_wal_checkpoint_logs_once_when_it_starts_and_once_when_it_recovers(
    tmp_path, monkeypatch, caplog
):
    fake = _Checkpoints()
    monkeypatch.setattr(sqlite3, "connect", fake.connect)
    database = Database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    caplog.set_level(logging.INFO, logger="queue_service")
    try:
        database.start_checkpoints(_daemon, every=0.01)
        _until(lambda: fake.tries >= 3)
        fake.broken.set()
        started = fake.tries
        _until(lambda: fake.tries >= started + 50)  # fifty failures, about half a second
        fake.broken.clear()
        failed = fake.tries
        _until(lambda: fake.tries >= failed + 3)
    finally:
        fake.done.set()
        database.dispose()
    lines = [r for r in caplog.records if "WAL checkpoint" in r.getMessage()]
    assert [r.levelname for r in lines] == ["WARNING", "WARNING"], [r.getMessage() for r in lines]
    assert "failing" in lines[0].getMessage() and "disk is full" in lines[0].getMessage()
    assert "working again" in lines[1].getMessage()
    assert all(r.exc_info is None for r in caplog.records), "no traceback"


def test_a_long_outage_is_recalled_at_most_once_a_minute():
    now = [0.0]
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    log = logging.getLogger("test.outage")
    log.addHandler(Collect())
    outage = OutageLog(log, "WAL checkpoint", clock=lambda: now[0])
    for second in range(0, 185):  # three minutes of a failure every second
        now[0] = float(second)
        outage.failed(OSError("read-only file system"))
    outage.succeeded()
    outage.succeeded()  # still working: nothing more to say
    assert len(records) == 1 + 3 + 1, records
    assert records[1].startswith("WAL checkpoint still failing after 60 s")
    assert records[-1] == "WAL checkpoint working again after 184 s (185 failed tries)"
