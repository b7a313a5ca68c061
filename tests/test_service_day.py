"""Each service day starts with an empty line; what earlier days left open is closed."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from queue_service.models import DutyShift, Staff, Ticket
from queue_service.services import checkins, duty, queue, sites

# 10:00 in Boston (north's time zone) on a Tuesday, and the same time the day before.
TODAY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
YESTERDAY = TODAY - timedelta(days=1)
KEY = "8d5b1d0e-2f3c-4a5b-9c6d-7e8f9a0b1c2d"


pytestmark = pytest.mark.usefixtures("weekday_north")


@pytest.fixture
def weekday_north(north, session):  # type: ignore[no-untyped-def]
    """Weekday hours: an office open around the clock never closes its line at midnight."""
    sites.update_site(session, "north", {"hours": "mon-fri 09:00-17:00"})
    return north


@pytest.fixture
def maria(world, session):
    member = world.staff("maria@example.org")
    return session.get(Staff, member.id)


def test_yesterdays_waiting_people_leave_the_line_and_codes_start_again(session, maria):
    duty.set_duty(session, "north", maria, on_duty=True, now=YESTERDAY)
    checkins.check_in(session, "north", {"language": "en"}, now=YESTERDAY)
    left_waiting = checkins.check_in(session, "north", {"language": "en"}, now=YESTERDAY).ticket
    called = queue.call_next(session, "north", maria, now=YESTERDAY)
    assert called is not None and called.id != left_waiting.id

    today = checkins.check_in(session, "north", {"language": "en"}, now=TODAY)
    assert today.ticket.code == "A-001"
    assert today.place.position == 1
    session.expire_all()
    assert session.get(Ticket, left_waiting.id).status == "left"
    assert session.get(Ticket, called.id).status == "no_show"


def test_forgotten_duty_shifts_end_at_midnight(session, maria):
    duty.set_duty(session, "north", maria, on_duty=True, now=YESTERDAY)
    checkins.check_in(session, "north", {"language": "en"}, now=TODAY)
    shift = session.scalars(select(DutyShift)).one()
    midnight_in_boston = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    assert shift.ended_at == midnight_in_boston


def test_call_next_on_a_new_day_never_hands_out_yesterdays_ticket(session, maria):
    checkins.check_in(session, "north", {"language": "en"}, now=YESTERDAY)
    duty.set_duty(session, "north", maria, on_duty=True, now=TODAY)
    assert queue.call_next(session, "north", maria, now=TODAY) is None


def test_an_idempotency_key_reused_the_next_day_makes_a_new_ticket(session):
    keyed = {"idempotency_key": KEY, "secret_key": "test-secret"}
    first = checkins.check_in(session, "north", {"language": "en"}, **keyed, now=YESTERDAY)
    again = checkins.check_in(session, "north", {"language": "en"}, **keyed, now=TODAY)
    assert again.created and again.ticket.id != first.ticket.id
