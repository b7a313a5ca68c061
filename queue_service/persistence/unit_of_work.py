"""Beginning and committing a service's transaction.

Every service that changes something starts with `begin_write(session)` and ends with
`commit(session)`. The commit gathers the events the changed rows recorded, commits, and
only then publishes them, so no socket message or SMS ever describes a change that was
rolled back.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..domain.errors import Conflict
from . import settled_days  # noqa: F401  (its flush hook keeps settled days true)
from .database import _IMMEDIATE, Database

_LOCK_KEY = "frontdoor_write_lock"
_REMEMBER = "frontdoor_remember"
_EVENTS = "frontdoor_events"


def begin_write(session: Session) -> None:
    """Start a write transaction: on SQLite, take the write lock before reading anything."""
    database: Database = session.info["database"]
    if session.in_transaction():
        # End the read-only transaction (e.g. the sign-in lookup) without expiring what it
        # loaded: sessions do not expire on commit. Anything that must be exact is read again
        # under the write lock.
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() with unsaved changes in the session")
        session.commit()
    if database.is_sqlite:
        database.write_lock.acquire()
        try:
            session.connection(execution_options={_IMMEDIATE: True})
        except BaseException:
            session.rollback()
            database.write_lock.release()
            raise
        session.info[_LOCK_KEY] = database.write_lock
    else:
        session.begin()


def commit(session: Session) -> None:
    """Commit, then publish what the changed rows recorded. A lost race is a Conflict."""
    remembered = session.info.pop(_REMEMBER, {})
    try:
        events = [*_collect_events(session), *session.info.pop(_EVENTS, [])]
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict(
            "Someone else changed this a moment ago. Here is the latest.", code="ticket_changed"
        ) from None
    session.info["database"].memo.update(remembered)
    session.info["publish"](events)


def remember_after_commit(session: Session, key: object, value: object) -> None:
    """Note a fact for the process's memo, kept only if this transaction commits."""
    session.info.setdefault(_REMEMBER, {})[key] = value


def publish_after_commit(session: Session, event: object) -> None:
    """An event to publish if this transaction commits, kept by the session itself: a row
    keeps what it records only while something holds the row, and the session holds a row
    it has flushed only weakly (one changed inside a helper would be dropped, unpublished)."""
    session.info.setdefault(_EVENTS, []).append(event)


def _collect_events(session: Session) -> list[object]:
    session.flush()
    events: list[object] = []
    for obj in [*session.identity_map.values(), *session.new]:
        pop = getattr(obj, "pop_events", None)
        if pop is not None:
            events.extend(pop())
    return events


@event.listens_for(Session, "after_transaction_end")
def _release_write_lock(session: Session, transaction) -> None:  # type: ignore[no-untyped-def]
    if transaction.parent is None:
        session.info.pop(_REMEMBER, None)
        session.info.pop(_EVENTS, None)
        lock = session.info.pop(_LOCK_KEY, None)
        if lock is not None:
            lock.release()
