"""`frontdoor serve` purges by itself once a day, and a failed purge never stops it."""

from datetime import UTC, datetime, timedelta

from frontdoor.daily_purge import DailyPurge
from queue_service.persistence.database import Database

NOW = datetime(2026, 4, 1, 4, 0, tzinfo=UTC)


def test_the_server_purges_at_start_and_then_once_a_day(database, visits_at):
    visits_at.completed(NOW - timedelta(days=40))
    purge = DailyPurge(database)
    [first] = [r for r in purge(NOW) or [] if r.site == "north"]
    assert first.counts["visits"] == 1
    assert purge(NOW + timedelta(hours=23)) is None  # not yet: once a day
    visits_at.completed(NOW - timedelta(days=39))
    later = purge(NOW + timedelta(days=1))
    assert later is not None
    assert [r.counts["visits"] for r in later if r.site == "north"] == [1]


def test_a_failed_purge_is_tried_again_in_an_hour_not_every_minute(caplog):
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    purge = DailyPurge(unreachable)
    assert purge(NOW) is None
    assert purge.next_at == NOW + timedelta(hours=1)
    assert purge(NOW + timedelta(minutes=1)) is None
    assert len([r for r in caplog.records if "retention purge failed" in r.message]) == 1
    unreachable.dispose()


def test_the_purge_lets_the_server_answer_between_its_statements(database, visits_at):
    visits_at.completed(NOW - timedelta(days=40))
    paused = []
    DailyPurge(database, pause=lambda: paused.append(1))(NOW)
    # Once after each step's scan of every site, and after each batch it removes.
    assert len(paused) > 10
