"""What a staff member asks of a critical-need case, checked once at the edge (the web
layer builds these from a body; services.cases takes them as they are)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.cases import GOAL_MAX, GOALS_MAX, NOTE_MAX, Destination, GoalStatus, parse_destination
from ..domain.errors import ValidationFailed
from .commands import text_field

SHARED_WITH_MAX = 200


def _refuse(field: str, problem: str) -> ValidationFailed:
    return ValidationFailed("Some details were not right.", fields={field: problem})


def _known(body: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise ValidationFailed(
            "Some details were not right.", fields={f: "Unknown field." for f in sorted(unknown)}
        )


def _id(value: object, field: str, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise _refuse(field, "Required: a number." if value is None else "A number.")
    return value


def _date(value: object, field: str) -> date:
    if not isinstance(value, str):
        raise _refuse(field, "Required: a date, YYYY-MM-DD.")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _refuse(field, "A date, YYYY-MM-DD.") from None


def _private(value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _refuse("private", "true or false.")
    return value


def goal_status(value: object, field: str = "status") -> GoalStatus:
    try:
        return GoalStatus(str(value))
    except ValueError:
        raise _refuse(field, "One of: " + ", ".join(s.value for s in GoalStatus)) from None


def goal_texts(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > GOALS_MAX:
        raise _refuse("goals", f"A list of at most {GOALS_MAX} goals.")
    found = [text_field(g, "goals", GOAL_MAX) for g in value]
    return [g for g in found if g]


@dataclass(frozen=True)
class OpenCase:
    visitor_id: int
    site: str
    needs: tuple[str, ...]
    assigned_to: int | None = None  # staff id; the one who opens it by default
    goals: tuple[str, ...] = ()
    note: str | None = None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> OpenCase:
        _known(body, {"visitor_id", "site", "needs", "assigned_to", "goals", "note"})
        site = body.get("site")
        if not isinstance(site, str) or not site.strip():
            raise _refuse("site", "Required: the site's slug.")
        needs = body.get("needs") or []
        if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
            raise _refuse("needs", "A list of the site's need slugs.")
        return cls(
            visitor_id=_id(body.get("visitor_id"), "visitor_id") or 0,
            site=site.strip(),
            needs=tuple(dict.fromkeys(n.strip() for n in needs if n.strip())),
            assigned_to=_id(body.get("assigned_to"), "assigned_to", required=False),
            goals=tuple(goal_texts(body.get("goals"))),
            note=text_field(body.get("note"), "note", NOTE_MAX),
        )


@dataclass(frozen=True)
class GoalChange:
    goal_id: int
    status: GoalStatus


@dataclass(frozen=True)
class ReviewCase:
    note: str | None
    private: bool
    goals: tuple[GoalChange, ...]
    new_goals: tuple[str, ...]

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> ReviewCase:
        _known(body, {"note", "private", "goals", "new_goals"})
        changes = body.get("goals") or []
        if not isinstance(changes, list) or not all(isinstance(c, Mapping) for c in changes):
            raise _refuse("goals", 'A list of {"id": N, "status": S}.')
        return cls(
            note=text_field(body.get("note"), "note", NOTE_MAX),
            private=_private(body.get("private")),
            goals=tuple(
                GoalChange(_id(c.get("id"), "goals") or 0, goal_status(c.get("status"), "goals"))
                for c in changes
            ),
            new_goals=tuple(goal_texts(body.get("new_goals"))),
        )


@dataclass(frozen=True)
class ExtendCase:
    until: date
    note: str | None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> ExtendCase:
        _known(body, {"until", "note"})
        return cls(
            _date(body.get("until"), "until"), text_field(body.get("note"), "note", NOTE_MAX)
        )


@dataclass(frozen=True)
class CloseCase:
    destination: Destination
    note: str

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CloseCase:
        _known(body, {"destination", "note"})
        destination = parse_destination(body.get("destination"))
        note = text_field(body.get("note"), "note", NOTE_MAX)
        if not note:
            raise ValidationFailed(
                "A case closes with a note: how it went, and what was handed over.",
                code="note_required",
                fields={"note": "Required to close a case."},
            )
        return cls(destination, note)


@dataclass(frozen=True)
class ReassignCase:
    assigned_to: int

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> ReassignCase:
        _known(body, {"assigned_to"})
        return cls(_id(body.get("assigned_to"), "assigned_to") or 0)


@dataclass(frozen=True)
class RecordConsent:
    """The person agreed to share the hand-off summary with `shared_with`, or (None) they
    withdrew their consent: {"withdrawn": true}."""

    shared_with: str | None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> RecordConsent:
        _known(body, {"shared_with", "withdrawn"})
        if body.get("withdrawn") is True and body.get("shared_with") is None:
            return cls(None)
        if body.get("withdrawn") not in (None, False):
            raise _refuse("withdrawn", "true, alone, to withdraw the person's consent.")
        who = text_field(body.get("shared_with"), "shared_with", SHARED_WITH_MAX)
        if not who:
            raise _refuse("shared_with", "Required: who the person agreed to share it with.")
        return cls(who)
