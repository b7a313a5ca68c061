"""Critical-need case management (104 CMR 29.05; the DMH 2025 report, Table 1): a time-
limited, intensive episode of 3 to 6 months for a person who keeps coming back with urgent
needs, ending in a hand-off. The dates and the close are ruled here once.

- Target end: 90 days from opening by default; extended as needed, never past 180 days
  from the opening day.
- Reviews: every 30 days by default; recording a review sets the next one from its date,
  never past the target end (the last review is the close).
- Closing needs a destination (where the person goes on to) and a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import Conflict, ValidationFailed

DEFAULT_LENGTH = timedelta(days=90)
MAX_LENGTH = timedelta(days=180)
REVIEW_EVERY = timedelta(days=30)
GOALS_MAX, GOAL_MAX, NOTE_MAX = 12, 300, 4000


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Destination(StrEnum):
    """Where a closed case's person goes on to (the hand-offs the DMH report names)."""

    DMH_SERVICES = "dmh_services"
    BEHAVIORAL_HEALTH = "behavioral_health"
    CARE_COORDINATION = "care_coordination"  # health plan or provider (BH CP, One Care)
    STANDARD_CASE_MANAGEMENT = "standard_case_management"
    OTHER_PROVIDER = "other_provider"
    NO_FURTHER_SERVICES = "no_further_services"
    LOST_CONTACT = "lost_contact"


DESTINATION_LABELS = {
    Destination.DMH_SERVICES: "DMH services",
    Destination.BEHAVIORAL_HEALTH: "Other behavioural-health services",
    Destination.CARE_COORDINATION: "Health-plan or provider care coordination",
    Destination.STANDARD_CASE_MANAGEMENT: "Standard case management",
    Destination.OTHER_PROVIDER: "Other provider",
    Destination.NO_FURTHER_SERVICES: "No further services needed",
    Destination.LOST_CONTACT: "Lost contact",
}


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"
    NOT_MET = "not_met"
    DROPPED = "dropped"


GOAL_LABELS = {
    GoalStatus.NOT_STARTED: "Not started",
    GoalStatus.IN_PROGRESS: "In progress",
    GoalStatus.MET: "Met",
    GoalStatus.NOT_MET: "Not met",
    GoalStatus.DROPPED: "No longer a goal",
}


class CaseEventKind(StrEnum):
    """A case's timeline; each is also in the audit log."""

    OPENED = "opened"
    REVIEWED = "reviewed"
    GOAL_ADDED = "goal_added"
    GOAL_CHANGED = "goal_changed"
    EXTENDED = "extended"
    REASSIGNED = "reassigned"
    CONSENT_RECORDED = "consent_recorded"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CLOSED = "closed"


EVENT_LABELS = {
    CaseEventKind.OPENED: "Case opened",
    CaseEventKind.REVIEWED: "Review",
    CaseEventKind.GOAL_ADDED: "Goal added",
    CaseEventKind.GOAL_CHANGED: "Goal changed",
    CaseEventKind.EXTENDED: "Target end extended",
    CaseEventKind.REASSIGNED: "Reassigned",
    CaseEventKind.CONSENT_RECORDED: "Consent to share recorded",
    CaseEventKind.CONSENT_WITHDRAWN: "Consent to share withdrawn",
    CaseEventKind.CLOSED: "Case closed",
}


@dataclass(frozen=True)
class CaseDates:
    opened_on: date
    target_end_on: date
    next_review_on: date | None


def dates_at_opening(opened_on: date) -> CaseDates:
    return CaseDates(
        opened_on, opened_on + DEFAULT_LENGTH, next_review(opened_on, opened_on + DEFAULT_LENGTH)
    )


def latest_end(opened_on: date) -> date:
    return opened_on + MAX_LENGTH


def next_review(after: date, target_end_on: date) -> date | None:
    """The next review: REVIEW_EVERY after `after`, at the latest the target end. None once
    the target end is reached: the case is then to be extended or closed, which the
    caseload shows (days to target end), not a review forever overdue."""
    if after >= target_end_on:
        return None
    return min(after + REVIEW_EVERY, target_end_on)


def check_extension(opened_on: date, current_end: date, until: date) -> date:
    """A new target end: later than the current one, and never past 180 days."""
    if until <= current_end:
        raise ValidationFailed(
            "An extension moves the target end later.",
            fields={"until": f"After {current_end.isoformat()}."},
        )
    if until > latest_end(opened_on):
        raise Conflict(
            "A critical-need case lasts at most 180 days.",
            code="case_too_long",
            fields={"until": f"At the latest {latest_end(opened_on).isoformat()}."},
        )
    return until


def require_open(status: str) -> None:
    if status != CaseStatus.OPEN:
        raise Conflict("This case is closed.", code="case_closed")


def parse_destination(value: object) -> Destination:
    try:
        return Destination(str(value)) if value else _missing_destination()
    except ValueError:
        raise ValidationFailed(
            "Choose where the person goes on to.",
            fields={"destination": "One of: " + ", ".join(d.value for d in Destination)},
        ) from None


def _missing_destination() -> Destination:
    raise ValidationFailed(
        "A case closes with a destination: where the person goes on to.",
        code="destination_required",
        fields={"destination": "Required to close a case."},
    )


@dataclass(frozen=True)
class CaseClock:
    """What the caseload shows of a case on a given day (overdue: a review date passed)."""

    days_open: int
    days_to_target_end: int
    review_due: bool
    review_overdue: bool

    @classmethod
    def on(
        cls,
        today: date,
        opened_on: date,
        target_end_on: date,
        next_review_on: date | None,
        closed_on: date | None = None,
    ) -> CaseClock:
        due = next_review_on is not None and next_review_on <= today
        return cls(
            days_open=((closed_on or today) - opened_on).days,
            days_to_target_end=(target_end_on - today).days,
            review_due=due,
            review_overdue=due and next_review_on is not None and next_review_on < today,
        )
