"""The range and overview reports as the pages show them: the totals beside the previous
period in words, the day-by-day trends, the weekday and hour averages, the weekday by hour
heatmaps, and the sites side by side, all from services.report_ranges' answers. Nothing
here counts or measures: it picks, orders and words the server's figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import report_words as w
from .bar_charts import columns
from .case_forms import day
from .chart_svg import Table
from .heatmap import heatmap
from .line_charts import Series, lines
from .report_views import HOURS, TILES

Report = dict[str, Any]
# The totals at the top of a range (the day's tiles), and the columns of the sites.
HEADLINE = TILES
SITE_COLUMNS = (
    "checkins",
    "served",
    "wait_median_min",
    "wait_p90_min",
    "left_without_being_seen",
    "urgent_not_seen",
    "uncovered_minutes",
)


def period_words(report: Report) -> str:
    return w.days_words(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))


def with_change(
    measure: str, change: Report, period: str, figures: Report, *, short: bool = False,
    notes: tuple[str, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    """A measure beside the previous period; `figures` are the totals it is one of (what
    says whether it needs attention, and, for the measures in `notes`, the note under it)."""
    return {
        "key": measure,
        "label": w.SHORT_WORDS[measure] if short else w.measure_words(measure),
        "value": w.shown(measure, change["value"]),
        "previous": w.shown(measure, change["previous"]),
        "change": w.change_words(change, period, w.unit_of(measure)),
        "note": w.figure_note(measure, figures) if measure in notes else "",
        "alarm": w.needs_attention(measure, figures),
    }


def totals(report: Report) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The headline totals, and every measure, each beside the previous period."""
    period, figures = period_words(report), report["totals"]
    every = [with_change(m, c, period, figures) for m, c in report["change"].items()]
    head = [
        with_change(m, report["change"][m], period, figures, short=True, notes=HEADLINE)
        for m in HEADLINE
    ]
    return head, every


def closed(row: Report) -> bool:
    """A day with no business hours that nobody came on (not a quiet open day)."""
    return row.get("open_minutes") == 0 and row.get("checkins") == 0


def _day_row(d: Report) -> tuple[str, ...]:
    label = day(date.fromisoformat(d["date"])) + (" (so far)" if d.get("partial") else "")
    if closed(d):
        return (label, "closed", "closed", "closed")
    return (label, w.figure(d["checkins"]), w.figure(d["served"]),
            w.minutes_words(d["wait_median_min"]))  # fmt: skip


def _day_label(text: str, many: bool) -> str:
    words = day(date.fromisoformat(text)).split(" ")  # "Tue 1 Dec 2026"
    return " ".join(words[1:3]) if many else " ".join(words[:2])


def trends(report: Report) -> list[dict[str, Any]]:
    days = report["days"]
    many = len(days) > 14
    labels = [_day_label(d["date"], many) for d in days]
    checkins = [d["checkins"] for d in days]
    served = [d["served"] for d in days]
    medians = [d["wait_median_min"] for d in days]
    t = report["totals"]
    first = (
        f"Each day's check-ins and people served, {w.span_words(*span_of(report))}: "
        f"{w.figure(t['checkins'])} check-ins and {w.figure(t['served'])} served in all."
    )
    second = (
        f"Each day's median wait; over the whole range {w.minutes_words(t['wait_median_min'])}."
        " A gap is a day nobody was called."
        if t["wait_median_min"] is not None
        else "Nobody was called in this range."
    )
    return [
        {
            "id": "chart-trend",
            "heading": "Check-ins and served, day by day",
            "svg": lines(
                "chart-trend",
                "Check-ins and served, day by day",
                first,
                labels,
                [Series("Check-ins", checkins), Series("Served", served)],
                y_title="People",
            ),
            "table": Table(
                "Each day's figures",
                ("Day", "Check-ins", "Served", "Median wait"),
                [_day_row(d) for d in days],
            ),
        },
        {
            "id": "chart-wait-trend",
            "heading": "Median wait, day by day",
            "svg": lines(
                "chart-wait-trend",
                "Median wait, day by day",
                second,
                labels,
                [Series("Median wait", medians)],
                y_title="Minutes",
            ),
            "table": None,  # its numbers are the last column of the table above
        },
    ]


