"""The audit log stays append-only: the one change the database allows is removing an
address (origin to NULL), which is all the retention purge does to it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from queue_service.domain.history import AuditReason
from queue_service.models import AuditEntry
from queue_service.services import audit

CHANGED = {
    "id": 987654,
    "at": datetime(2030, 1, 1, tzinfo=UTC),
    "actor": "visitor",
    "staff_id": 424242,
    "staff_email": "someone-else@example.org",
    "action": "ticket.viewed",
    "site_id": 424242,
    "ticket_id": 424242,
    "detail": {"rewritten": True},
}


@pytest.fixture
def entry_id(session, north) -> int:  # type: ignore[no-untyped-def]
    audit.system(
        session,
        audit.AuditAction.ALERT_BURST,
        reason=AuditReason.URGENT_REQUESTS_OVER_ALLOWANCE,
        site_id=north.id,
        origin="10.0.0.9",
    )
    session.commit()
    return session.scalar(select(AuditEntry.id).where(AuditEntry.origin == "10.0.0.9"))


def refused(session, statement) -> bool:  # type: ignore[no-untyped-def]
    try:
        session.execute(statement)
        session.commit()
    except DBAPIError:
        session.rollback()
        return True
    return False


def test_every_column_but_origin_is_covered_here():
    assert set(AuditEntry.__table__.columns.keys()) == {*CHANGED, "origin"}


@pytest.mark.parametrize("column", sorted(CHANGED))
def test_no_other_value_can_change_even_with_the_address_removed(session, entry_id, column):
    change = update(AuditEntry).where(AuditEntry.id == entry_id)
    assert refused(session, change.values({column: CHANGED[column]}))
    assert refused(session, change.values({column: CHANGED[column], "origin": None}))


def test_an_address_can_be_removed_but_never_changed_or_put_back(session, entry_id):
    change = update(AuditEntry).where(AuditEntry.id == entry_id)
    assert refused(session, change.values(origin="10.0.0.10"))
    assert not refused(session, change.values(origin=None))
    assert refused(session, change.values(origin="10.0.0.9"))
    entry = session.get(AuditEntry, entry_id)
    assert (entry.origin, entry.detail["reason"]) == (None, "urgent_requests_over_allowance")


def test_no_entry_can_be_deleted(session, entry_id):
    assert refused(session, delete(AuditEntry).where(AuditEntry.id == entry_id))


def test_what_a_visitor_said_and_staff_wrote_never_reaches_the_audit_log(session, visits_at):
    people = [
        visits_at.completed(datetime(2026, 3, 1, 15, tzinfo=UTC))[1],
        visits_at.left_unseen(datetime(2026, 3, 1, 16, tzinfo=UTC))[1],
    ]
    logged = repr([tuple(row) for row in session.execute(select(AuditEntry.__table__))])
    for who in people:
        for value in (who.name, who.phone, who.phone[2:], who.detail, who.note, who.reason):
            assert value not in logged
        assert who.follow_up not in logged
