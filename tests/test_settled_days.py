"""A settled day's figures are counted once and kept: the next report reads them, and any
change to one of that day's visits or shifts makes it count the day again. A day that may
still change (today, yesterday) is never kept."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from queue_service.models import SettledDay
from queue_service.services import report_ranges, reports, visits

TUESDAY = "2026-03-10"
LATER = datetime(2026, 12, 1, 12, tzinfo=UTC)


def kept(database) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(SettledDay)) or 0


def summary(database, reader, day=TUESDAY, now=LATER):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return reports.daily(s, reader, "north", day, now=now)["summary"]


def test_a_settled_day_is_counted_once_then_read_as_kept(
    database, world, north, weekday_hours, past_visit, past_shift
) -> None:
    lead = world.reload(world.staff("lead@example.org", role="site_lead"))
    past_visit("north", TUESDAY, "09:00", called="09:10", started="09:12", done="09:30")
    past_shift("north", TUESDAY, "09:00", "12:00")
    counted = summary(database, lead)
    assert kept(database) == 1
    assert summary(database, lead) == counted
    with database.session() as s:
        week = report_ranges.range_report(s, lead, "north", "2026-03-09", "2026-03-15", now=LATER)
    assert kept(database) == 14  # the week, and the week before it (its change)
    assert week["days"][1] == counted


def test_a_follow_up_on_a_settled_day_is_counted_at_once(
    database, world, north, weekday_hours, past_visit
) -> None:
    lead = world.reload(world.staff("lead@example.org", role="site_lead"))
    ticket_id = past_visit("north", TUESDAY, "16:00", left="next 00:00", end_reason="day_closed",
                           urgent=True, alert_raised_at="16:00")  # fmt: skip
    assert summary(database, lead)["urgent_not_followed_up"] == 1
    with database.session() as s:
        visits.follow_up(s, ticket_id, lead, "Called her the next morning; she is safe.")
    after = summary(database, lead)
    assert (after["urgent_not_followed_up"], after["urgent_followed_up"]) == (0, 1)


def test_a_shift_changed_later_is_counted_again(
    database, world, north, weekday_hours, past_shift
) -> None:
    lead = world.reload(world.staff("lead@example.org", role="site_lead"))
    assert summary(database, lead)["uncovered_minutes"] == 480
    past_shift("north", TUESDAY, "09:00", "17:00")
    assert summary(database, lead)["uncovered_minutes"] == 0


def test_today_and_yesterday_are_never_kept(database, world, north, weekday_hours) -> None:
    lead = world.reload(world.staff("lead@example.org", role="site_lead"))
    wednesday_noon = datetime(2026, 3, 11, 16, tzinfo=UTC)
    summary(database, lead, day="2026-03-11", now=wednesday_noon)
    summary(database, lead, day=TUESDAY, now=wednesday_noon)
    assert kept(database) == 0


def test_the_background_job_keeps_each_sites_latest_settled_day_once(
    database, world, north, south, weekday_hours
) -> None:
    from queue_service.services.report_days import keep_newly_settled

    thursday_morning = datetime(2026, 3, 12, 13, tzinfo=UTC)  # Tuesday is the latest settled
    with database.session() as s:
        assert keep_newly_settled(s, thursday_morning) == 2
    with database.session() as s:
        assert keep_newly_settled(s, thursday_morning) == 0
        assert {row.day.isoformat() for row in s.scalars(select(SettledDay))} == {TUESDAY}


def test_no_day_settles_later_than_the_hook_looks_and_today_is_never_looked_at() -> None:
    from datetime import date, timedelta
    from zoneinfo import ZoneInfo

    from queue_service.domain.reports import is_settled
    from queue_service.persistence.settled_days import latest_settled

    zones = ["Pacific/Kiritimati", "Asia/Tokyo", "Europe/Lisbon", "UTC", "America/New_York",
             "America/Los_Angeles", "Pacific/Honolulu", "Etc/GMT+12"]  # fmt: skip
    for hour in range(0, 48, 1):
        now = datetime(2026, 3, 7, tzinfo=UTC) + timedelta(hours=hour, minutes=30)
        latest = latest_settled(now)
        for name in zones:
            zone = ZoneInfo(name)
            today = now.astimezone(zone).date()
            for back in range(4):
                day = today - timedelta(days=back)
                if is_settled(day, zone, now):
                    assert day <= latest, (name, now, day)
            if name != "Etc/GMT+12":  # only at the date line's far side is today so old
                assert today > latest, (name, now)
    assert latest_settled(datetime(2026, 3, 7, 12, tzinfo=UTC)) == date(2026, 3, 6)
