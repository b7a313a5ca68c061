"""A site's text settings, as the API, the settings page and the command line edit them: the
neutral sender name every text starts with, the number call-backs come from (and texts to
reach the site at), how near the front "almost your turn" is, and whether JOIN by text puts
someone in the line; and where an urgent alert nobody acknowledged goes, and after how long
(domain/escalation.py)."""

from __future__ import annotations

from typing import Any

from ..domain.checkin import normalise_phone
from ..domain.escalation import ESCALATE_MINUTES_RANGE, MAX_ONCALL_NUMBERS
from ..domain.messages import ALMOST_TURN_AHEAD_RANGE
from ..domain.sms_wording import InvalidSender, check_sender_name
from ..models import Site
from .texts import mask

EDITABLE = frozenset(
    {
        "sms_sender_name",
        "sms_callback_number",
        "sms_almost_turn_ahead",
        "sms_join",
        "oncall_numbers",
        "escalate_after_minutes",
    }
)


def text_settings(site: Site) -> dict[str, Any]:
    return {
        "sms_sender_name": site.sms_sender_name,
        "sms_callback_number": site.sms_callback_number,
        "sms_almost_turn_ahead": site.sms_almost_turn_ahead,
        "sms_join": bool(site.sms_join),
        "oncall_numbers": list(site.oncall_numbers),
        "escalate_after_minutes": site.escalate_after_minutes,
    }


def check(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Validated column values for the text settings among `values`; problems into `errors`."""
    columns: dict[str, Any] = {}
    if "sms_sender_name" in values:
        try:
            columns["sms_sender_name"] = check_sender_name(values["sms_sender_name"])
        except InvalidSender as exc:
            errors["sms_sender_name"] = f"The sender name: {exc}."
    if "sms_callback_number" in values:
        number = values["sms_callback_number"]
        if number is None or (isinstance(number, str) and not number.strip()):
            columns["sms_callback_number"] = None
        elif not isinstance(number, str):
            errors["sms_callback_number"] = "A phone number, such as +16175550100, or null."
        else:
            try:
                columns["sms_callback_number"] = normalise_phone(number)
            except ValueError as exc:
                errors["sms_callback_number"] = str(exc)
    _whole_number(values, "sms_almost_turn_ahead", ALMOST_TURN_AHEAD_RANGE, columns, errors)
    if "oncall_numbers" in values:
        _check_oncall(values["oncall_numbers"], columns, errors)
    _whole_number(
        values, "escalate_after_minutes", ESCALATE_MINUTES_RANGE, columns, errors, "minutes"
    )
    if "sms_join" in values:
        if isinstance(values["sms_join"], bool):
            columns["sms_join"] = values["sms_join"]
        else:
            errors["sms_join"] = "true or false."
    return columns


def as_audited(changes: dict[str, Any]) -> dict[str, Any]:
    """A settings change as the audit log keeps it: the on-call numbers are people's work
    phones, kept masked, as the message log shows numbers."""
    if "oncall_numbers" not in changes:
        return changes
    masked = {
        side: [mask(number) for number in numbers]
        for side, numbers in changes["oncall_numbers"].items()
    }
    return {**changes, "oncall_numbers": masked}


def _check_oncall(numbers: object, columns: dict[str, Any], errors: dict[str, str]) -> None:
    if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        errors["oncall_numbers"] = 'A list of phone numbers, such as ["+16175550100"].'
        return
    if len(numbers) > MAX_ONCALL_NUMBERS:
        errors["oncall_numbers"] = f"At most {MAX_ONCALL_NUMBERS} numbers."
        return
    checked: list[str] = []
    for number in numbers:
        try:
            normal = normalise_phone(number)
        except ValueError as exc:
            errors["oncall_numbers"] = f"{number[:20]!r}: {exc}"
            return
        if normal is None:
            errors["oncall_numbers"] = "A blank number: leave it out, or give [] for none."
            return
        if normal not in checked:
            checked.append(normal)
    columns["oncall_numbers"] = checked


def _whole_number(
    values: dict[str, Any], key: str, allowed: range, columns: dict[str, Any],
    errors: dict[str, str], unit: str = "",
) -> None:  # fmt: skip
    if key not in values:
        return
    value = values[key]
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        of = f" of {unit}" if unit else ""
        errors[key] = f"A whole number{of} from {allowed.start} to {allowed.stop - 1}."
    else:
        columns[key] = value
