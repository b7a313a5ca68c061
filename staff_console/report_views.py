"""The daily report as the page shows it: the headline figures, the day's hours, each chart
with its numbers as a table, and the equity tables, all from services.reports.daily's
answer. Nothing here counts or measures: it picks, orders and words the server's figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from queue_service.domain.needs import staff_labels
from queue_service.domain.reports import MEASURES
from queue_service.models import Site

from . import report_words as w
from .bar_charts import bars, columns
from .chart_svg import Table

Report = dict[str, Any]
HOURS = [f"{h:02d}" for h in range(24)]
QUARTERS = (":00", ":15", ":30", ":45")
# The day's figures at the top of its page (the range's totals are the same).
TILES = (
    "checkins",
    "served",
    "wait_median_min",
    "wait_p90_min",
    "left_without_being_seen",
    "urgent",
    "urgent_not_seen",
    "uncovered_minutes",
    "waiting_unstaffed_minutes",
)


def headline(summary: Report) -> list[dict[str, Any]]:
    """The day's figures: first the tiles at the top (`tile`), those to act on standing out
    (report_words.needs_attention), then every measure for the "Every figure" table."""

    def tile(key: str) -> dict[str, Any]:
        return {"key": key, "label": w.SHORT_WORDS[key], "value": w.shown(key, summary[key]),
                "note": w.figure_note(key, summary), "alarm": w.needs_attention(key, summary),
                "tile": True}  # fmt: skip

    every = [
        {"key": m, "label": w.measure_words(m), "value": w.shown(m, summary.get(m)), "tile": False}
        for m in MEASURES
        if m in summary
    ]
    return [*(tile(key) for key in TILES), *every]


def hours_words(hours: Report) -> str:
    """The hours in force that day, as the report has them."""
    if hours["closed_for"]:
        return f"Closed that day: {hours['closed_for']}."
    spans = hours["spans"]
    if not spans:
        return f"Closed all day (the weekly hours: {hours['spec']})."
    if len(spans) == 1 and spans[0][0] == spans[0][1] == "00:00":
        return "Open all day and night."
    said = ", ".join(f"{a} to {'midnight' if b == '00:00' else b}" for a, b in spans)
    return f"Open {said} (the weekly hours: {hours['spec']})."


def mix(
    chart_id: str, heading: str, counts: dict[str, int], words: Callable[[str], str],
    group: str, *, column: str = "Check-ins", empty: str = "None this day.",
) -> dict[str, Any]:  # fmt: skip
    """A mix as horizontal bars, largest first, and its table."""
    rows = sorted(((words(k), n) for k, n in counts.items()), key=lambda r: (-r[1], r[0]))
    return bar_figure(chart_id, heading, rows, group, column=column, empty=empty)


def bar_figure(
    chart_id: str, heading: str, rows: Sequence[tuple[str, float]], group: str,
    *, column: str = "Check-ins", empty: str = "None this day.",
) -> dict[str, Any]:  # fmt: skip
    if not rows or not any(n for _, n in rows):
        return {"id": chart_id, "heading": heading, "empty": empty}
    listed = ", ".join(f"{label} {w.figure(n)}" for label, n in rows[:6])
    more = f", and {len(rows) - 6} more" if len(rows) > 6 else ""
    summary = f"{heading}: {listed}{more}."
    return {
        "id": chart_id,
        "heading": heading,
        "svg": bars(chart_id, heading, summary, rows),
        "table": Table(heading, (group, column), rows),
    }


def arrivals(report: Report) -> dict[str, Any]:
    """Arrivals hour by hour, with the line's length through the day over them."""
    by_hour, line = report["checkins_by_hour"], report["line"]
    points = [(_hours(s["at"]), s["waiting"]) for s in line["samples"]]
    if report["summary"]["checkins"]:
        busiest = max(range(24), key=lambda h: (by_hour[h], -h))
        summary = (
            f"{w.figure(report['summary']['checkins'])} check-ins; the most arrived in the "
            f"hour from {busiest:02d}:00 ({by_hour[busiest]}). The line was longest at "
            f"{line['peak_at']}, with {line['peak']} waiting."
        )
    else:
        summary = "Nobody checked in this day."
    waiting: dict[str, list[str]] = {h: ["", "", "", ""] for h in HOURS}
    for s in line["samples"]:
        cells = waiting[s["at"][:2]]
        quarter = QUARTERS.index(f":{s['at'][3:]}") if f":{s['at'][3:]}" in QUARTERS else 0
        shown = str(s["waiting"])  # the hour that comes twice in autumn has two of each
        cells[quarter] = f"{cells[quarter]} / {shown}" if cells[quarter] else shown
    heading = "Arrivals by hour, and the line through the day"
    return {
        "id": "chart-arrivals",
        "heading": heading,
        "svg": columns(
            "chart-arrivals",
            heading,
            summary,
            HOURS,
            by_hour,
            y_title="Check-ins",
            x_title="Hour of the day (bars: check-ins; dashed line: people waiting)",
            line=points,
            line_title="Waiting",
        ),
        "table": Table(
            "Check-ins in each hour, and how many were waiting at each quarter hour",
            ("Hour", "Check-ins", *(f"Waiting at {q}" for q in QUARTERS)),
            [(f"{h}:00", by_hour[i], *waiting[h]) for i, h in enumerate(HOURS)],
        ),
    }


