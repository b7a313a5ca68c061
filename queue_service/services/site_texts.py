"""A site's text settings, as the API, the settings page and the command line edit them: the
neutral sender name every text starts with, the number call-backs come from (and texts to
reach the site at), how near the front "almost your turn" is, and whether JOIN by text puts
someone in the line."""

from __future__ import annotations

from typing import Any

from ..domain.checkin import normalise_phone
from ..domain.messages import ALMOST_TURN_AHEAD_RANGE
from ..domain.sms_wording import InvalidSender, check_sender_name
from ..models import Site

EDITABLE = frozenset(
    {"sms_sender_name", "sms_callback_number", "sms_almost_turn_ahead", "sms_join"}
)


def text_settings(site: Site) -> dict[str, Any]:
    return {
        "sms_sender_name": site.sms_sender_name,
        "sms_callback_number": site.sms_callback_number,
        "sms_almost_turn_ahead": site.sms_almost_turn_ahead,
        "sms_join": bool(site.sms_join),
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
    if "sms_almost_turn_ahead" in values:
        ahead = values["sms_almost_turn_ahead"]
        low, high = ALMOST_TURN_AHEAD_RANGE.start, ALMOST_TURN_AHEAD_RANGE.stop - 1
        if (
            isinstance(ahead, bool)
            or not isinstance(ahead, int)
            or ahead not in ALMOST_TURN_AHEAD_RANGE
        ):
            errors["sms_almost_turn_ahead"] = f"A whole number from {low} to {high}."
        else:
            columns["sms_almost_turn_ahead"] = ahead
    if "sms_join" in values:
        if isinstance(values["sms_join"], bool):
            columns["sms_join"] = values["sms_join"]
        else:
            errors["sms_join"] = "true or false."
    return columns
