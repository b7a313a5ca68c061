"""The reports' rules as plain Python: percentiles, periods, coverage from levels, and the
time zone's offsets that SQLite shifts times by."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_service.domain import report_coverage, reports
from queue_service.domain.errors import ValidationFailed
from queue_service.domain.report_coverage import Level

BOSTON = ZoneInfo("America/New_York")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 10, hour, minute, tzinfo=BOSTON).astimezone(UTC)


@pytest.mark.parametrize(
    "values, tenths, expected",
    [([4, 10, 10, 30], 5, 10), ([4, 10, 10, 30], 9, 24), ([7], 9, 7), ([1, 2], 5, 1.5)],
)
def test_percentiles_interpolate_between_the_nearest_ranks(values, tenths, expected) -> None:
    ranked = dict(enumerate(sorted(values)))
    assert reports.percentile(ranked, len(values), tenths) == pytest.approx(expected)


def test_nothing_measured_has_no_percentile() -> None:
    assert reports.percentile({}, 0, 5) is None


def test_a_period_is_compared_with_the_same_length_just_before() -> None:
    assert reports.previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2026, 1, 29), date(2026, 2, 28),
    )  # fmt: skip
    assert reports.change(3, 0)["change_pct"] is None
    assert reports.change(None, 4)["change"] is None


def test_a_range_is_at_most_a_year_and_a_day() -> None:
    reports.parse_range("2024-01-01", "2024-12-31")
    with pytest.raises(ValidationFailed):
        reports.parse_range("2024-01-01", "2025-01-01")


def test_coverage_counts_open_minutes_nobody_covered_and_time_someone_waited_alone() -> None:
    levels = [Level(at(9), 0, 1), Level(at(10), 2, 1), Level(at(12), 2, 0), Level(at(12, 30), 0, 0)]
    day = reports.day_bounds(date(2026, 3, 10), BOSTON)
    found = report_coverage.coverage(levels, day, [(at(9), at(17))])
    assert found.open_minutes == 480
    assert found.uncovered_minutes == 300  # 12:00 to 17:00
    assert found.waiting_unstaffed_minutes == 30


def test_the_line_is_sampled_every_quarter_hour() -> None:
    levels = [Level(at(9, 5), 1, 1), Level(at(9, 20), 0, 1)]
    day = reports.day_bounds(date(2026, 3, 10), BOSTON)
    samples = dict(report_coverage.line_samples(levels, day))
    assert samples[at(9)] == 0 and samples[at(9, 15)] == 1 and samples[at(9, 30)] == 0
    assert len(samples) == 96


def test_the_offsets_change_at_the_clock_changes() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    offsets = reports.utc_offsets(BOSTON, start, start + timedelta(days=365))
    assert offsets == [
        (start, -5 * 3600),
        (datetime(2026, 3, 8, 7, tzinfo=UTC), -4 * 3600),
        (datetime(2026, 11, 1, 6, tzinfo=UTC), -5 * 3600),
    ]