def waits(report: Report) -> dict[str, Any]:
    buckets, s = report["wait_distribution"], report["summary"]
    heading = "How long people waited to be called"
    if not any(b["count"] for b in buckets):
        return {"id": "chart-waits", "heading": heading, "empty": "Nobody was called this day."}
    most = max(buckets, key=lambda b: b["count"])
    summary = (
        f"Median wait {w.minutes_words(s['wait_median_min'])}, 90th percentile "
        f"{w.minutes_words(s['wait_p90_min'])}; the most people waited {most['label']} "
        f"({most['count']})."
    )
    short = [
        b["label"].replace(" to ", "\N{EN DASH}").replace(" min", "").replace("over ", "> ")
        for b in buckets
    ]  # fmt: skip
    return {
        "id": "chart-waits",
        "heading": heading,
        "svg": columns(
            "chart-waits",
            heading,
            summary,
            short,
            [b["count"] for b in buckets],
            y_title="People",
            x_title="Minutes from check-in to the first call",
        ),
        "table": Table(heading, ("Wait", "People"), [(b["label"], b["count"]) for b in buckets]),
    }


def daily_charts(report: Report, site: Site) -> list[dict[str, Any]]:
    s = report["summary"]

    def need_words(slug: str) -> str:
        return staff_labels(site.needs, [slug])[0]

    def summary_rows(keys: Sequence[str]) -> list[tuple[str, float]]:
        return [(w.MEASURE_WORDS[k], s[k]) for k in keys]

    return [
        arrivals(report),
        waits(report),
        mix("chart-channel", "How people came", report["by_channel"], w.channel_words, "Channel"),
        mix("chart-language", "Languages", report["by_language"], w.language_words, "Language"),
        mix(
            "chart-need", "What brought people in", report["by_need"], need_words, "Need",
            empty="Nobody said this day.",
        ),
        mix(
            "chart-outcome", "How visits with a case manager ended", report["outcomes"],
            w.outcome_words, "Outcome", column="Visits",
            empty="No visit ended with a case manager.",
        ),
        mix(
            "chart-crisis", "Crisis referrals, each on its own line",
            report["crisis_referrals"], w.crisis_words, "Referred to", column="Referrals",
            empty="No crisis referrals this day.",
        ),
        bar_figure(
            "chart-visitors", "Visitors", summary_rows(w.VISITOR_KINDS), "Visitors",
            empty="Nobody checked in this day.",
        ),
        bar_figure(
            "chart-cases", "Critical-need cases", summary_rows(w.CASE_KINDS), "Case work",
            column="Cases", empty="No case was opened, reviewed or closed.",
        ),
        mix(
            "chart-destination", "Cases closed, by where the person went on to",
            report["cases_closed_by_destination"], w.destination_words, "Went on to",
            column="Cases", empty="No case closed this day.",
        ),
        bar_figure(
            "chart-texts", "Texts", summary_rows(w.TEXT_KINDS), "Status", column="Texts",
            empty="No texts this day.",
        ),
    ]  # fmt: skip


def equity(report: Report) -> dict[str, list[dict[str, Any]]]:
    """Wait and leaving unseen by language and by channel, in words, in the services' order
    (most check-ins first); the group with the longest median wait is marked (`longest`),
    when more than one group waited and their medians differ."""

    def rows(groups: list[Report], words: Callable[[str], str]) -> list[dict[str, Any]]:
        medians = [g["wait_median_min"] for g in groups if g["wait_median_min"] is not None]
        longest = max(medians) if len(medians) > 1 and len(set(medians)) > 1 else None
        return [
            {
                **g,
                "name": words(g["group"]),
                "wait_median": w.minutes_words(g["wait_median_min"]),
                "wait_p90": w.minutes_words(g["wait_p90_min"]),
                "unseen_pct": f"{w.figure(g['left_without_being_seen_pct'])}%",
                "longest": longest is not None and g["wait_median_min"] == longest,
            }
            for g in groups
        ]

    return {
        "by_language": rows(report["equity"]["by_language"], w.language_words),
        "by_channel": rows(report["equity"]["by_channel"], w.channel_words),
    }


def _hours(clock: str) -> float:
    """A sample's "HH:MM" as hours since midnight (its place along the hours' columns)."""
    hh, mm = clock.split(":")
    return int(hh) + int(mm) / 60
