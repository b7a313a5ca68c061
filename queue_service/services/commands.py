"""Typed commands: what a staff member asks a service to do, checked once at the edge.

The web layer builds these from a request body with `from_body`; the services take them as
they are and know nothing of JSON or HTTP. Every refusal names the field, in the
contract's error shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.errors import ValidationFailed
from ..domain.lifecycle import Action, CrisisReferral, Outcome, parse_action, parse_staff_outcome

NOTE_MAX = 2000
DETAIL_MAX = 500
REASON_MAX = 500
MOVE_FIELDS = frozenset(
    {"action", "outcome", "outcome_detail", "crisis_referral", "note", "reason", "version"}
)


@dataclass(frozen=True)
class MoveTicket:
    """One of the contract's moves (call, start, complete, …) on one ticket."""

    ticket_id: int
    action: Action
    outcome: Outcome | None = None
    outcome_detail: str | None = None
    crisis_referral: CrisisReferral | None = None
    note: str | None = None
    # Why, when calling someone while an urgent person waits.
    reason: str | None = None
    # The ticket's version on the manager's screen: a stale screen is refused.
    seen_version: int | None = None

    @classmethod
    def from_body(cls, ticket_id: int, body: Mapping[str, Any]) -> MoveTicket:
        unknown = set(body) - MOVE_FIELDS
        if unknown:
            raise ValidationFailed(
                "Some details were not right.",
                fields={f: "Unknown field." for f in sorted(unknown)},
            )
        action = parse_action(body.get("action"))
        detail = text_field(body.get("outcome_detail"), "outcome_detail", DETAIL_MAX)
        outcome, referral = None, None
        if action == Action.COMPLETE:
            if body.get("outcome") is None:
                raise ValidationFailed(
                    "Say how the visit ended.",
                    fields={"outcome": "Required to complete a ticket."},
                )
            outcome, referral = parse_staff_outcome(
                body.get("outcome"), detail, body.get("crisis_referral")
            )
        else:
            extra = {
                f: "Only 'complete' takes this."
                for f in ("outcome", "outcome_detail", "crisis_referral")
                if body.get(f) is not None
            }
            if extra:
                raise ValidationFailed("Only 'complete' takes an outcome.", fields=extra)
        return cls(
            ticket_id=ticket_id,
            action=action,
            outcome=outcome,
            outcome_detail=detail,
            crisis_referral=referral,
            note=text_field(body.get("note"), "note", NOTE_MAX),
            reason=text_field(body.get("reason"), "reason", REASON_MAX),
            seen_version=version_field(body.get("version")),
        )


def text_field(value: object, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed("Some details were not right.", fields={field: "Must be text."})
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(
            "Some details were not right.", fields={field: f"At most {limit} characters."}
        )
    return value or None


def version_field(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("Some details were not right.", fields={"version": "A number."})
    return value
