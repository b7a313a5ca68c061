"""A ticket's history steps, written as plain rows with the ticket's own INSERT or UPDATE.

As objects in the unit of work, a second kind of row cost a fifth of every call-next's
Python calls; as rows queued on the ticket and inserted by a mapper event in the same flush,
they cost one statement. Mixed into Ticket: `_log` queues a step, the flush writes it right
after the ticket's row (so it has the ticket's id), and a rollback forgets what it queued.
The history is read with `ticket.history.select()`; the database deletes it with its ticket.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event, insert
from sqlalchemy.orm import Mapper, Session

from ..domain.history import HistoryAction
from ..domain.lifecycle import Status
from .visits import TicketEvent

if TYPE_CHECKING:
    from .staff import Staff

_PENDING_STEPS = "_pending_steps"
_INSERT_STEP = insert(TicketEvent.__table__)


class WritesHistory:
    """The ticket's side: queue a step to be written with its next flush."""

    status: Any
    updated_at: Any
    updated_by_id: Any

    def _log(
        self,
        step: HistoryAction,
        before: Status,
        *,
        at: datetime,
        by: Staff | None,
        reason: str | None = None,
    ) -> None:
        self.updated_at = at  # also what makes the flush write the step (_write_history)
        self.updated_by_id = by.id if by else None
        self._queue_step(step, before.value, self.status, at=at, by=by, reason=reason)

    def log_check_in(self, *, at: datetime, by: Staff | None) -> None:
        """The first step of a new ticket's history, written with its INSERT."""
        self._queue_step(
            HistoryAction.CHECK_IN, None, Status.WAITING.value, at=at, by=by, reason=None
        )

    def _queue_step(
        self,
        step: HistoryAction,
        from_status: str | None,
        to_status: str,
        *,
        at: datetime,
        by: Staff | None,
        reason: str | None,
    ) -> None:
        self.__dict__.setdefault(_PENDING_STEPS, []).append(
            {
                "action": step,
                "from_status": from_status,
                "to_status": to_status,
                "staff_id": by.id if by else None,
                "reason": reason,
                "at": at,
            }
        )


@event.listens_for(WritesHistory, "after_insert", propagate=True)
@event.listens_for(WritesHistory, "after_update", propagate=True)
def _write_history(_mapper: Mapper, connection: Connection, ticket: WritesHistory) -> None:
    """In the flush, right after the ticket's own row: the new steps, with its id."""
    steps = ticket.__dict__.pop(_PENDING_STEPS, None)
    if steps:
        rows = [{**step, "ticket_id": ticket.id} for step in steps]  # type: ignore[attr-defined]
        connection.execute(_INSERT_STEP, rows[0] if len(rows) == 1 else rows)


@event.listens_for(Session, "after_rollback")
def _forget_unwritten_steps(session: Session) -> None:
    """Steps of changes that were rolled back are not written by a later flush."""
    for obj in [*session.identity_map.values(), *session.new]:
        obj.__dict__.pop(_PENDING_STEPS, None)
