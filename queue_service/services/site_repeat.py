"""A site's repeat-visit rule, as the API, the settings page and the command line edit it
(domain.visitors.RepeatRule: visits, or urgent visits, within a window of local days)."""

from __future__ import annotations

from typing import Any

from ..domain.visitors import REPEAT_LIMITS
from ..models import Site

# The API's names; the columns carry a repeat_ prefix.
FIELDS = {
    "repeat_visits": "visits",
    "repeat_urgent_visits": "urgent_visits",
    "repeat_window_days": "window_days",
}
EDITABLE = frozenset(FIELDS)


def repeat_settings(site: Site) -> dict[str, Any]:
    return {field: getattr(site, field) for field in FIELDS}


def check(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for field, rule_name in FIELDS.items():
        if field not in values:
            continue
        low, high = REPEAT_LIMITS[rule_name]
        value = values[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[field] = f"A whole number from {low} to {high}."
        else:
            columns[field] = value
    return columns
