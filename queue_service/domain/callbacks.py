"""Calling a phone caller back: each try is recorded, and there is a limit.

A voicemail says only that the office called and how to call back: never a name, a need
or anything else a person sharing the phone should not learn.
"""

from __future__ import annotations

from enum import StrEnum

from .lifecycle import Action, Channel, one_of

CALLBACK_CHANNELS = frozenset({Channel.PHONE, Channel.SMS})
DEFAULT_ATTEMPT_LIMIT = 3


class AttemptResult(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"


def parse_attempt(value: object) -> AttemptResult:
    return one_of(AttemptResult, value, "result", "Say how the call went.")


def action_after(result: AttemptResult, attempts: int, limit: int) -> Action | None:
    """What a try does to the ticket: reached starts the session; the last failed try ends it.

    `attempts` counts every try so far, this one included. None: the manager keeps the
    ticket and tries again later.
    """
    if result == AttemptResult.REACHED:
        return Action.START
    return Action.COMPLETE if attempts >= limit else None
