"""Texts as staff see them on a card and in the message log: what each kind is, where it
got to, and why it stopped, in the console's words (English, like every staff screen)."""

from __future__ import annotations

from .messages import Direction, MessageKind, MessageStatus

KIND_LABELS = {
    MessageKind.CHECKED_IN: "Checked in",
    MessageKind.ALMOST_TURN: "Almost your turn",
    MessageKind.CALLED: "Called",
    MessageKind.NO_SHOW: "No-show",
    MessageKind.LEFT: "Left the line",
    MessageKind.CLOSING: "Closing time",
    MessageKind.REPLY: "Their text",
    MessageKind.ANSWER: "Automatic answer",
    MessageKind.CRISIS: "Crisis lines",
    MessageKind.STOPPED: "Texts stopped",
    MessageKind.ESCALATION: "Urgent alert to on-call",
    MessageKind.STAFF: "From staff",
}

STATUS_LABELS = {
    MessageStatus.QUEUED: "waiting to go",
    MessageStatus.SENDING: "sending",
    MessageStatus.SENT: "sent",
    MessageStatus.DELIVERED: "delivered",
    MessageStatus.FAILED: "failed",
    MessageStatus.UNDELIVERED: "not delivered",
    MessageStatus.RECEIVED: "received",
    MessageStatus.SUPPRESSED: "not sent",
}

WHY_LABELS = {
    "opted_out": "they stopped texts",
    "no_longer_true": "no longer true by its turn",
    "stale": "its place in line was out of date",
    "interrupted": "the sender stopped mid-send; it may have gone",
    "no_visit": "the visit was removed",
    "told_at_check_in": "their first text already said it",
}

# A problem with a text that a manager should notice on the card.
TROUBLE = frozenset({MessageStatus.FAILED, MessageStatus.UNDELIVERED})


def why_label(why: str | None) -> str | None:
    if not why:
        return None
    if why in WHY_LABELS:
        return WHY_LABELS[why]
    provider, _, code = why.partition("_")
    return f"{provider} error {code}" if code else why.replace("_", " ")


def kind_label(kind: str) -> str:
    try:
        return KIND_LABELS[MessageKind(kind)]
    except ValueError:
        return kind.replace("_", " ")


def status_label(status: str) -> str:
    try:
        return STATUS_LABELS[MessageStatus(status)]
    except ValueError:
        return status


def on_card(kind: str, why: str | None) -> bool:
    """The person's own texts and ours to them; not the on-call staff's alert, nor a text
    kept only so that it is never sent (their first text already said it)."""
    return kind != MessageKind.ESCALATION and why != "told_at_check_in"


def is_reply(direction: str) -> bool:
    return direction == Direction.INBOUND
