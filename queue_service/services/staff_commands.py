"""Typed commands for staff administration, checked once at the edge (API and CLI alike)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from . import staff as accounts

INVITE_FIELDS = frozenset({"email", "name", "role", "sites", "languages"})
CHANGE_FIELDS = frozenset({"role", "sites", "languages", "active"})
ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class InviteStaff:
    email: str
    name: str
    role: str
    sites: tuple[str, ...]
    languages: tuple[str, ...]

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> InviteStaff:
        _refuse_unknown(body, INVITE_FIELDS)
        languages = body.get("languages", ["en"])
        return cls(
            email=_text(body.get("email"), "email"),
            name=_text(body.get("name"), "name"),
            role=_role(body.get("role")),
            sites=_slugs(body.get("sites"), "sites"),
            languages=_languages(languages),
        )


@dataclass(frozen=True)
class ChangeStaff:
    """Only what is given changes; `sites` replaces the person's sites (those the one
    changing it may manage)."""

    staff_id: int
    role: str | None = None
    sites: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    active: bool | None = None

    @classmethod
    def from_body(cls, staff_id: int, body: Mapping[str, Any]) -> ChangeStaff:
        _refuse_unknown(body, CHANGE_FIELDS)
        active = body.get("active")
        if active is not None and not isinstance(active, bool):
            raise ValidationFailed(
                "Some details were not right.", fields={"active": "true or false."}
            )
        return cls(
            staff_id=staff_id,
            role=_role(body["role"]) if "role" in body else None,
            sites=_slugs(body["sites"], "sites") if "sites" in body else None,
            languages=_languages(body["languages"]) if "languages" in body else None,
            active=active,
        )


def _refuse_unknown(body: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise ValidationFailed(
            "Some details were not right.", fields={f: "Unknown field." for f in sorted(unknown)}
        )


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed("Some details were not right.", fields={field: "Required text."})
    return value


def _role(value: object) -> str:
    if value not in ROLES:
        raise ValidationFailed(
            "Some details were not right.", fields={"role": f"One of: {', '.join(ROLES)}."}
        )
    return str(value)


def _slugs(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(
            "Some details were not right.", fields={field: "A list of site slugs."}
        )
    if not value:  # nobody works nowhere: a person with no site is deactivated instead
        raise ValidationFailed("Give at least one site.", fields={field: "Give at least one site."})
    return tuple(value)


def _languages(value: object) -> tuple[str, ...]:
    langs = [v.strip() for v in value if isinstance(v, str)] if isinstance(value, list) else []
    problem = accounts.languages_problem(langs) if isinstance(value, list) else "A list of codes."
    if problem or len(langs) != len(value):  # type: ignore[arg-type]
        raise ValidationFailed(
            "Some details were not right.", fields={"languages": problem or "A list of codes."}
        )
    return tuple(langs)
