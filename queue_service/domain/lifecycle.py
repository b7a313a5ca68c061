"""A ticket's life, from arrival to the end of the visit.

    waiting ──call──▶ called ──start──▶ in_session ──complete──▶ completed
       │                │  └──complete (e.g. a call-back that ends on the phone)──▶ completed
       │                ├──no_show──▶ no_show ──requeue (turned up late)──▶ waiting
       │                └──requeue──▶ waiting   (in_session can be requeued too)
       └──cancel / left──▶ cancelled / left     (called tickets too)

Every move not in TRANSITIONS is illegal and leaves the ticket as it was.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from .errors import IllegalTransition, ValidationFailed

E = TypeVar("E", bound=StrEnum)


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    IN_SESSION = "in_session"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    LEFT = "left"


class Action(StrEnum):
    CALL = "call"
    START = "start"
    COMPLETE = "complete"
    NO_SHOW = "no_show"
    CANCEL = "cancel"
    REQUEUE = "requeue"
    LEFT = "left"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    REFERRED = "referred"
    FOLLOW_UP = "follow_up"
    CASE_OPENED = "case_opened"
    CRISIS = "crisis"
    UNREACHABLE = "unreachable"
    OTHER = "other"
    # The day close ended a session its case manager never completed: nobody recorded how
    # it ended (services/service_day.py). Never a staff choice.
    NOT_RECORDED = "not_recorded"


class CrisisReferral(StrEnum):
    """Where a person in crisis was sent: the reports count each on its own line."""

    LIFELINE_988 = "988"
    MOBILE_CRISIS = "mobile_crisis"
    EMERGENCY_DEPARTMENT = "emergency_department"
    CALLED_911 = "911"


class EndReason(StrEnum):
    """Why a visit ended without the person or a manager ending it."""

    DAY_CLOSED = "day_closed"  # the service day ended before they were seen
    # The service day ended while they were, by the record, still with a case manager who
    # had gone (no live sign-in): they were seen, but how the session ended is not known.
    SESSION_LEFT_OPEN = "session_left_open"


# Outcomes only Front Door gives, each with what a manager who tries one is told instead.
SYSTEM_OUTCOMES = {
    Outcome.UNREACHABLE: (
        "A visit ends as unreachable only after the call-back tries.",
        "Record the call-back tries instead.",
    ),
    Outcome.NOT_RECORDED: (
        "Say how the visit ended.",
        "Choose how the visit ended.",
    ),
}
# Staff choose these; `unreachable` only ever follows the last failed call-back try, and
# `not_recorded` only a session the day close found still open.
STAFF_OUTCOMES = tuple(o for o in Outcome if o not in SYSTEM_OUTCOMES)
# A referral must say to what, so the reports and the next manager know.
OUTCOMES_NEEDING_DETAIL = frozenset({Outcome.REFERRED})


class Channel(StrEnum):
    KIOSK = "kiosk"
    WEB = "web"
    PHONE = "phone"
    SMS = "sms"


OPEN_STATUSES = frozenset({Status.WAITING, Status.CALLED, Status.IN_SESSION})
# A ticket in one of these is with a case manager: it holds a desk and a person's time.
BUSY_STATUSES = frozenset({Status.CALLED, Status.IN_SESSION})

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.WAITING, Action.CALL): Status.CALLED,
    (Status.WAITING, Action.CANCEL): Status.CANCELLED,
    (Status.WAITING, Action.LEFT): Status.LEFT,
    (Status.CALLED, Action.START): Status.IN_SESSION,
    (Status.CALLED, Action.COMPLETE): Status.COMPLETED,
    (Status.CALLED, Action.NO_SHOW): Status.NO_SHOW,
    (Status.CALLED, Action.REQUEUE): Status.WAITING,
    (Status.CALLED, Action.CANCEL): Status.CANCELLED,
    (Status.CALLED, Action.LEFT): Status.LEFT,
    (Status.IN_SESSION, Action.COMPLETE): Status.COMPLETED,
    (Status.IN_SESSION, Action.REQUEUE): Status.WAITING,
    (Status.NO_SHOW, Action.REQUEUE): Status.WAITING,
}

# The column that records when a ticket entered each status.
STAMP_FOR: dict[Status, str] = {
    Status.CALLED: "called_at",
    Status.IN_SESSION: "started_at",
    Status.COMPLETED: "completed_at",
    Status.NO_SHOW: "no_show_at",
    Status.CANCELLED: "cancelled_at",
    Status.LEFT: "left_at",
}


def one_of(choices: type[E], value: object, field: str, message: str) -> E:
    """`value` as one of `choices`, or a ValidationFailed that lists them for `field`."""
    try:
        return choices(value)
    except ValueError:
        allowed = ", ".join(c.value for c in choices)
        raise ValidationFailed(message, fields={field: f"Must be one of: {allowed}."}) from None


def parse_action(value: object) -> Action:
    return one_of(Action, value, "action", "Unknown action.")


def parse_outcome(value: object) -> Outcome:
    return one_of(Outcome, value, "outcome", "Unknown outcome.")


def parse_staff_outcome(
    value: object, detail: str | None, crisis_referral: object
) -> tuple[Outcome, CrisisReferral | None]:
    """How a manager says a visit ended, checked: the same rules the console shows."""
    outcome = parse_outcome(value)
    if outcome in SYSTEM_OUTCOMES:
        message, instead = SYSTEM_OUTCOMES[outcome]
        raise ValidationFailed(message, fields={"outcome": instead})
    if outcome in OUTCOMES_NEEDING_DETAIL and not detail:
        raise ValidationFailed(
            "Say where the person was referred.", fields={"outcome_detail": "Required."}
        )
    if outcome == Outcome.CRISIS:
        return outcome, one_of(
            CrisisReferral, crisis_referral, "crisis_referral", "Say where the person was sent."
        )
    if crisis_referral is not None:
        raise ValidationFailed(
            "Only a crisis outcome has a crisis referral.",
            fields={"crisis_referral": "Only with outcome crisis."},
        )
    return outcome, None


def allowed_actions(status: Status) -> list[Action]:
    """The moves a ticket in `status` can be given now, in the order a console shows them."""
    return [action for action in Action if (status, action) in TRANSITIONS]


def next_status(current: Status, action: Action) -> Status:
    """The status `action` leads to from `current`, or IllegalTransition."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(
            f"A ticket that is {current.value} cannot be given the action {action.value}.",
            fields={"status": current.value, "action": action.value},
        ) from None
