"""The reports as CSV, for a spreadsheet or the department's own tools: the same figures as
the JSON, counts and durations only (no name, number or note ever), every text cell made
safe against formula injection. The columns are documented in the README ("Reports")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from ..domain import reports
from .audit_csv import safe_cell

DAILY_COLUMNS = ("site", "date", "measure", "group", "value")
RANGE_COLUMNS = ("site", "date", *reports.MEASURES)
OVERVIEW_COLUMNS = (
    "site",
    "site_name",
    "from",
    "to",
    *reports.MEASURES,
    *(f"{m}_previous" for m in reports.MEASURES),
)
# The daily report's breakdowns, each a (measure, group) block of the long CSV.
_BREAKDOWNS = (
    ("checkins_by_channel", "by_channel"),
    ("checkins_by_language", "by_language"),
    ("checkins_by_need", "by_need"),
    ("served_by_outcome", "outcomes"),
    ("crisis_referrals_by_kind", "crisis_referrals"),
    ("cases_closed_by_destination", "cases_closed_by_destination"),
)


def daily_csv(report: dict[str, Any]) -> str:
    """One figure a line: the day's measures, then each breakdown by its group."""
    site, day = report["site"], report["date"]
    lines: list[Iterable[object]] = [
        (site, day, m, "", report["summary"][m]) for m in reports.MEASURES
    ]
    if "checkins_by_hour" in report:
        lines += [
            (site, day, "checkins_by_hour", f"{h:02d}", n)
            for h, n in enumerate(report["checkins_by_hour"])
        ]
        for measure, key in _BREAKDOWNS:
            lines += [(site, day, measure, g, n) for g, n in sorted(report[key].items())]
        for dimension in ("by_language", "by_channel"):
            for group in report["equity"][dimension]:
                # Each group's check-ins are already there (checkins_by_language, …).
                for field in (
                    "wait_median_min",
                    "wait_p90_min",
                    "left_without_being_seen",
                    "left_without_being_seen_pct",
                ):
                    lines.append(
                        (site, day, f"{field}_{dimension}", group["group"], group[field])
                    )  # fmt: skip
        lines += [
            (site, day, "waits_in_bucket", b["label"], b["count"])
            for b in report["wait_distribution"]
        ]
        lines += [
            (site, day, "waiting_at", s["at"], s["waiting"]) for s in report["line"]["samples"]
        ]
    return _csv(DAILY_COLUMNS, lines)


def range_csv(report: dict[str, Any]) -> str:
    return _csv(
        RANGE_COLUMNS,
        (
            [report["site"], day["date"], *(day[m] for m in reports.MEASURES)]
            for day in report["days"]
        ),
    )


def overview_csv(report: dict[str, Any]) -> str:
    return _csv(
        OVERVIEW_COLUMNS,
        (
            [
                s["site"], s["site_name"], report["from"], report["to"],
                *(s["totals"][m] for m in reports.MEASURES),
                *(s["change"][m]["previous"] for m in reports.MEASURES),
            ]
            for s in report["sites"]
        ),
    )  # fmt: skip


def _csv(columns: Iterable[str], lines: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for line in lines:
        writer.writerow([safe_cell("" if v is None else v) for v in line])
    return out.getvalue()
