"""The daily report at its edges, each against a small day computed by hand: a day still
going on, a day before the site began, an urgent person already called or followed up the
next morning, a session nobody recorded, a wait that runs past midnight, and dates no
report can be of."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from queue_service.domain.errors import ValidationFailed
from queue_service.services import reports

TUESDAY = "2026-03-10"  # EDT: 09:00 local is 13:00 UTC
LATER = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def lead(world, north, weekday_hours):  # type: ignore[no-untyped-def]
    return world.reload(world.staff("lead@example.org", role="site_lead"))


def summary(database, reader, day=TUESDAY, now=LATER):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return reports.daily(s, reader, "north", day, now=now)["summary"]


def test_today_counts_only_the_hours_that_have_passed(database, lead, past_shift) -> None:
    past_shift("north", TUESDAY, "09:00", None)  # still on duty
    at_ten = datetime(2026, 3, 10, 14, tzinfo=UTC)
    figures = summary(database, lead, now=at_ten)
    assert (figures["open_minutes"], figures["uncovered_minutes"]) == (60, 0)
    assert figures["partial"] is True
    assert summary(database, lead)["partial"] is False


def test_a_day_before_the_site_began_has_no_uncovered_hours(database, lead) -> None:
    figures = summary(database, lead, day="2024-06-04")
    assert (figures["open_minutes"], figures["uncovered_minutes"]) == (0, 0)


def test_urgent_contact_is_the_first_contact_after_asking_for_help(
    database, lead, past_visit
) -> None:
    # Called at 10:10, then felt unsafe at 10:20 while walking over; seen at 10:25.
    past_visit("north", TUESDAY, "10:00", called="10:10", started="10:30", done="10:50",
               urgent=True, alert_raised_at="10:20", alert_acknowledged_at="10:25")  # fmt: skip
    # Nobody saw her; a lead followed her up the next morning: not a contact that day.
    past_visit("north", TUESDAY, "11:00", left="11:30", urgent=True, alert_raised_at="11:00",
               alert_acknowledged_at="next 09:00", followed_up_at="next 09:00")  # fmt: skip
    figures = summary(database, lead)
    assert (figures["urgent_contact_median_min"], figures["urgent_contact_p90_min"]) == (5, 5)
    assert figures["urgent_not_seen"] == 1 and figures["urgent_followed_up"] == 1
    assert figures["urgent_not_followed_up"] == 0


def test_a_session_nobody_recorded_is_not_served_and_has_no_length(
    database, lead, past_visit
) -> None:
    past_visit("north", TUESDAY, "09:00", called="09:05", started="09:10", done="09:30")
    past_visit("north", TUESDAY, "09:40", called="09:45", started="09:50", done="next 00:01",
               outcome="not_recorded", end_reason="session_left_open")  # fmt: skip
    figures = summary(database, lead)
    assert (figures["served"], figures["not_recorded"]) == (1, 1)
    assert (figures["service_median_min"], figures["service_p90_min"]) == (20, 20)


def test_the_day_close_is_told_apart_from_people_still_waiting_at_it(
    database, lead, past_visit
) -> None:
    past_visit("north", TUESDAY, "16:00", left="next 00:00", end_reason="day_closed")
    past_visit("north", TUESDAY, "16:10", called="16:20", no_show="next 00:00",
               end_reason="day_closed")  # fmt: skip
    figures = summary(database, lead)
    assert (figures["day_closed"], figures["left_at_day_close"]) == (2, 1)
    assert figures["left_without_being_seen"] == 1


def test_a_wait_past_midnight_counts_on_the_day_it_goes_on_into(database, lead, past_visit) -> None:
    past_visit("north", "2026-03-09", "23:30", called="next 02:00", started="next 02:05",
               done="next 02:30")  # fmt: skip
    assert summary(database, lead, day="2026-03-09")["waiting_unstaffed_minutes"] == 30
    assert summary(database, lead)["waiting_unstaffed_minutes"] == 120


@pytest.mark.parametrize(
    "day, words",
    [
        ("2026-12-02", "That day has not come yet."),
        ("9999-12-31", "That day has not come yet."),
        ("0001-01-01", "Reports begin on 2000-01-01."),
        ("2026-W10-2", "Give the date as YYYY-MM-DD."),
        ("20260310", "Give the date as YYYY-MM-DD."),
    ],
)
def test_a_date_no_report_can_be_of_is_refused_in_words(database, lead, day, words) -> None:
    with pytest.raises(ValidationFailed) as refused:
        summary(database, lead, day=day)
    assert str(refused.value) == words
