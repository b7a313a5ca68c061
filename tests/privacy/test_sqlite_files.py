"""On the embedded SQLite database, an erased value is gone from the files themselves."""

import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from queue_service.clock import utcnow
from queue_service.notifications.sender import IDLE, Sender
from queue_service.notifications.transports import LogTransport
from queue_service.persistence.database import Database
from queue_service.services import checkins, retention, sites, staff, visits

PHONE_DIGITS = b"6175550199"
NAME = b"Zebulon Marchetti"
NOTE = b"Sleeps at the Elm Street shelter"


def raw_bytes(db_file: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db_file, Path(f"{db_file}-wal")) if p.exists())


@pytest.fixture
def sqlite_file(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "frontdoor.sqlite3"
    shutil.copy(sqlite_template, path)
    return path


def test_a_phone_erased_at_the_close_and_a_purged_name_survive_in_neither_file(
    sqlite_file, password
):
    database = Database(f"sqlite:///{sqlite_file}")
    with database.session() as s:
        sites.create_site(s, "north", name="North", timezone="America/New_York", hours="always")
    with database.session() as s:
        manager = staff.create_staff(
            s, "cm@example.org", name="Cm", role="case_manager", site_slugs=["north"],
            password=password,
        )  # fmt: skip
    body = {"language": "en", "name": NAME.decode(), "phone": "617-555-0199", "sms_opt_in": True}
    long_ago = utcnow() - timedelta(days=60)
    with database.session() as s:
        token = checkins.check_in(s, "north", body, now=long_ago).ticket.token
    with database.session() as s:
        ticket = checkins.cancel_by_client(s, token, now=long_ago)
    with database.session() as s:
        visits.add_note(s, ticket.id, manager, NOTE.decode(), now=long_ago)
    # Erased from the row, but the WAL still has the page as it was: what the probe found.
    assert PHONE_DIGITS in raw_bytes(sqlite_file)

    with database.session() as s:
        [result] = retention.purge(s)
    assert result.counts["names"] == 1
    assert PHONE_DIGITS not in raw_bytes(sqlite_file)
    assert NAME not in raw_bytes(sqlite_file)
    assert NOTE not in raw_bytes(sqlite_file)  # a deleted row's bytes are zeroed, not freed
    assert Path(f"{sqlite_file}-wal").stat().st_size == 0
    database.dispose()


def test_the_servers_checkpoint_thread_cuts_the_wal_now_and_then(sqlite_file):
    database = Database(f"sqlite:///{sqlite_file}")
    threads = []

    def start(loop):  # type: ignore[no-untyped-def]
        threads.append(threading.Thread(target=loop, daemon=True))
        threads[-1].start()

    database.start_checkpoints(start, every=0.01, cut_every=5)
    with database.session() as s:
        sites.create_site(s, "north", name="North", timezone="America/New_York", hours="always")
    body = {"language": "en", "phone": "617-555-0199", "sms_opt_in": True}
    with database.session() as s:
        token = checkins.check_in(s, "north", body).ticket.token
    with database.session() as s:
        checkins.cancel_by_client(s, token)
    # Its "you left the line" text keeps a copy of the number until it is sent.
    texts = Sender(database, LogTransport(), secret_key="test-secret-key", pace=timedelta(0))
    while texts.tick().rest != IDLE:
        pass
    deadline = time.monotonic() + 10
    while PHONE_DIGITS in raw_bytes(sqlite_file):
        assert time.monotonic() < deadline, "the erased phone stayed in the files"
        time.sleep(0.05)
    database.dispose()
    threads[0].join(timeout=5)
    assert not threads[0].is_alive()  # disposing the database ends the thread
