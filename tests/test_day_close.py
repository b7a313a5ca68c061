"""The day closes only when the office really has: never on a 24-hour office, never under a
manager still working late. A session its manager left open does not outlive its day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from queue_service.domain.lifecycle import Action
from queue_service.models import AuditEntry, DutyShift, Staff, Ticket
from queue_service.services import checkins, duty, queue, retention, service_day, sites, staff
from queue_service.services.commands import MoveTicket

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


# Noon in Boston that Tuesday: a manager calls someone and starts their session.
NOON = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def in_session_since_noon(world, site: str, **body):  # type: ignore[no-untyped-def]
    """A manager on duty at `site` who started a session at noon and never completed it."""
    member = world.staff("cm@example.org", sites_=(site,))
    with world.database.session() as s:
        duty.set_duty(s, site, world.reload(member), on_duty=True, now=NOON)
    with world.database.session() as s:
        person = {"language": "en", "name": "Ana Test", **body}
        ticket = checkins.check_in(s, site, person, now=NOON).ticket
    with world.database.session() as s:
        assert queue.call_next(s, site, world.reload(member), now=NOON).id == ticket.id
    with world.database.session() as s:
        queue.transition(s, world.reload(member), MoveTicket(ticket.id, Action.START), now=NOON)
    return member, ticket


def day_close_entries(session, ticket_id: int) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(
        session.scalars(
            select(AuditEntry).where(
                AuditEntry.ticket_id == ticket_id, AuditEntry.action == "ticket.day_closed"
            )
        )
    )


def test_a_session_nobody_completed_ends_with_its_day_as_not_recorded_by_the_system(
    world,
) -> None:
    world.site("east", hours="mon-fri 09:00-17:00", timezone="America/New_York")
    member, ticket = in_session_since_noon(world, "east")
    with world.database.session() as s:
        service_day.sweep(s, LATE)  # the same service day: still theirs to complete
        assert s.get(Ticket, ticket.id).status == "in_session"
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT)
        ended = s.get(Ticket, ticket.id)
        entries = day_close_entries(s, ticket.id)
    assert (ended.status, ended.outcome, ended.end_reason) == (
        "completed",
        "not_recorded",
        "session_left_open",
    )
    assert ended.completed_at == AFTER_MIDNIGHT and ended.name == "Ana Test"
    assert len(entries) == 1 and (entries[0].actor, entries[0].staff_id) == ("system", None)
    assert entries[0].detail == {
        "reason": "service_day_ended",
        "from": "in_session",
        "to": "completed",
        "outcome": "not_recorded",
        "staff_id": member.id,
        "urgent": False,
        "alert_acknowledged": False,
    }


def test_the_retention_period_then_runs_from_that_close(world) -> None:
    world.site("east", hours="mon-fri 09:00-17:00", timezone="America/New_York")
    _, ticket = in_session_since_noon(world, "east")
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT)
    # Closed on 25 November, local: kept through 25 December, gone from midnight on the 26th.
    with world.database.session() as s:
        retention.purge(s, datetime(2026, 12, 26, 4, 59, tzinfo=UTC))
        assert s.get(Ticket, ticket.id).name == "Ana Test"
    with world.database.session() as s:
        retention.purge(s, datetime(2026, 12, 26, 5, 1, tzinfo=UTC))
        assert s.get(Ticket, ticket.id).name is None


def test_a_manager_still_signed_in_keeps_their_session_across_midnight(world) -> None:
    world.site("east", hours="mon-fri 09:00-17:00", timezone="America/New_York")
    member, ticket = in_session_since_noon(world, "east")
    with world.database.session() as s:
        duty.set_duty(s, "east", world.reload(member), on_duty=False, now=LATE)
        token = staff.issue_token(s, world.reload(member))
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT)
        assert s.get(Ticket, ticket.id).status == "in_session"
    with world.database.session() as s:
        staff.revoke_token(s, token)
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT + timedelta(minutes=1))
        assert s.get(Ticket, ticket.id).outcome == "not_recorded"


def test_an_office_open_around_the_clock_ends_a_forgotten_session_of_an_earlier_day(
    world, north
) -> None:
    _, ticket = in_session_since_noon(world, "north")
    with world.database.session() as s:
        waiting = checkins.check_in(s, "north", {"language": "en"}, now=LATE).ticket
    with world.database.session() as s:
        service_day.sweep(s, AFTER_MIDNIGHT)
        assert s.get(Ticket, ticket.id).outcome == "not_recorded"
        assert s.get(Ticket, waiting.id).status == "waiting"  # its line goes on


def test_not_recorded_is_never_a_managers_choice(
    api, world, north, sign_in, assert_contract_error
) -> None:
    world.staff("cm@example.org", on_duty_at="north")
    manager = sign_in("cm@example.org")
    api.check_in()
    called = api.call_next(manager).get_json()["ticket"]
    refused = api.move(manager, called["id"], "complete", outcome="not_recorded")
    assert assert_contract_error(refused, 422)["fields"].keys() == {"outcome"}
