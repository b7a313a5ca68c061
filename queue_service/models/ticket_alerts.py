"""A ticket's urgent alert: raised when the person says they feel unsafe, seen by a manager,
and, for someone who left unseen, followed up by a lead. Mixed into Ticket, whose columns
and history (`_log`, `_step`) it uses, so that nothing about an urgent person is lost."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..domain.errors import Conflict, IllegalTransition
from ..domain.events import TicketChanged, UrgentArrival
from ..domain.history import HistoryAction
from ..domain.lifecycle import Outcome, Status
from ..domain.urgent import AlertSource

if TYPE_CHECKING:
    from .staff import Staff

NOT_SEEN_STATUSES = frozenset({Status.LEFT, Status.NO_SHOW, Status.CANCELLED})


class UrgentAlert:
    @property
    def urgent_not_seen(self) -> bool:
        """Said they felt unsafe, and the visit ended without anyone seeing them."""
        return (
            self.urgent
            and self.status_enum in NOT_SEEN_STATUSES
            and self.started_at is None
            and self.outcome is None
        )

    @property
    def needs_follow_up(self) -> bool:
        """Urgent, and nobody knows they were helped: nobody saw them, or the day close ended
        their session with no outcome recorded. A lead follows such a visit up (followed up
        or not yet: see follow_up_pending)."""
        return self.urgent and (self.urgent_not_seen or self.outcome == Outcome.NOT_RECORDED)

    @property
    def follow_up_pending(self) -> bool:
        """On the lead's "urgent, not seen" list: their name and phone are kept until then."""
        return self.needs_follow_up and self.followed_up_at is None

    @property
    def alert_open(self) -> bool:
        """The urgent alert stays on every console until a person has seen it, and, once
        seen, for as long as the person still waits with nobody on the way."""
        return self.urgent and (
            self.alert_acknowledged_at is None or self.status_enum == Status.WAITING
        )

    def escalate(self, *, at: datetime, unstaffed: bool, via: AlertSource) -> bool:
        """The person says they feel unsafe: to the front of the line, and staff alerted.

        Only while they wait or are being called; False when there is nothing to change.
        """
        if self.status not in (Status.WAITING, Status.CALLED) or self.urgent:
            return False
        self.urgent = True
        self.alert_unstaffed = unstaffed
        self.alert_raised_at, self.alert_via = at, via.value
        self.next_try_at = None  # an urgent caller is never held back for a call-back pause
        self.updated_at = at
        self._log(HistoryAction.URGENT, self.status_enum, at=at, by=None)
        self.record(TicketChanged(self.id, self.site_id, HistoryAction.URGENT, self.status))
        self.record(UrgentArrival(self.id, self.site_id))
        return True

    def mark_escalated(self, *, at: datetime, texted: int) -> None:
        """The alert went to `texted` of the site's on-call numbers (the system, once)."""
        self.alert_escalated_at, self.alert_escalated_to = at, texted
        self._log(HistoryAction.ESCALATED, self.status_enum, at=at, by=None)
        self.record(TicketChanged(self.id, self.site_id, HistoryAction.ESCALATED, self.status))

    def acknowledge_alert(self, *, by: Staff, at: datetime) -> bool:
        """A manager has seen the urgent alert; False when someone already had."""
        if not self.urgent:
            raise IllegalTransition("There is no urgent alert on this ticket.")
        if self.alert_acknowledged_at is not None:
            return False
        self.alert_acknowledged_at = at
        self.alert_acknowledged_by = by
        self._step(HistoryAction.ACKNOWLEDGE, at=at, by=by)
        return True

    def follow_up(self, note: str, *, by: Staff, at: datetime) -> None:
        """A lead has followed up an urgent person nobody saw (a call, a visit, a referral).
        Their phone was kept for it, and goes now; the rest keeps the site's period from now."""
        if not self.needs_follow_up:
            raise IllegalTransition(
                "Only an urgent person nobody saw, or whose session was not recorded, needs a"
                " follow-up."
            )
        if self.followed_up_at is not None:
            raise Conflict("This was already followed up.", code="already_followed_up")
        self.followed_up_at = at
        self.followed_up_by = by
        self.follow_up_note = note
        self.phone = None
        if self.alert_acknowledged_at is None:
            # The lead has dealt with it: the alert leaves every console.
            self.alert_acknowledged_at = at
            self.alert_acknowledged_by = by
        self._step(HistoryAction.FOLLOWED_UP, at=at, by=by)
