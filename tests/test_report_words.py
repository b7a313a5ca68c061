"""The report pages' words and pictures, as plain functions: the quick choices of days,
a change from the period before said with its unit, and the heatmap's shades (no data is
not a measured zero)."""

from __future__ import annotations

import re
from datetime import date

from staff_console import report_words
from staff_console.heatmap import heatmap, level
from staff_console.report_pages import quick_periods


def test_quick_choices_are_whole_weeks_and_months_or_so_far(app) -> None:
    with app.test_request_context():
        chosen = quick_periods(date(2026, 3, 11), "report_pages.sites_page")
    assert [(q["label"], q["from"], q["to"]) for q in chosen] == [
        ("This week", "2026-03-09", "2026-03-11"),
        ("Last week", "2026-03-02", "2026-03-08"),
        ("This month", "2026-03-01", "2026-03-11"),
        ("Last month", "2026-02-01", "2026-02-28"),
    ]


def test_a_change_is_said_in_words() -> None:
    def said(value, previous, change, pct):  # type: ignore[no-untyped-def]
        given = {"value": value, "previous": previous, "change": change, "change_pct": pct}
        return report_words.change_words(given, "7 days")

    assert said(28, 25, 3, 12.0) == {"mark": "↑", "words": "up 12% vs previous 7 days (was 25)"}
    minutes, people = report_words.unit_of("uncovered_minutes"), report_words.unit_of("served")
    assert (
        report_words.change_words(
            {"value": 570, "previous": 0, "change": 570, "change_pct": None}, "5 days", minutes
        )["words"]
        == "up 570 min vs previous 5 days (was 0 min)"
    )
    assert report_words.change_words(
        {"value": 10.2, "previous": 13.6, "change": -3.4, "change_pct": -25.0}, "7 days",
        report_words.unit_of("wait_median_min"),
    )["words"] == "down 25% vs previous 7 days (was 13.6 min)"  # fmt: skip
    assert (
        report_words.change_words(
            {"value": 2, "previous": 1, "change": 1, "change_pct": 100.0}, "7 days", people
        )["words"]
        == "up 100% vs previous 7 days (was 1 person)"
    )
    assert report_words.unit_of("texts_failed") == ("text", "texts")
    assert said(20.0, 25.0, -5.0, -20.0)["words"] == "down 20% vs previous 7 days (was 25)"
    assert said(3, 0, 3, None)["words"] == "up 3 vs previous 7 days (was 0)"
    assert said(4, 4, 0, 0.0)["words"] == "no change vs previous 7 days"
    assert said(7.0, None, None, None)["words"] == "nothing to compare vs previous 7 days"
    assert report_words.language_words("ht") == "Haitian Creole"
    assert report_words.language_words("x-klingon") == "x-klingon"
    assert report_words.minutes_words(90.0) == "90 min (1 h 30 min)"
    # No data is white; a measured 0 takes the lightest shade.
    assert [level(v, 8) for v in (None, 0, 0.5, 2, 2.1, 8)] == [0, 1, 1, 1, 2, 4]


def test_a_measured_zero_is_not_drawn_as_no_data() -> None:
    svg = str(heatmap("heat-x", "Median wait", "…", ["Mon"], [[0.0, None, 4.0] + [None] * 21]))
    cells = re.findall(r'<rect [^>]*class="heat (heat-\d)"', svg)
    assert cells[:3] == ["heat-1", "heat-0", "heat-4"]
    written = re.findall(r'class="heat-text heat-\d">([^<]*)<', svg)
    assert written == ["0", "4"]  # the empty hour has no number; the zero has its own
    assert ">no data<" in svg