def patterns(report: Report) -> list[dict[str, Any]]:
    weekdays = report["by_weekday"]
    names = [w.WEEKDAY_WORDS[d["weekday"]] for d in weekdays]
    per_day = [d["checkins_per_day"] for d in weekdays]
    busiest = max(range(7), key=lambda i: per_day[i])
    by_hour = report["by_hour"]
    peak = max(range(24), key=lambda h: by_hour[h])
    return [
        {
            "id": "chart-weekday",
            "heading": "Average check-ins by weekday",
            "svg": columns(
                "chart-weekday",
                "Average check-ins by weekday",
                f"Check-ins a day on each weekday; the most on {names[busiest]}s "
                f"({w.figure(per_day[busiest])} a day)."
                if per_day[busiest]
                else "Nobody checked in in this range.",
                [n[:3] for n in names],
                per_day,
                y_title="Check-ins a day",
            ),
            "table": Table(
                "Average check-ins by weekday",
                ("Weekday", "Days in the range", "Check-ins a day"),
                [
                    (n, d["days"], d["checkins_per_day"])
                    for n, d in zip(names, weekdays, strict=True)
                ],
            ),
        },
        {
            "id": "chart-hour",
            "heading": "Average check-ins by hour of the day",
            "svg": columns(
                "chart-hour",
                "Average check-ins by hour of the day",
                f"Check-ins a day in each hour; the most in the hour from {peak:02d}:00 "
                f"({w.figure(by_hour[peak])} a day)."
                if by_hour[peak]
                else "Nobody checked in in this range.",
                HOURS,
                by_hour,
                y_title="Check-ins a day",
                x_title="Hour of the day",
            ),
            "table": Table(
                "Average check-ins by hour of the day",
                ("Hour", "Check-ins a day"),
                [(f"{h}:00", v) for h, v in zip(HOURS, by_hour, strict=True)],
            ),
        },
    ]


def heatmaps(report: Report) -> list[dict[str, Any]]:
    heat = report["heatmap"]
    names = [w.WEEKDAY_WORDS[d] for d in heat["weekdays"]]
    found = []
    for key, heading, unit in (
        ("arrivals", "Arrivals, weekday by hour", "check-ins a day"),
        ("wait_median_min", "Median wait, weekday by hour", "minutes"),
    ):
        grid = heat[key]
        cells = [(v, names[r], h) for r, row in enumerate(grid) for h, v in enumerate(row) if v]
        if cells:
            top, name, hour = max(cells)
            summary = (
                f"{heading} ({unit}), darker for more; the highest is {name} from "
                f"{hour:02d}:00 ({w.figure(top)} {unit})."
            )
        else:
            summary = f"{heading}: nothing to show in this range."
        chart_id = f"heat-{key.replace('_', '-')}"
        found.append(
            {
                "id": chart_id,
                "heading": f"{heading} ({unit})",
                "svg": heatmap(chart_id, heading, summary, [n[:3] for n in names], grid),
                "table": Table(
                    f"{heading} ({unit})",
                    ("Weekday", *(f"{h}:00" for h in HOURS)),
                    [(n, *(w.figure(v) for v in row)) for n, row in zip(names, grid, strict=True)],
                ),
                "wide": True,
            }
        )
    return found


def overview_rows(report: Report) -> list[dict[str, Any]]:
    period = period_words(report)
    return [
        {
            "site": s["site"],
            "site_name": s["site_name"],
            "cells": [
                with_change(m, s["change"][m], period, s["totals"], notes=("urgent_not_seen",))
                for m in SITE_COLUMNS
            ],
        }
        for s in report["sites"]
    ]


def span_of(report: Report) -> tuple[date, date]:
    return date.fromisoformat(report["from"]), date.fromisoformat(report["to"])
