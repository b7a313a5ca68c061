"""The reports' words for staff: each measure's name (domain.reports says what it means), a
group's name (a language in English words, a channel, an outcome), a change from the
previous period in words, and dates and minutes as people say them. Words only: every
figure is the services' own."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.core import UnknownLocaleError

from queue_service.domain.cases import DESTINATION_LABELS, Destination
from queue_service.domain.labels import CRISIS_LABELS, OUTCOME_LABELS
from queue_service.domain.lifecycle import CrisisReferral, Outcome
from queue_service.domain.needs import language_name

from .case_forms import CHANNEL_WORDS, day
from .chart_svg import NONE

MEASURE_WORDS = {
    "checkins": "Check-ins",
    "served": "Served",
    "no_show": "No-shows",
    "left": "Left on their own before being seen",
    "cancelled": "Cancelled",
    "day_closed": "Ended by the day's close",
    "left_at_day_close": "Still waiting when the day closed",
    "not_recorded": "Sessions left open, ended unrecorded",
    "unreachable": "Call-backs not reached",
    "still_open": "Still open",
    "left_without_being_seen": "Left without being seen",
    "urgent": "Urgent",
    "urgent_not_seen": "Urgent, not seen",
    "urgent_followed_up": "Urgent, not seen, followed up",
    "urgent_not_followed_up": "Urgent, not seen, to follow up",
    "first_time": "First-time visitors",
    "returning": "Returning visitors",
    "not_recognised": "Not recognised (no number or code)",
    "crisis_referrals": "Crisis referrals",
    "cases_opened": "Cases opened",
    "cases_reviewed": "Case reviews",
    "cases_closed": "Cases closed",
    "texts_sent": "Texts sent",
    "texts_delivered": "Texts delivered",
    "texts_failed": "Texts that failed",
    "texts_pending": "Texts not yet confirmed",
    "open_minutes": "Minutes open",
    "uncovered_minutes": "Open minutes with nobody on duty",
    "waiting_unstaffed_minutes": "Minutes someone waited with nobody on duty",
    "wait_median_min": "Median wait (minutes)",
    "wait_p90_min": "90th percentile wait (minutes)",
    "service_median_min": "Median time with a case manager (minutes)",
    "service_p90_min": "90th percentile time with a case manager (minutes)",
    "urgent_contact_median_min": "Median time to reach an urgent person (minutes)",
    "urgent_contact_p90_min": "90th percentile time to reach an urgent person (minutes)",
}
# The headline cards' shorter names (their values say "min").
SHORT_WORDS = {
    **MEASURE_WORDS,
    "wait_median_min": "Median wait",
    "wait_p90_min": "90th percentile wait",
}
# Where a figure above zero is something to act on: shown so, in words and with a mark
# ("urgent, not seen" only while some of them are still to follow up: needs_attention).
ALARMS = ("urgent_not_seen", "uncovered_minutes", "waiting_unstaffed_minutes")
# What a count counts, in the change's words ("up 3 people"); durations are in minutes.
_UNITS = {
    "checkins": ("check-in", "check-ins"),
    "not_recorded": ("session", "sessions"),
    "crisis_referrals": ("referral", "referrals"),
    "cases_opened": ("case", "cases"),
    "cases_reviewed": ("review", "reviews"),
    "cases_closed": ("case", "cases"),
    **{k: ("text", "texts") for k in ("texts_sent", "texts_delivered", "texts_failed",
                                      "texts_pending")},
}  # fmt: skip
WEEKDAY_WORDS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
VISITOR_KINDS = ("first_time", "returning", "not_recognised")
TEXT_KINDS = ("texts_sent", "texts_delivered", "texts_failed", "texts_pending")
CASE_KINDS = ("cases_opened", "cases_reviewed", "cases_closed")


def measure_words(key: str) -> str:
    """A measure's name (for one the words do not know yet, its API name in plain words)."""
    return MEASURE_WORDS.get(key, key.replace("_", " ").capitalize())


def unit_of(key: str) -> tuple[str, str]:
    """What a measure counts, one and many: minutes for a duration, else people unless
    it counts something else."""
    if key.endswith("_min") or key.endswith("_minutes"):
        return ("min", "min")
    return _UNITS.get(key, ("person", "people"))


