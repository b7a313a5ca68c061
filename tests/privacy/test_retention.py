"""The retention purge removes what identifies a visitor once the site's period has run,
counted in whole days in the site's time zone, and keeps what reports need."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from queue_service.domain.retention import purge_cutoff
from queue_service.models import AuditEntry, Site, Ticket
from queue_service.services import retention

# 30 days before 2026-04-01 (EDT) is 2026-03-02 (EST): the period spans the spring change.
MIDNIGHT_APRIL_1 = datetime(2026, 4, 1, 4, 0, tzinfo=UTC)  # 00:00 in Boston
LAST_MINUTE_MARCH_1 = datetime(2026, 3, 2, 4, 59, tzinfo=UTC)  # 23:59 on 1 March in Boston
FIRST_MINUTE_MARCH_2 = datetime(2026, 3, 2, 5, 1, tzinfo=UTC)  # 00:01 on 2 March in Boston
MINUTE = timedelta(minutes=1)


def purge(session, now, **kw):  # type: ignore[no-untyped-def]
    return {r.site: r.summary() for r in retention.purge(session, now, **kw)}


def test_a_visit_keeps_its_values_through_the_last_local_day_of_the_period(
    session, visits_at, stored
):
    ticket_id, who = visits_at.completed(LAST_MINUTE_MARCH_1)
    purge(session, MIDNIGHT_APRIL_1 - MINUTE)
    kept = stored(ticket_id)
    assert (kept.ticket.name, kept.ticket.outcome_detail) == (who.name, who.detail)
    assert (kept.notes, kept.reasons) == ([who.note], [who.reason])
    assert kept.visitor_origins == [visits_at.visitor_address]


def test_at_local_midnight_after_the_period_every_personal_value_goes(session, visits_at, stored):
    ticket_id, _ = visits_at.completed(LAST_MINUTE_MARCH_1)
    before = stored(ticket_id).ticket
    counts = purge(session, MIDNIGHT_APRIL_1)["north"]
    gone = stored(ticket_id)
    assert (gone.ticket.name, gone.ticket.phone, gone.ticket.outcome_detail) == (None, None, None)
    assert (gone.notes, gone.reasons, gone.visitor_origins) == ([], [], [None])
    assert counts == {
        "visits": 1,
        "names": 1,
        "phones": 0,  # erased when the visit closed
        "outcome_details": 1,
        "follow_up_notes": 0,
        "notes": 1,
        "history_reasons": 1,
        "visitor_addresses": 1,
        "fingerprints": 0,  # likewise
        "texts": 3,  # checked in, almost up (not sent: first in line), called
        "cases": 0,
        "case_goals": 0,
        "case_notes": 0,
        "visitors": 1,  # known by the number they gave: forgotten with the visit
    }
    # What reports need stays as it was.
    facts = ("channel", "needs", "language", "urgent", "outcome", "created_at", "completed_at")
    assert {f: getattr(gone.ticket, f) for f in facts} == {f: getattr(before, f) for f in facts}
    assert set(gone.staff_origins) == {visits_at.staff_address}  # who did what, from where


def test_a_visit_closed_just_after_local_midnight_waits_one_more_day(session, visits_at, stored):
    ticket_id, who = visits_at.completed(FIRST_MINUTE_MARCH_2)
    assert purge(session, MIDNIGHT_APRIL_1)["north"]["visits"] == 0
    assert stored(ticket_id).ticket.name == who.name
    assert purge(session, MIDNIGHT_APRIL_1 + timedelta(days=1))["north"]["visits"] == 1


@pytest.mark.parametrize(
    ("now", "timezone", "days", "cutoff"),
    [
        # Spring forward inside the period: Boston midnight is 05:00 UTC before it, 04:00 after.
        (MIDNIGHT_APRIL_1, "America/New_York", 30, datetime(2026, 3, 2, 5, tzinfo=UTC)),
        (MIDNIGHT_APRIL_1 - MINUTE, "America/New_York", 30, datetime(2026, 3, 1, 5, tzinfo=UTC)),
        # Fall back: 1 November 2026.
        (datetime(2026, 11, 10, 15, tzinfo=UTC), "America/New_York", 14,
         datetime(2026, 10, 27, 4, tzinfo=UTC)),
        (datetime(2026, 7, 1, 12, tzinfo=UTC), "Pacific/Honolulu", 1,
         datetime(2026, 6, 30, 10, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_the_cutoff_is_a_local_midnight(now, timezone, days, cutoff):
    assert purge_cutoff(now, timezone, days) == cutoff


def test_each_site_has_its_own_period(session, visits_at, stored):
    north_id, _ = visits_at.completed(LAST_MINUTE_MARCH_1)
    south_id, _ = visits_at.left_unseen(LAST_MINUTE_MARCH_1, site="south")
    session.execute(update(Site).where(Site.slug == "south").values(retention_days=60))
    session.commit()
    counts = purge(session, MIDNIGHT_APRIL_1)
    assert (counts["north"]["visits"], counts["south"]["visits"]) == (1, 0)
    assert stored(south_id).ticket.name is not None
    assert stored(north_id).ticket.name is None


def test_an_unseen_visit_loses_its_follow_up_note_and_every_visitor_address(
    session, visits_at, stored
):
    ticket_id, who = visits_at.left_unseen(LAST_MINUTE_MARCH_1)
    assert stored(ticket_id).ticket.follow_up_note == who.follow_up
    # Followed up the next morning, 2 March: the period runs from then, a day later.
    assert purge(session, MIDNIGHT_APRIL_1)["north"]["visits"] == 0
    counts = purge(session, MIDNIGHT_APRIL_1 + timedelta(days=1))["north"]
    gone = stored(ticket_id)
    assert (gone.ticket.name, gone.ticket.follow_up_note) == (None, None)
    assert gone.ticket.followed_up_at is not None  # that it was followed up is a fact
    assert gone.visitor_origins == [None, None]  # the urgent check-in and leaving the line
    assert (counts["follow_up_notes"], counts["visitor_addresses"]) == (1, 2)


def test_open_visits_are_never_touched(session, visits_at, stored):
    ticket_id, who = visits_at.waiting(LAST_MINUTE_MARCH_1 - timedelta(days=40))
    # Still waiting (no day close ran): the person is in line, whatever the date says.
    assert purge(session, MIDNIGHT_APRIL_1)["north"]["visits"] == 0
    kept = stored(ticket_id).ticket
    assert (kept.name, kept.phone) == (who.name, who.phone)
    assert kept.request_fingerprint is not None


def test_a_phone_or_fingerprint_an_older_version_left_on_a_closed_visit_goes_too(
    session, visits_at, stored
):
    old_id, _ = visits_at.completed(LAST_MINUTE_MARCH_1)
    recent_id, _ = visits_at.completed(MIDNIGHT_APRIL_1 - timedelta(days=2))
    legacy = {"phone": "+16175550111", "request_fingerprint": "ab" * 32}
    session.execute(update(Ticket).where(Ticket.id.in_([old_id, recent_id])).values(**legacy))
    session.commit()
    counts = purge(session, MIDNIGHT_APRIL_1)["north"]
    # The fingerprint of every closed visit, whatever its age; the phone with the rest.
    assert (counts["phones"], counts["fingerprints"]) == (1, 2)
    assert stored(recent_id).ticket.request_fingerprint is None
    assert stored(recent_id).ticket.name is not None


def test_a_dry_run_counts_exactly_what_the_purge_then_removes(session, visits_at, database):
    for days_ago in (45, 31, 30, 29, 2):
        visits_at.completed(MIDNIGHT_APRIL_1 - timedelta(days=days_ago, minutes=5))
        visits_at.left_unseen(MIDNIGHT_APRIL_1 - timedelta(days=days_ago, minutes=7))
    entries = len(session.scalars(select(AuditEntry.id)).all())
    dry = purge(session, MIDNIGHT_APRIL_1, dry_run=True)
    assert len(session.scalars(select(AuditEntry.id)).all()) == entries  # nothing written
    # 45 and 31 days ago, and the seen visit on the period's last day; the unseen one that
    # day was followed up the next morning, and keeps its values one more day.
    assert dry["north"]["visits"] == 5
    assert purge(session, MIDNIGHT_APRIL_1, batch=2) == dry  # in batches of two rows
    assert purge(session, MIDNIGHT_APRIL_1, dry_run=True)["north"] == dict.fromkeys(dry["north"], 0)


def test_each_purge_that_removes_something_leaves_one_audit_entry_per_site_with_its_counts(
    session, visits_at
):
    visits_at.completed(LAST_MINUTE_MARCH_1)
    visits_at.left_unseen(LAST_MINUTE_MARCH_1 - timedelta(hours=12), site="south")
    counts = purge(session, MIDNIGHT_APRIL_1, batch=1)
    purge(session, MIDNIGHT_APRIL_1)  # nothing left: no entry
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.purged"))
    by_site = {e.site_id: e for e in entries}
    assert len(by_site) == 2
    sites = dict(session.execute(select(Site.id, Site.slug)).all())
    for site_id, entry in by_site.items():
        assert (entry.actor, entry.staff_id) == ("system", None)
        assert entry.detail["reason"] == "retention_period"
        assert entry.detail["removed"] == counts[sites[site_id]]
        assert entry.detail["retention_days"] == 30


def test_two_purges_at_once_remove_everything_once_between_them(
    session, visits_at, database, all_at_once
):
    for days_ago in (50, 45, 40):
        visits_at.completed(MIDNIGHT_APRIL_1 - timedelta(days=days_ago))
        visits_at.left_unseen(MIDNIGHT_APRIL_1 - timedelta(days=days_ago))
    expected = purge(session, MIDNIGHT_APRIL_1, dry_run=True)["north"]

    def run(_: int) -> dict[str, int]:
        with database.session() as s:
            return purge(s, MIDNIGHT_APRIL_1, batch=1)["north"]

    first, second = all_at_once(2, run)
    assert {k: first[k] + second[k] for k in expected} == expected
    assert purge(session, MIDNIGHT_APRIL_1, dry_run=True)["north"] == dict.fromkeys(expected, 0)
