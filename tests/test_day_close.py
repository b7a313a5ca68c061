"""The day closes only when the office really has: never on a 24-hour office, never under a
manager still working late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_service.models import DutyShift, Staff, Ticket
from queue_service.services import checkins, duty, service_day, sites, staff

# 23:30 in Boston on Tuesday 24 November 2026, and 00:30 the next day.
LATE = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
AFTER_MIDNIGHT = LATE + timedelta(hours=1)


def test_an_office_open_around_the_clock_keeps_its_line_and_codes_go_on(world, north) -> None:
    with world.database.session() as s:
        first = checkins.check_in(s, "north", {"language": "en"}, now=LATE).ticket
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT)
        assert s.get(Ticket, first.id).status == "waiting"
        after = checkins.check_in(s, "north", {"language": "en"}, now=AFTER_MIDNIGHT)
    assert (first.code, after.ticket.code) == ("A-001", "A-002")
    assert after.place.position == 2  # yesterday's person is still ahead


def test_a_manager_working_late_keeps_the_line_open_until_they_sign_out(world) -> None:
    world.site("east", hours="mon-fri 09:00-17:00")
    member = world.staff("late@example.org", sites_=("east",))
    with world.database.session() as s:
        late = s.get(Staff, member.id)
        duty.set_duty(s, "east", late, on_duty=True, now=LATE)
        token = staff.issue_token(s, late)
        waiting = checkins.check_in(s, "east", {"language": "en"}, now=LATE).ticket
    assert waiting.status == "waiting"  # past the hours, but someone is there: accepted
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT)
        assert s.get(Ticket, waiting.id).status == "waiting"
        assert s.query(DutyShift).one().ended_at is None
    with world.database.session() as s:
        staff.revoke_token(s, token)
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT + timedelta(minutes=1))
        closed = s.get(Ticket, waiting.id)
        assert (closed.status, closed.end_reason) == ("left", "day_closed")
        assert s.query(DutyShift).one().ended_at is not None


def test_a_time_zone_change_is_refused_while_people_are_in_line(
    world, north, assert_contract_error, client, sign_in
) -> None:
    world.staff("lead@example.org", role="site_lead")
    with world.database.session() as s:
        checkins.check_in(s, "north", {"language": "en"})
    response = client.patch(
        "/api/v1/sites/north",
        json={"timezone": "Europe/London"},
        headers=sign_in("lead@example.org"),
    )
    assert_contract_error(response, 409, "tickets_open")
    with world.database.session() as s:
        assert sites.site_settings(sites.all_sites(s)[0])["timezone"] == "America/New_York"