def needs_attention(key: str, figures: dict[str, Any]) -> bool:
    """Whether a figure is one to act on: above zero, and for the urgent people nobody saw,
    while someone of them is still to follow up."""
    if key not in ALARMS:
        return False
    if key == "urgent_not_seen":
        return bool(figures.get("urgent_not_followed_up"))
    return bool(figures.get(key))


def figure_note(key: str, figures: dict[str, Any]) -> str:
    """The words under a headline figure that say what is inside it."""
    if key == "left_without_being_seen" and figures.get("left_without_being_seen"):
        at_close = figures.get("left_at_day_close") or 0
        return f"{figure(at_close)} of them still waiting when the day closed" if at_close else ""
    if key == "urgent_not_seen" and figures.get("urgent_not_seen"):
        return f"{figure(figures.get('urgent_followed_up') or 0)} followed up"
    if key == "uncovered_minutes" and figures.get("open_minutes") is not None:
        return f"of {minutes_words(figures['open_minutes'])} open"
    return ""


def language_words(code: str) -> str:
    """A language in English words, as the console says it elsewhere ("Haitian Creole")."""
    try:
        return language_name(code)
    except (ValueError, UnknownLocaleError):
        return code


def channel_words(value: str) -> str:
    return CHANNEL_WORDS.get(value, value)


def outcome_words(value: str) -> str:
    try:
        return OUTCOME_LABELS[Outcome(value)]
    except (ValueError, KeyError):
        return value


def crisis_words(value: str) -> str:
    try:
        return CRISIS_LABELS[CrisisReferral(value)]
    except (ValueError, KeyError):
        return value


def destination_words(value: str) -> str:
    try:
        return DESTINATION_LABELS[Destination(value)]
    except (ValueError, KeyError):
        return value


def figure(value: Any) -> str:
    """A figure as the server gave it (a dash when there is none: nobody to measure)."""
    if value is None:
        return NONE
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def minutes_words(value: Any) -> str:
    """Minutes, with hours beside them once there are 60 or more: "90 min (1 h 30 min)"."""
    if value is None:
        return NONE
    shown = f"{figure(value)} min"
    if value >= 60:
        hours, rest = divmod(round(value), 60)
        shown += f" ({hours} h {rest} min)" if rest else f" ({hours} h)"
    return shown


def shown(key: str, value: Any) -> str:
    """A measure's value as the pages show it: minutes for a duration, else the figure."""
    return minutes_words(value) if unit_of(key)[1] == "min" else figure(value)


def days_words(first: date, last: date) -> str:
    n = (last - first).days + 1
    return f"{n} day" if n == 1 else f"{n} days"


def span_words(first: date, last: date) -> str:
    """A range of days in words: "Mon 9 Mar 2026 to Sun 15 Mar 2026" (one day: that day)."""
    return day(first) if first == last else f"{day(first)} to {day(last)}"


def amount_words(value: Any, unit: tuple[str, str] = ("", "")) -> str:
    """A figure with what it counts: "13.6 min", "1 person", "5 check-ins"."""
    said = unit[0] if value == 1 else unit[1]
    return f"{figure(value)} {said}" if said else figure(value)


def change_words(
    change: dict[str, Any], period: str, unit: tuple[str, str] = ("", "")
) -> dict[str, str]:
    """A measure beside the previous period, in words and never by colour alone, with its
    unit (unit_of): {"mark": "↑", "words": "up 12% vs previous 7 days (was 25 people)"}."""
    value, before, diff, pct = (
        change.get(k) for k in ("value", "previous", "change", "change_pct")
    )
    versus = f"vs previous {period}"
    if value is None or before is None or diff is None:
        return {"mark": "", "words": f"nothing to compare {versus}"}
    if diff == 0:
        return {"mark": "=", "words": f"no change {versus}"}
    mark, way = ("↑", "up") if diff > 0 else ("↓", "down")
    amount = f"{figure(abs(pct))}%" if pct is not None else amount_words(abs(diff), unit)
    return {"mark": mark, "words": f"{way} {amount} {versus} (was {amount_words(before, unit)})"}
