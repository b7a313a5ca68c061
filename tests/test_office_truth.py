"""The office tells the truth: the public status, check-ins refused when closed and nobody
is on duty, accepted past the hours while someone still is, and site hours changed by leads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from queue_service.models import AuditEntry, DailyCounter, Site, Ticket
from queue_service.services import office, sites

STATUS_KEYS = {
    "open_now", "staffed_now", "opens_at", "opens_all_day", "closes_at", "waiting",
    "estimated_wait_minutes", "state", "past_hours", "closing_soon", "closure", "timezone",
    "hours",
}  # fmt: skip


def today_in_boston() -> str:
    return datetime.now(ZoneInfo("America/New_York")).date().isoformat()


@pytest.fixture
def closed_site(world):  # type: ignore[no-untyped-def]
    """Open around the clock, but closed today for a training day."""
    site = world.site("east", hours="always")
    with world.database.session() as s:
        sites.update_site(
            s, "east", {"closures": [{"date": today_in_boston(), "reason": "Training"}]}
        )
    return site


def rows(database) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Ticket)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
            s.scalar(select(func.coalesce(func.sum(DailyCounter.last_number), 0))),
        )


def test_an_open_site_with_nobody_on_duty_says_unstaffed_and_still_takes_check_ins(
    client, api, north
) -> None:
    status = client.get("/api/v1/sites/north/status").get_json()
    assert set(status) == STATUS_KEYS
    assert status["state"] == "unstaffed"
    assert status["open_now"] and not status["staffed_now"]
    assert status["opens_at"] is None and status["closes_at"] is None  # open around the clock
    assert status["hours"] == "always" and status["timezone"] == "America/New_York"
    assert status["estimated_wait_minutes"] is None  # nobody on duty: no made-up number
    assert api.check_in().status_code == 201
    assert client.get("/api/v1/sites/north/status").get_json()["waiting"] == 1


def test_a_manager_on_duty_makes_the_site_staffed(client, world, north) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    status = client.get("/api/v1/sites/north/status").get_json()
    assert status["state"] == "staffed" and status["staffed_now"]
    assert status["estimated_wait_minutes"] == 0  # a free manager can call the next person now


def test_the_status_never_carries_a_name(client, api, north) -> None:
    api.check_in(name="Ana Lucia", phone="+16175550123", sms_opt_in=True, needs=["housing"])
    text = client.get("/api/v1/sites/north/status").get_data(as_text=True)
    assert "Ana" not in text and "0123" not in text and "housing" not in text


def test_a_closed_site_with_nobody_on_duty_refuses_a_check_in_and_writes_nothing(
    client, api, database, closed_site, assert_contract_error
) -> None:
    status = client.get("/api/v1/sites/east/status").get_json()
    assert status["state"] == "closed" and not status["open_now"]
    assert status["closure"] == {"date": today_in_boston(), "reason": "Training"}
    assert status["estimated_wait_minutes"] is None
    tomorrow_midnight = datetime.fromisoformat(status["opens_at"].replace("Z", "+00:00"))
    assert tomorrow_midnight.astimezone(ZoneInfo("America/New_York")).hour == 0
    assert status["opens_all_day"] is True, "a 24-hour site opens for the whole day, not 'at 0:00'"

    before = rows(database)
    response = api.check_in("east", headers={"Idempotency-Key": "k" * 20})
    assert_contract_error(response, 409, "office_closed")
    assert rows(database) == before


def test_asking_for_help_at_a_closed_office_makes_no_ticket_but_is_written_down(
    api, database, closed_site
) -> None:
    before_tickets = rows(database)[0]
    assert api.check_in("east", urgent=True).status_code == 409
    with database.session() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert rows(database)[0] == before_tickets
    assert entry.action == "help.office_closed" and entry.actor == "visitor"


def test_past_its_hours_a_site_with_someone_still_on_duty_takes_check_ins(
    client, api, world, closed_site
) -> None:
    world.staff("late@example.org", sites_=("east",), on_duty_at="east")
    status = client.get("/api/v1/sites/east/status").get_json()
    assert status["state"] == "staffed" and status["past_hours"] and not status["open_now"]
    assert api.check_in("east").status_code == 201


def status_at(session, slug: str, moment: str):  # type: ignore[no-untyped-def]
    return office.status_by_slug(session, slug, datetime.fromisoformat(moment).astimezone(UTC))


@pytest.mark.parametrize(
    ("moment", "open_now", "opens_at", "closes_at"),
    [
        # Monday 9 March 2026, the first weekday after the spring change (EDT, UTC-4).
        ("2026-03-09T08:59:00-04:00", False, "2026-03-09T13:00:00+00:00", None),
        ("2026-03-09T09:00:00-04:00", True, None, "2026-03-09T21:00:00+00:00"),
        ("2026-03-09T17:00:00-04:00", False, "2026-03-10T13:00:00+00:00", None),
        # Friday 6 March (EST, UTC-5): the next opening is Monday 09:00 EDT, across the change.
        ("2026-03-06T17:30:00-05:00", False, "2026-03-09T13:00:00+00:00", None),
        # Monday 2 November 2026, after the autumn change (EST, UTC-5).
        ("2026-11-02T08:59:00-05:00", False, "2026-11-02T14:00:00+00:00", None),
        ("2026-11-02T16:59:00-05:00", True, None, "2026-11-02T22:00:00+00:00"),
        # Friday 30 October (EDT): the next opening is Monday 09:00 EST.
        ("2026-10-30T18:00:00-04:00", False, "2026-11-02T14:00:00+00:00", None),
    ],
)
def test_the_status_follows_the_hours_across_both_daylight_saving_changes(
    session, world, moment: str, open_now: bool, opens_at: str | None, closes_at: str | None
) -> None:
    world.site("west", hours="mon-fri 09:00-17:00")
    found = status_at(session, "west", moment)
    assert found.office.open_now is open_now
    expected_open = datetime.fromisoformat(opens_at) if opens_at else None
    expected_close = datetime.fromisoformat(closes_at) if closes_at else None
    assert found.office.opens_at == expected_open
    assert found.office.closes_at == expected_close


@pytest.mark.parametrize(
    ("hours", "closures", "moment", "all_day"),
    [
        # Open day and night, closed Christmas Day (a Friday): open again Saturday from 0:00.
        ("always", ["2026-12-25"], "2026-12-25T10:00:00-05:00", True),
        # Closed three days running: the next opening is the Monday, still for the whole day.
        ("always", ["2026-12-25", "2026-12-26", "2026-12-27"], "2026-12-26T23:00:00-05:00", True),
        # Whole weekdays only: Saturday night, the office opens Monday for the whole day.
        ("mon-fri 00:00-24:00", [], "2026-12-05T20:00:00-05:00", True),
        # An office opening at midnight for a morning only is not open all day.
        ("mon-fri 00:00-12:00", [], "2026-12-05T20:00:00-05:00", False),
        ("mon-fri 09:00-17:00", ["2026-12-25"], "2026-12-25T10:00:00-05:00", False),
    ],
)
def test_a_next_opening_that_starts_a_whole_day_says_so(
    client, session, world, hours: str, closures: list[str], moment: str, all_day: bool
) -> None:
    world.site("west", hours=hours)
    sites.update_site(session, "west", {"closures": [{"date": day} for day in closures]})
    found = status_at(session, "west", moment)
    assert found.office.opens_at is not None and not found.office.open_now
    from queue_service.services import views

    assert views.office_status(found)["opens_all_day"] is all_day


def test_closing_soon_starts_thirty_minutes_before_closing(session, world) -> None:
    world.site("west", hours="mon-fri 09:00-17:00")
    assert not status_at(session, "west", "2026-12-02T16:29:00-05:00").closing_soon
    assert status_at(session, "west", "2026-12-02T16:30:00-05:00").closing_soon
    assert not status_at(session, "west", "2026-12-02T17:00:00-05:00").closing_soon


def test_a_dated_closure_closes_the_day_and_the_next_opening_skips_it(session, world) -> None:
    world.site("west", hours="mon-fri 09:00-17:00")
    sites.update_site(session, "west", {"closures": [{"date": "2026-12-25", "reason": "Holiday"}]})
    found = status_at(session, "west", "2026-12-25T10:00:00-05:00")
    assert not found.office.open_now and found.office.closure.reason == "Holiday"
    assert found.office.opens_at == datetime(2026, 12, 28, 14, 0, tzinfo=UTC)


def test_a_site_lead_changes_the_hours_and_it_is_audited_with_before_and_after(
    client, world, north, sign_in
) -> None:
    world.staff("lead@example.org", role="site_lead")
    lead = sign_in("lead@example.org")
    response = client.patch(
        "/api/v1/sites/north",
        json={"hours": "mon-fri 08:30-16:30", "closures": [{"date": "2026-12-24"}]},
        headers=lead,
    )
    assert response.status_code == 200, response.get_json()
    site = response.get_json()["site"]
    assert site["hours"] == "mon-fri 08:30-16:30"
    assert site["closures"] == [{"date": "2026-12-24", "reason": ""}]
    assert client.get("/api/v1/sites/north", headers=lead).get_json()["site"] == site
    with world.database.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "site.changed")).one()
    assert entry.detail["changes"]["hours"] == {
        "before": "always",
        "after": "mon-fri 08:30-16:30",
    }
    assert entry.staff_email == "lead@example.org"


def test_a_bad_spec_is_refused_by_field_and_changes_nothing(
    client, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("lead@example.org", role="site_lead")
    response = client.patch(
        "/api/v1/sites/north", json={"hours": "mon 9-5"}, headers=sign_in("lead@example.org")
    )
    error = assert_contract_error(response, 422)
    assert "hours" in error["fields"]
    with world.database.session() as s:
        assert s.scalars(select(Site).where(Site.slug == "north")).one().hours.weekly.always


def test_a_case_manager_cannot_change_the_hours(
    client, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("cm@example.org")
    response = client.patch(
        "/api/v1/sites/north", json={"hours": "always"}, headers=sign_in("cm@example.org")
    )
    assert_contract_error(response, 403, "not_allowed")


def test_new_sites_default_to_weekday_business_hours(session) -> None:
    site = sites.create_site(session, "plain", name="Plain")
    assert site.hours.weekly.spec() == "mon-fri 09:00-17:00"
    assert site.hours.is_open(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))  # Wed 10:00 EST
    assert not site.hours.is_open(datetime(2026, 12, 5, 15, 0, tzinfo=UTC))  # Saturday
    assert date(2026, 12, 2).weekday() == 2


def test_a_lost_database_is_a_503_in_the_contract_shape(client, north, app, assert_contract_error):  # type: ignore[no-untyped-def]
    app.extensions["frontdoor"].database.engine.dispose()
    from sqlalchemy.exc import OperationalError

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        # The connection itself is gone (the server restarted, the network dropped).
        raise OperationalError("SELECT 1", {}, Exception("lost"), connection_invalidated=True)

    app.extensions["frontdoor"].database.session = broken  # type: ignore[method-assign]
    response = client.post("/api/v1/sites/north/check-ins", json={"language": "en"})
    assert_contract_error(response, 503, "unavailable")
    assert response.headers["Retry-After"] == "5"


def test_the_load_balancer_checks_answer(client) -> None:
    assert client.get("/healthz").get_json() == {"ok": True}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": True}
