"""Texts to a person about their visit: which kinds there are, when each still makes sense,
and how the sender retries and paces itself. The words are in sms_wording.py.

An outbound text lives in the outbox:

    queued ──claimed──▶ sending ──▶ sent ──(delivery callback)──▶ delivered / undelivered
      ▲                    │  └──▶ failed      (a refusal, or the last try)
      └── transport failure (retry after a pause)
    queued ──▶ suppressed  (no longer true or wanted when its turn to go came)

A text that no longer makes sense when its turn comes (the person was called before
"almost your turn" went out, or left the line) is suppressed, never sent late.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from .callbacks import CALLBACK_CHANNELS
from .lifecycle import OPEN_STATUSES, EndReason, Status


class MessageKind(StrEnum):
    CHECKED_IN = "checked_in"
    ALMOST_TURN = "almost_turn"
    CALLED = "called"
    NO_SHOW = "no_show"
    LEFT = "left"
    CLOSING = "closing"
    # A person's own text to the office (inbound), and the office's answer to it
    # (sms_replies.py): each text gets at most one.
    REPLY = "reply"
    ANSWER = "answer"
    # The answer to words of a crisis: it goes even to a number that opted out (the person
    # wrote to us), and a visit's close never holds it back.
    CRISIS = "crisis"
    # The one confirmation of STOP, the only text a number that opted out still gets.
    STOPPED = "stopped"
    # An unacknowledged urgent alert, to the site's on-call numbers (domain/escalation.py).
    ESCALATION = "escalation"
    # A case manager's own words to the person (after the sender's name, like every text).
    STAFF = "staff"


# The texts about a visit that the system writes on its own, as the visit moves.
AUTOMATIC = (
    MessageKind.CHECKED_IN,
    MessageKind.ALMOST_TURN,
    MessageKind.CALLED,
    MessageKind.NO_SHOW,
    MessageKind.LEFT,
    MessageKind.CLOSING,
)


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNDELIVERED = "undelivered"
    RECEIVED = "received"
    SUPPRESSED = "suppressed"


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


# Each of these goes at most once per visit (a unique index in the database): a retried
# request, or two changes racing, can never text a person twice about the same thing.
ONCE_PER_TICKET = tuple(k.value for k in AUTOMATIC)
# What a visit's close suppresses while it waits to go: its own texts, a manager's too.
ENDS_WITH_THE_VISIT = (*ONCE_PER_TICKET, MessageKind.STAFF.value)
# Once a text is here, the sender is done with it (delivery callbacks may still move a
# sent one forward).
FINAL = frozenset({MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SUPPRESSED})

# A text is true only while the visit is where it was when the text was written.
TRUE_WHILE: dict[MessageKind, frozenset[Status]] = {
    MessageKind.CHECKED_IN: frozenset({Status.WAITING}),
    MessageKind.ALMOST_TURN: frozenset({Status.WAITING}),
    MessageKind.CLOSING: frozenset({Status.WAITING}),
    MessageKind.CALLED: frozenset({Status.CALLED}),
    MessageKind.NO_SHOW: frozenset({Status.NO_SHOW}),
    MessageKind.LEFT: frozenset({Status.CANCELLED, Status.LEFT}),
    # A manager's words are for the visit ("come to desk 3"): never sent after it ends.
    MessageKind.STAFF: OPEN_STATUSES,
}
# A place in line or a wait read this long ago is no longer the truth: such a text that
# could not go out in time (the provider was down) is suppressed; STATUS gives a fresh one.
CARRIES_A_PLACE = frozenset(
    {MessageKind.CHECKED_IN, MessageKind.ALMOST_TURN, MessageKind.CLOSING, MessageKind.ANSWER}
)
STALE_AFTER = timedelta(minutes=10)

# A case manager's own text: two GSM-7 segments at most, so it is short and cheap.
STAFF_TEXT_MAX = 300

DEFAULT_ALMOST_TURN_AHEAD = 2
ALMOST_TURN_AHEAD_RANGE = range(0, 11)


def kind_after_move(status: Status, end_reason: str | None) -> MessageKind | None:
    """The text a move of the ticket into `status` calls for, if any.

    The day close ends visits too, but that is not the person leaving or missing their
    turn: it gets no "you left the line".
    """
    if end_reason == EndReason.DAY_CLOSED:
        return None
    return {
        Status.CALLED: MessageKind.CALLED,
        Status.NO_SHOW: MessageKind.NO_SHOW,
        Status.CANCELLED: MessageKind.LEFT,
        Status.LEFT: MessageKind.LEFT,
    }.get(status)


def still_true(kind: MessageKind, status: Status) -> bool:
    """An answer to a person's own text stays true however their visit moved since."""
    return kind not in TRUE_WHILE or status in TRUE_WHILE[kind]


class NoStaffText(StrEnum):
    VISIT_CLOSED = "visit_closed"
    NO_PHONE = "no_phone"
    NO_CONSENT = "no_consent"  # never agreed to texts, or sent STOP


def why_no_staff_text(status: Status, has_phone: bool, consent: bool) -> NoStaffText | None:
    """Whether a case manager may text this person now (None), or why not: only during the
    visit, and only a number that agreed to texts."""
    if status not in OPEN_STATUSES:
        return NoStaffText.VISIT_CLOSED
    if not has_phone:
        return NoStaffText.NO_PHONE
    return None if consent else NoStaffText.NO_CONSENT


def goes_after_opt_out(kind: MessageKind) -> bool:
    """A number that sent STOP gets the confirmation of it, and nothing else until START."""
    return kind in (MessageKind.STOPPED, MessageKind.CRISIS)


# Twilio's error for a number that opted out with it (its STOP filtering).
PROVIDER_OPTED_OUT = "21610"

# Replies are due before anything already waiting to go: a person who just texted is
# waiting for the answer (the sender takes the earliest due first).
REPLY_HEAD_START = timedelta(hours=1)


# ---- delivery reports (the provider's status callbacks) ----

# Twilio's message statuses, as far as they concern us, and how far along each is.
_PROVIDER_STATUS = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}
_PROGRESS = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}


def reported_status(current: MessageStatus, reported: str) -> MessageStatus | None:
    """Where a delivery report moves a text, or None: reports come late and out of order,
    so a text only moves forward (a late "sent" never undoes "delivered"), and a final
    answer is never replaced by another."""
    new = _PROVIDER_STATUS.get(reported.strip().lower())
    if new is None or current not in _PROGRESS:
        return None
    return new if _PROGRESS[new] > _PROGRESS[current] else None


def is_callback(channel: str) -> bool:
    """A person we call rather than one who comes to a desk."""
    return channel in CALLBACK_CHANNELS


# ---- retries and pacing ----

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=10)
# 30 s, 1, 2, 4, 8 min, then every 10 min: about an hour and a half before a text that the
# provider keeps refusing for a passing reason is given up as failed (and shown so).
MAX_ATTEMPTS = 13

PACE = timedelta(seconds=1)  # about one text a second per sending number (a long code)
SLOWEST_PACE = timedelta(seconds=16)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` tries failed for a passing
    reason (the network, the provider down or busy)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


def slower(pace: timedelta) -> timedelta:
    """The provider said too many requests (429): half the rate, down to one in 16 s."""
    return min(max(pace, PACE) * 2, SLOWEST_PACE)


def faster(pace: timedelta) -> timedelta:
    """A text went out: back towards the normal rate, a little at a time."""
    return max(pace * 0.8, PACE)
