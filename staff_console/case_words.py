"""A case's dates and timeline steps in words, for its page and its summary (the facts are
the case's; the labels are domain.cases')."""

from __future__ import annotations

from datetime import date

from queue_service.domain.cases import (
    DESTINATION_LABELS,
    GOAL_LABELS,
    CaseEventKind,
    Destination,
    GoalStatus,
    latest_end,
)

from .case_forms import day


def dates(case) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "opened": day(case.opened_on),
        "target_end": day(case.target_end_on),
        "latest_end": day(latest_end(case.opened_on)),
        "next_review": day(case.next_review_on),
        "closed": day(case.closed_on),
    }


def event_words(event: dict, goals: dict[int, str], names: dict[int, str]) -> str:
    """What a step did, in words (its facts; the note is shown beside it)."""
    kind, facts = event["kind"], event["detail"]

    def goal(key: str) -> str:
        return GOAL_LABELS[GoalStatus(facts[key])] if facts.get(key) in set(GoalStatus) else "?"

    def person(key: str) -> str:
        return names.get(facts.get(key), "someone no longer at the site")  # type: ignore[arg-type]

    def on(key: str) -> str:
        return day(date.fromisoformat(facts[key])) if facts.get(key) else ""

    if kind == CaseEventKind.OPENED and "assigned_to" in facts:
        return f"With {person('assigned_to')}; {facts.get('goals', 0)} goals."
    if kind == CaseEventKind.REVIEWED:
        return f"Next review: {on('next_review_on')}." if facts.get("next_review_on") else ""
    if kind == CaseEventKind.GOAL_CHANGED:
        text = goals.get(facts.get("goal_id"), "A goal")
        return f"“{text}”: {goal('from')} → {goal('to')}."
    if kind == CaseEventKind.EXTENDED:
        return f"From {on('from')} to {on('until')}."
    if kind == CaseEventKind.REASSIGNED:
        return f"From {person('from_staff_id')} to {person('to_staff_id')}."
    if kind == CaseEventKind.CLOSED and facts.get("destination"):
        return f"Goes on to: {DESTINATION_LABELS[Destination(facts['destination'])]}."
    return ""
