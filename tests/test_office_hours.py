"""Office hours in a site's own time zone: the SPEC, dated closures, and the days the clocks
change. No database: the rules alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from queue_service.domain.hours import parse_closures, parse_spec
from queue_service.domain.office import OfficeState, office_now
from queue_service.domain.office_hours import OfficeHours

BOSTON = "America/New_York"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def weekdays(spec: str = "mon-fri 09:00-17:00", closures=()) -> OfficeHours:  # type: ignore[no-untyped-def]
    return OfficeHours(parse_spec(spec), BOSTON, parse_closures(list(closures)))


@pytest.mark.parametrize(
    ("spec", "canonical"),
    [
        ("mon-fri 09:00-17:00", "mon-fri 09:00-17:00"),
        ("Mon-Fri 09:00-17:00,  sat 10:00-13:00", "mon-fri 09:00-17:00, sat 10:00-13:00"),
        ("mon-thu 08:30-12:00 13:00-17:00", "mon-thu 08:30-12:00 13:00-17:00"),
        ("mon 09:00-12:00, tue-fri 09:00-12:00", "mon-fri 09:00-12:00"),
        ("always", "always"),
        ("mon-sun 00:00-24:00", "always"),
    ],
)
def test_a_spec_reads_back_in_one_canonical_form(spec: str, canonical: str) -> None:
    assert parse_spec(spec).spec() == canonical
    assert parse_spec(parse_spec(spec).spec()) == parse_spec(spec)


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("", "Write the hours like"),
        ("mon 9-17", "'9' is not a time"),
        ("fri-mon 09:00-10:00", "week order"),
        ("mon 10:00-09:00", "must end after it starts"),
        ("mon 09:00-12:00 11:00-13:00", "overlap"),
        ("xyz 09:00-10:00", "days are mon"),
        ("mon 09:00-25:00", "not a time"),
        ("mon", "not a day and times"),
        ("mon-fri 09:00-17:00,", "a comma with nothing after it"),
        ("mon 09:00-12:00,, tue 09:00-12:00", "a comma with nothing after it"),
    ],
)
def test_a_bad_spec_says_what_is_wrong(spec: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_spec(spec)


def test_open_from_opening_until_closing_not_a_minute_longer() -> None:
    hours = weekdays()
    assert not hours.is_open(at("2026-12-02T08:59:59-05:00"))
    assert hours.is_open(at("2026-12-02T09:00:00-05:00"))
    assert hours.is_open(at("2026-12-02T16:59:59-05:00"))
    assert not hours.is_open(at("2026-12-02T17:00:00-05:00"))


def test_after_friday_closing_the_next_opening_is_monday_morning() -> None:
    hours = weekdays()
    friday_evening = at("2026-12-04T18:30:00-05:00")
    assert hours.opens_at(friday_evening) == at("2026-12-07T09:00:00-05:00")
    assert hours.closes_at(friday_evening) is None
    assert hours.closes_at(at("2026-12-04T10:00:00-05:00")) == at("2026-12-04T17:00:00-05:00")


def test_a_lunch_break_closes_the_office_between_spans() -> None:
    hours = weekdays("mon-fri 08:30-12:00 13:00-17:00")
    lunch = at("2026-12-02T12:30:00-05:00")
    assert not hours.is_open(lunch)
    assert hours.opens_at(lunch) == at("2026-12-02T13:00:00-05:00")
    assert hours.closes_at(at("2026-12-02T11:00:00-05:00")) == at("2026-12-02T12:00:00-05:00")


def test_a_dated_closure_closes_the_whole_day_and_opening_moves_past_it() -> None:
    hours = weekdays(closures=[{"date": "2026-12-25", "reason": "Holiday"}])
    christmas_morning = at("2026-12-25T10:00:00-05:00")
    assert not hours.is_open(christmas_morning)
    assert hours.closure_on(date(2026, 12, 25)).reason == "Holiday"
    assert hours.opens_at(at("2026-12-24T18:00:00-05:00")) == at("2026-12-28T09:00:00-05:00")


def test_always_is_open_at_any_moment_and_never_closes() -> None:
    hours = weekdays("always")
    for moment in ("2026-12-06T03:00:00-05:00", "2026-03-08T02:30:00-04:00"):
        assert hours.is_open(at(moment))
        assert hours.closes_at(at(moment)) is None
        assert hours.opens_at(at(moment)) is None


def test_always_with_a_closure_closes_at_that_midnight() -> None:
    hours = weekdays("always", closures=[{"date": "2026-12-25", "reason": ""}])
    assert hours.closes_at(at("2026-12-24T20:00:00-05:00")) == at("2026-12-25T00:00:00-05:00")
    assert hours.opens_at(at("2026-12-25T12:00:00-05:00")) == at("2026-12-26T00:00:00-05:00")


def test_spring_forward_day_keeps_wall_clock_hours() -> None:
    """8 March 2026: 02:00 EST becomes 03:00 EDT. A Sunday office opens at 09:00 EDT."""
    hours = weekdays("sun 09:00-17:00")
    assert not hours.is_open(at("2026-03-08T12:59:00+00:00"))  # 08:59 EDT
    assert hours.is_open(at("2026-03-08T13:00:00+00:00"))  # 09:00 EDT (14:00 UTC in winter)
    assert hours.closes_at(at("2026-03-08T15:00:00+00:00")) == at("2026-03-08T21:00:00+00:00")
    assert hours.opens_at(at("2026-03-08T07:30:00+00:00")) == at("2026-03-08T13:00:00+00:00")


def test_a_span_starting_in_the_skipped_hour_starts_when_the_clock_resumes() -> None:
    hours = weekdays("sun 02:30-05:00")
    assert hours.opens_at(at("2026-03-08T05:00:00+00:00")) == at("2026-03-08T07:30:00+00:00")
    assert hours.is_open(at("2026-03-08T07:30:00+00:00"))  # 03:30 EDT


def test_fall_back_day_keeps_wall_clock_hours_and_counts_the_repeated_hour() -> None:
    """1 November 2026: 02:00 EDT becomes 01:00 EST; the day has 25 hours."""
    hours = weekdays("sun 00:00-24:00")
    assert hours.is_open(at("2026-11-01T05:30:00+00:00"))  # 01:30 EDT
    assert hours.is_open(at("2026-11-01T06:30:00+00:00"))  # 01:30 EST, the hour again
    assert hours.closes_at(at("2026-11-01T12:00:00+00:00")) == at("2026-11-02T05:00:00+00:00")
    weekday = weekdays()
    assert weekday.opens_at(at("2026-11-01T12:00:00+00:00")) == at("2026-11-02T14:00:00+00:00")
    assert not weekday.is_open(at("2026-11-02T13:59:00+00:00"))  # 08:59 EST
    assert weekday.is_open(at("2026-11-02T14:00:00+00:00"))  # 09:00 EST


@pytest.mark.parametrize(
    ("closures", "says"),
    [
        ({"date": "2026-12-25"}, "A list"),
        ([{"date": "25/12/2026"}], "is not a date"),
        ([{"date": "2026-12-25", "why": "x"}], "Each closure is"),
        ([{"date": "2026-12-25", "reason": "x" * 121}], "at most 120"),
    ],
)
def test_bad_closures_are_refused_by_name(closures: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_closures(closures)


def test_the_office_state_is_decided_by_hours_and_duty_together() -> None:
    hours = weekdays()
    tuesday_noon = at("2026-12-01T12:00:00-05:00")
    midnight = at("2026-12-02T00:00:00-05:00")
    assert office_now(hours, managers_on_duty=1, now=tuesday_noon).state == OfficeState.STAFFED
    assert office_now(hours, managers_on_duty=0, now=tuesday_noon).state == OfficeState.UNSTAFFED
    assert office_now(hours, managers_on_duty=0, now=midnight).state == OfficeState.CLOSED
    late = office_now(hours, managers_on_duty=1, now=midnight)
    assert late.state == OfficeState.STAFFED and late.past_hours and late.accepts_check_ins
    assert not office_now(hours, managers_on_duty=0, now=midnight).accepts_check_ins
