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
    UNREACHABLE = "unreachable"
    OTHER = "other"


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


def next_status(current: Status, action: Action) -> Status:
    """The status `action` leads to from `current`, or IllegalTransition."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(
            f"A ticket that is {current.value} cannot be given the action {action.value}.",
            fields={"status": current.value, "action": action.value},
        ) from None
