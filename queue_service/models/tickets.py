"""A visit's ticket: its row, and every move of its life (the rules are domain.lifecycle's);
its urgent alert's moves are in ticket_alerts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from ..domain import lifecycle
from ..domain.callbacks import CALLBACK_CHANNELS, AttemptResult, action_after
from ..domain.errors import Conflict, IllegalTransition
from ..domain.events import TicketCalled, TicketChanged
from ..domain.history import HistoryAction
from ..domain.lifecycle import BUSY_STATUSES, Action, EndReason, Outcome, Status
from .base import Base, RecordsEvents
from .messages import Message
from .sites import Site
from .staff import Staff
from .ticket_alerts import UrgentAlert
from .ticket_history import WritesHistory
from .visits import TicketEvent, TicketNote, Visitor

# A day close ends a waiting person's visit as "left" and a called one's as a no-show,
# both with the reason day_closed, so nobody reads it as the person's own choice.
DAY_CLOSE_ACTION = {Status.WAITING: Action.LEFT, Status.CALLED: Action.NO_SHOW}


class Ticket(UrgentAlert, WritesHistory, RecordsEvents, Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("site_id", "service_day", "number", name="uq_ticket_site_day_number"),
        # A key is good for one service day: a tablet that reuses one tomorrow gets a new ticket.
        UniqueConstraint(
            "site_id", "service_day", "idempotency_key", name="uq_ticket_site_day_idempotency_key"
        ),
        Index("ix_ticket_site_completed", "site_id", "completed_at"),
        # A visitor's visits in a window, read off the index alone (no table rows): the
        # repeat-visit counts on every console card (persistence.visitor_queries).
        Index("ix_ticket_visitor_day", "visitor_id", "service_day", "site_id", "urgent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("visitor.id", ondelete="SET NULL"))
    token: Mapped[str] = mapped_column(String(43), unique=True)
    service_day: Mapped[date]
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default=Status.WAITING)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    needs: Mapped[list[str]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(8))
    # info personal: listed in the README's "What Front Door keeps" (tests/privacy).
    name: Mapped[str | None] = mapped_column(String(80), info={"personal": True})
    phone: Mapped[str | None] = mapped_column(String(20), info={"personal": True})
    sms_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # An HMAC (secret key) of the check-in request, to tell a retry from a different request
    # under the same Idempotency-Key; erased with the phone when the visit closes.
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), info={"personal": True})
    # The Idempotency-Key of the "call next" that claimed the ticket: a manager's retry (lost
    # response, double tap) returns this person instead of calling a second one.
    call_key: Mapped[str | None] = mapped_column(String(200))
    # The person's return code (domain.visitors), shown on their ticket while the visit is
    # open so they can keep it; only its keyed hash outlasts the visit (visitor_key).
    return_code: Mapped[str | None] = mapped_column(String(8), info={"personal": True})
    # Where the visit was before a link by hand: unlinking puts it back there, if that
    # visitor still exists (a plain id: a foreign key would make SQLite rebuild the table).
    linked_from_visitor_id: Mapped[int | None] = mapped_column(Integer)

    created_at: Mapped[datetime]
    queued_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    # The first call of the visit (called_at is the latest): the reports' wait is check-in
    # to this, however often the person was put back in line.
    first_called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    no_show_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

    assigned_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    desk: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_detail: Mapped[str | None] = mapped_column(String(500), info={"personal": True})
    crisis_referral: Mapped[str | None] = mapped_column(String(30))
    end_reason: Mapped[str | None] = mapped_column(String(20))
    call_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A call-back that did not get through waits in line until then before the next try.
    next_try_at: Mapped[datetime | None]
    alert_acknowledged_at: Mapped[datetime | None]
    alert_acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    # When and where (domain.urgent.AlertSource) the person said they feel unsafe: what
    # the consoles say, and whether staff go to them or call them.
    alert_raised_at: Mapped[datetime | None]
    alert_via: Mapped[str | None] = mapped_column(String(12))
    # When the unacknowledged alert went to the site's on-call numbers (once), and to how
    # many (0: none was set, or every one had stopped texts).
    alert_escalated_at: Mapped[datetime | None]
    alert_escalated_to: Mapped[int | None] = mapped_column(Integer)
    # The person asked for help while nobody was on duty: the lead must see that too.
    alert_unstaffed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # An urgent person who was never seen stays on the lead's list until followed up.
    followed_up_at: Mapped[datetime | None]
    followed_up_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    follow_up_note: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    # Optimistic concurrency: every UPDATE checks the version it read, so two managers acting
    # on one ticket at once can never both succeed (the loser gets StaleDataError).
    version: Mapped[int] = mapped_column(Integer, default=1)

    site: Mapped[Site] = relationship()
    visitor: Mapped[Visitor | None] = relationship(foreign_keys=[visitor_id])
    assigned_to: Mapped[Staff | None] = relationship(foreign_keys=[assigned_staff_id])
    alert_acknowledged_by: Mapped[Staff | None] = relationship(
        foreign_keys=[alert_acknowledged_by_id]
    )
    followed_up_by: Mapped[Staff | None] = relationship(foreign_keys=[followed_up_by_id])
    notes: Mapped[list[TicketNote]] = relationship(
        back_populates="ticket", order_by="TicketNote.id", cascade="all, delete-orphan"
    )
    # The visit's texts, both ways, oldest first (read only: the outbox writes them).
    texts: Mapped[list[Message]] = relationship(order_by="Message.id", viewonly=True)
    # Read only, and never loaded whole (`ticket.history.select()`). Steps are written by
    # _log as plain rows with the ticket's own INSERT or UPDATE (see ticket_history): as
    # objects in the unit of work, a second kind of row cost a fifth of every call-next's
    # Python calls. The database deletes them with their ticket (ON DELETE CASCADE).
    history: WriteOnlyMapped[TicketEvent] = relationship(order_by="TicketEvent.id", viewonly=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    def apply(
        self,
        action: Action,
        *,
        at: datetime,
        by: Staff | None,
        desk: str | None = None,
        outcome: Outcome | None = None,
        outcome_detail: str | None = None,
        crisis_referral: str | None = None,
        reason: str | None = None,
        end_reason: EndReason | None = None,
        step: HistoryAction | None = None,
    ) -> None:
        """Move the ticket by `action`, stamping when and by whom; IllegalTransition otherwise."""
        before = self.status_enum
        after = lifecycle.next_status(before, action)
        self.status = after.value
        stamp = lifecycle.STAMP_FOR.get(after)
        if stamp:
            setattr(self, stamp, at)
        if action == Action.CALL:
            if self.first_called_at is None:
                self.first_called_at = at
            self.assigned_staff_id = by.id if by else None
            self.desk = desk
            if self.urgent and self.alert_acknowledged_at is None and by is not None:
                # Calling the urgent person is seeing their alert: it must not linger on
                # every console after they were seen.
                self.alert_acknowledged_at = at
                self.alert_acknowledged_by_id = by.id
        elif after == Status.WAITING:
            self.assigned_staff_id = None
            self.desk = None
        if action == Action.COMPLETE:
            self.outcome = outcome.value if outcome else None
            self.outcome_detail = outcome_detail
            self.crisis_referral = crisis_referral
        self.end_reason = end_reason.value if end_reason else None
        if after not in lifecycle.OPEN_STATUSES:
            # Kept only as long as needed: the kiosk promises to delete it after the visit.
            # An urgent person nobody saw keeps it until a lead has followed them up (which
            # erases it): the lead must be able to reach them.
            if not self.follow_up_pending:
                self.phone = None
            self.request_fingerprint = None  # keyed, but it still covers the phone
            self.return_code = None
            self.sms_opt_in = False
            self.next_try_at = None
        self._log(step or HistoryAction(action.value), before, at=at, by=by, reason=reason)
        self.record(TicketChanged(self.id, self.site_id, action.value, after.value))
        if after == Status.CALLED:
            self.record(TicketCalled(self.id, self.site_id, self.code, self.desk))

    def close_for_day(self, *, at: datetime) -> bool:
        """The service day ended: a waiting or called person's visit ends, saying why."""
        action = DAY_CLOSE_ACTION.get(self.status_enum)
        if action is None:
            return False
        self.apply(
            action, at=at, by=None, end_reason=EndReason.DAY_CLOSED, step=HistoryAction.DAY_CLOSED
        )
        return True

    def end_forgotten_session(self, *, at: datetime) -> None:
        """A session of an earlier service day that its manager, now gone, never completed:
        it ends, with no outcome anyone recorded (an urgent one goes on the lead's list)."""
        self.apply(
            Action.COMPLETE,
            at=at,
            by=None,
            outcome=Outcome.NOT_RECORDED,
            end_reason=EndReason.SESSION_LEFT_OPEN,
            step=HistoryAction.DAY_CLOSED,
        )

    def transfer(self, to: Staff, *, desk: str | None, at: datetime, by: Staff) -> None:
        """Hand a called or in-session person to another manager (who must be on duty)."""
        if self.status_enum not in BUSY_STATUSES:
            raise IllegalTransition(
                f"A ticket that is {self.status} is not with a manager to hand over.",
                fields={"status": self.status, "action": "transfer"},
            )
        if self.assigned_staff_id == to.id:
            raise Conflict("This person is already with that manager.", code="already_assigned")
        self.assigned_to = to
        self.desk = desk
        self._step(HistoryAction.TRANSFER, at=at, by=by)
        if self.status == Status.CALLED:
            self.record(TicketCalled(self.id, self.site_id, self.code, self.desk))

    def record_attempt(
        self, result: AttemptResult, *, at: datetime, by: Staff, limit: int, retry_after: timedelta
    ) -> Action | None:
        """One try at calling a caller back; returns the move it led to.

        A failed try that is not the last puts the caller back in line, not to be tried again
        before `retry_after` has passed: three tries in three seconds are not three tries.
        """
        if self.channel not in CALLBACK_CHANNELS:
            raise IllegalTransition("Only a call-back has call attempts.", code="not_a_callback")
        if self.status != Status.CALLED:
            raise IllegalTransition(
                "Call this person first, then record how the call went.",
                fields={"status": self.status, "action": "attempt"},
            )
        if result != AttemptResult.REACHED and self.next_try_at and at < self.next_try_at:
            # Called again on purpose before the pause was over: that try can still reach
            # them, but a failure does not count yet, or three tries could take a minute.
            raise Conflict(
                "The last try did not get through only a few minutes ago. Try again later.",
                code="too_soon",
                fields={"next_try_at": self.next_try_at.isoformat().replace("+00:00", "Z")},
            )
        self.call_attempts = (self.call_attempts or 0) + 1
        follow = action_after(result, self.call_attempts, limit)
        self._log(HistoryAction(f"call_{result.value}"), self.status_enum, at=at, by=by)
        if follow == Action.START:
            self.apply(Action.START, at=at, by=by)
        elif follow == Action.COMPLETE:
            self.apply(Action.COMPLETE, at=at, by=by, outcome=Outcome.UNREACHABLE)
        else:
            self.apply(Action.REQUEUE, at=at, by=by)
            self.next_try_at = at + retry_after
            return Action.REQUEUE
        return follow

    def _step(self, step: HistoryAction, *, at: datetime, by: Staff) -> None:
        """A change that keeps the status: stamped, kept in the history, and announced."""
        self.updated_at = at
        self.updated_by_id = by.id
        self._log(step, self.status_enum, at=at, by=by)
        self.record(TicketChanged(self.id, self.site_id, step.value, self.status))


# Exactly the queue order (domain.ordering), so the head of the line is read off the index
# instead of sorting everyone waiting. tests/test_queue_order.py pins the two together.
Index(
    "ix_ticket_queue",
    Ticket.site_id,
    Ticket.status,
    Ticket.urgent.desc(),
    Ticket.queued_at,
    Ticket.id,
)
