"""What a person may tell us when they join the line, and how it is checked.

Open access means no intake form: every field but the language can be left out. What is
given is checked strictly, so that a typo is pointed out instead of silently dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import phonenumbers
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError

from .errors import ValidationFailed
from .visitors import normalise_return_code

NAME_MAX = 40
LANGUAGE_TAG_MAX = 35  # BCP 47's longest practical tag
NEEDS_MAX = 12
PHONE_REGION = "US"

DEFAULT_LANGUAGES = ("en", "es", "pt", "ht", "zh", "vi")
# Regional forms we accept for a base language, because our catalogs are written for them.
_SCRIPTS_ACCEPTED = {"zh": {None, "Hans"}}
_TERRITORIES_ACCEPTED = {"zh": {None, "CN", "SG"}}


@dataclass(frozen=True)
class SiteRules:
    languages: Sequence[str]
    needs: Sequence[str]


@dataclass(frozen=True)
class CheckInRequest:
    language: str
    name: str | None = None
    needs: tuple[str, ...] = ()
    phone: str | None = None
    sms_opt_in: bool = False
    urgent: bool = False
    # A return code the person kept from an earlier visit (domain.visitors), normalised.
    return_code: str | None = None


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: StrictStr
    name: StrictStr | None = None
    needs: list[StrictStr] | None = None
    phone: StrictStr | None = None
    sms_opt_in: StrictBool | None = None
    urgent: StrictBool = False
    return_code: StrictStr | None = None


def parse_check_in(
    data: object, rules: SiteRules, *, number_is_consent: bool = False
) -> CheckInRequest:
    """Turn a request body into a CheckInRequest, or ValidationFailed naming each bad field.

    `number_is_consent`: the kiosk's phone step says that giving a number means texts about
    one's place in line, so there a number given without `sms_opt_in` is consent. A caller
    added by staff is asked out loud, so there only an explicit `sms_opt_in` counts.
    """
    if not isinstance(data, Mapping):
        raise ValidationFailed("The request body must be a JSON object.")
    try:
        body = _Body.model_validate(dict(data))
    except ValidationError as exc:
        raise ValidationFailed("Some details were not right.", fields=_field_errors(exc)) from None

    errors: dict[str, str] = {}
    checks: dict[str, Any] = {}
    for field, check in (
        ("language", lambda: normalise_language(body.language, rules.languages)),
        ("name", lambda: clean_name(body.name)),
        ("needs", lambda: check_needs(body.needs or [], rules.needs)),
        ("phone", lambda: normalise_phone(body.phone)),
        ("return_code", lambda: _return_code(body.return_code)),
    ):
        try:
            checks[field] = check()
        except ValueError as exc:
            errors[field] = str(exc)
    if body.sms_opt_in and "phone" not in errors and not checks.get("phone"):
        errors["sms_opt_in"] = "Text updates need a mobile number."
    if errors:
        raise ValidationFailed("Some details were not right.", fields=errors)
    opted_in = body.sms_opt_in
    if opted_in is None:
        opted_in = number_is_consent and bool(checks["phone"])
    return CheckInRequest(
        language=checks["language"],
        name=checks["name"],
        needs=checks["needs"],
        phone=checks["phone"],
        sms_opt_in=opted_in,
        urgent=body.urgent,
        return_code=checks["return_code"],
    )


def _return_code(typed: str | None) -> str | None:
    if typed is None or not typed.strip():
        return None
    return normalise_return_code(typed)


def normalise_language(tag: str, offered: Sequence[str]) -> str:
    """`pt-BR` → `pt`, `zh-Hans` → `zh`; refuse what the site does not offer."""
    if len(tag) > LANGUAGE_TAG_MAX:
        raise ValueError(f"Not a language tag. Offered here: {', '.join(offered)}.")
    try:
        locale = Locale.parse(tag.strip().replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"Not a language tag. Offered here: {', '.join(offered)}.") from None
    base = locale.language
    accepted_scripts = _SCRIPTS_ACCEPTED.get(base)
    accepted_territories = _TERRITORIES_ACCEPTED.get(base)
    if (
        base not in offered
        or (accepted_scripts is not None and locale.script not in accepted_scripts)
        or (accepted_territories is not None and locale.territory not in accepted_territories)
    ):
        raise ValueError(f"Not offered at this site. Offered here: {', '.join(offered)}.")
    return base


def clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    cleaned = plain_text(name)
    if len(cleaned) > NAME_MAX:
        raise ValueError(f"At most {NAME_MAX} characters.")
    return cleaned or None


def plain_text(text: str) -> str:
    """Without control or format characters (they can hide text on a staff screen), and
    one space between words."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())


def check_needs(needs: Sequence[str], offered: Sequence[str]) -> tuple[str, ...]:
    if len(needs) > NEEDS_MAX:
        raise ValueError(f"At most {NEEDS_MAX} needs.")
    unknown = [n for n in needs if n not in offered]
    if unknown:
        raise ValueError(
            f"Unknown need: {', '.join(unknown[:3])}. Offered here: {', '.join(offered)}."
        )
    return tuple(dict.fromkeys(needs))


def normalise_phone(phone: str | None) -> str | None:
    """Any way a US mobile number is usually typed, or an international +number → E.164."""
    if phone is None or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError("Not a phone number.") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("Not a valid phone number.")
    if parsed.extension:
        raise ValueError("Give a mobile number without an extension.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _field_errors(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "body"
        if err["type"] == "extra_forbidden":
            message = "Unknown field."
        elif err["type"] == "missing":
            message = "This field is required."
        else:
            message = err["msg"]
        fields.setdefault(field, message)
    return fields
