"""The daily report, figure by figure, against small days computed by hand (SQLite and
PostgreSQL alike): a weekday with every kind of ending, the two clock-change days, a visit
that runs past midnight, hours changed mid-month, and an hour nobody was on duty."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from queue_service.services import reports

LATER = datetime(2026, 12, 1, 12, tzinfo=UTC)
TUESDAY = "2026-03-10"


@pytest.fixture
def lead(world, north):  # type: ignore[no-untyped-def]
    return world.reload(world.staff("lead@example.org", role="site_lead"))


@pytest.fixture
def tuesday(past_visit, past_shift, weekday_hours):  # type: ignore[no-untyped-def]
    """Seven visits with every kind of ending, and a lunch hour nobody covered."""
    day = TUESDAY
    past_visit(
        "north", day, "09:00", called="09:10", started="09:12", done="09:30", needs=["housing"]
    )
    past_visit(
        "north",
        day,
        "09:05",
        called="09:35",
        started="09:36",
        done="10:00",
        language="es",
        channel="phone",
        needs=["housing", "food"],
    )
    past_visit("north", day, "09:20", left="09:50", language="es")
    past_visit("north", day, "10:00", cancelled="10:05", channel="web")
    past_visit("north", day, "10:30", called="10:40", no_show="10:45")
    past_visit(
        "north",
        day,
        "11:00",
        called="11:04",
        started="11:05",
        done="11:40",
        urgent=True,
        alert_raised_at="11:00",
        alert_acknowledged_at="11:02",
        outcome="crisis",
        crisis_referral="988",
        language="ht",
    )
    past_visit("north", day, "16:50", left="next 00:00", end_reason="day_closed")
    past_shift("north", day, "09:00", "12:00")
    past_shift("north", day, "13:00", "17:30")  # fmt: skip


def daily(database, reader, day, slug="north"):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return reports.daily(s, reader, slug, day, now=LATER)


def test_a_day_counts_every_visit_once_by_how_it_ended(database, lead, tuesday) -> None:
    summary = daily(database, lead, TUESDAY)["summary"]
    assert {k: summary[k] for k in (
        "checkins", "served", "no_show", "left", "cancelled", "day_closed",
        "left_without_being_seen", "urgent", "urgent_not_seen", "crisis_referrals",
    )} == {
        "checkins": 7, "served": 3, "no_show": 1, "left": 1, "cancelled": 1, "day_closed": 1,
        "left_without_being_seen": 2, "urgent": 1, "urgent_not_seen": 0, "crisis_referrals": 1,
    }  # fmt: skip


def test_waits_and_service_times_are_medians_and_90th_percentiles(database, lead, tuesday) -> None:
    summary = daily(database, lead, TUESDAY)["summary"]
    # Waits to the first call: 4, 10, 10, 30 min; sessions: 18, 24, 35 min.
    assert (summary["wait_median_min"], summary["wait_p90_min"]) == (10.0, 24.0)
    assert (summary["service_median_min"], summary["service_p90_min"]) == (24.0, 32.8)
    assert (summary["urgent_contact_median_min"], summary["urgent_contact_p90_min"]) == (2.0, 2.0)


def test_coverage_counts_the_uncovered_lunch_and_the_evening_someone_waited_alone(
    database, lead, tuesday
) -> None:
    summary = daily(database, lead, TUESDAY)["summary"]
    assert summary["open_minutes"] == 480
    assert summary["uncovered_minutes"] == 60  # 12:00 to 13:00
    # Checked in at 16:50; nobody on duty from 17:30 until the day closed at midnight.
    assert summary["waiting_unstaffed_minutes"] == 390


def test_the_day_hour_by_hour_and_its_mixes(database, lead, tuesday) -> None:
    report = daily(database, lead, TUESDAY)
    by_hour = report["checkins_by_hour"]
    assert len(by_hour) == 24 and sum(by_hour) == 7
    assert (by_hour[9], by_hour[10], by_hour[11], by_hour[16]) == (3, 2, 1, 1)
    assert report["by_language"] == {"en": 4, "es": 2, "ht": 1}
    assert report["by_channel"] == {"kiosk": 5, "phone": 1, "web": 1}
    assert report["by_need"] == {"housing": 2, "food": 1}
    assert report["outcomes"] == {"resolved": 2, "crisis": 1}
    assert report["crisis_referrals"] == {"988": 1}
    assert report["line"]["peak"] == 2 and report["line"]["peak_at"] == "09:05"
    counts = {b["label"]: b["count"] for b in report["wait_distribution"]}
    assert counts["0 to 5 min"] == 1 and counts["10 to 15 min"] == 2
    assert counts["30 to 45 min"] == 1 and sum(counts.values()) == 4


def test_equity_sets_each_language_wait_and_leaving_unseen_side_by_side(
    database, lead, tuesday
) -> None:
    groups = {g["group"]: g for g in daily(database, lead, TUESDAY)["equity"]["by_language"]}
    assert groups["es"]["checkins"] == 2 and groups["es"]["wait_median_min"] == 30.0
    assert groups["es"]["left_without_being_seen_pct"] == 50.0
    assert groups["en"]["wait_median_min"] == 10.0
    assert groups["en"]["left_without_being_seen_pct"] == 25.0
    assert groups["ht"]["wait_median_min"] == 4.0


def test_hour_of_arrival_follows_the_clock_on_both_change_days(database, lead, past_visit) -> None:
    # Always open: the spring day has 23 hours (no 02:00), the autumn day 25 (01:00 twice).
    past_visit("north", "2026-03-08", "01:30")
    past_visit("north", "2026-03-08", "03:30")
    spring = daily(database, lead, "2026-03-08")
    assert spring["checkins_by_hour"][1:4] == [1, 0, 1]
    assert spring["summary"]["open_minutes"] == 23 * 60
    autumn_first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    autumn_second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    past_visit("north", "2026-11-01", autumn_first)
    past_visit("north", "2026-11-01", autumn_second)
    autumn = daily(database, lead, "2026-11-01")
    assert autumn["checkins_by_hour"][1] == 2
    assert autumn["summary"]["open_minutes"] == 25 * 60
