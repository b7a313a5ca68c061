"""The order in which waiting people are served.

Anyone who says they feel unsafe goes first; everyone else is first come, first served,
whether they walked in or called. `queued_at` is when the person joined the line (kept on
a requeue, so a person sent back does not lose their place); `id` breaks exact ties.
The persistence layer expresses the same order in SQL (see repositories.QUEUE_ORDER).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class QueuedTicket:
    """What ordering and assignment need to know about a waiting ticket, and nothing more."""

    id: int
    urgent: bool
    queued_at: datetime
    language: str


def queue_key(ticket: QueuedTicket) -> tuple[int, datetime, int]:
    return (0 if ticket.urgent else 1, ticket.queued_at, ticket.id)


def in_queue_order(tickets: list[QueuedTicket]) -> list[QueuedTicket]:
    return sorted(tickets, key=queue_key)
