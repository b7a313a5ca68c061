"""The tables, as SQLAlchemy 2 typed models, and the behaviour that belongs to each row.

Rules live in `domain`; these classes apply them to stored state and record the domain
events that are published once the transaction commits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, WriteOnlyMapped, mapped_column, relationship

from .domain import lifecycle
from .domain.callbacks import CALLBACK_CHANNELS, AttemptResult, action_after
from .domain.checkin import DEFAULT_LANGUAGES, DEFAULT_NEEDS
from .domain.errors import Conflict, IllegalTransition
from .domain.events import TicketCalled, TicketChanged, UrgentArrival
from .domain.lifecycle import BUSY_STATUSES, Action, Outcome, Status


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


class RecordsEvents:
    """Rows that record domain events for the bus (see persistence.unit_of_work)."""

    def record(self, event: object) -> None:
        self.__dict__.setdefault("_pending_events", []).append(event)

    def pop_events(self) -> list[object]:
        return self.__dict__.pop("_pending_events", [])


def default_business_hours() -> dict[str, Any]:
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    return {day: [["09:00", "17:00"]] for day in weekdays}


staff_sites = Table(
    "staff_site",
    Base.metadata,
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class Site(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    # {"mon": [["09:00", "17:00"]], ...} in the site's own time zone; absent day = closed.
    business_hours: Mapped[dict[str, Any]] = mapped_column(default=default_business_hours)
    need_categories: Mapped[list[str]] = mapped_column(default=lambda: list(DEFAULT_NEEDS))
    languages: Mapped[list[str]] = mapped_column(default=lambda: list(DEFAULT_LANGUAGES))
    created_at: Mapped[datetime]


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(default=lambda: ["en"])
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    sites: Mapped[list[Site]] = relationship(secondary=staff_sites, lazy="selectin")

    def works_at(self, site: Site) -> bool:
        return any(s.id == site.id for s in self.sites)


class StaffToken(RecordsEvents, Base):
    """An API bearer token or a browser session. Only its SHA-256 is stored; signing out
    revokes it, so a copied cookie or token is worthless afterwards."""

    __tablename__ = "staff_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # A browser session signs out after this long without use; an API token does not slide.
    idle_seconds: Mapped[int | None]

    staff: Mapped[Staff] = relationship(lazy="joined")


class DutyShift(RecordsEvents, Base):
    """A case manager on duty at a site's desk, from `started_at` until `ended_at`."""

    __tablename__ = "duty_shift"
    __table_args__ = (
        # One open shift per person: starting a second one ends nothing silently.
        Index(
            "uq_duty_shift_open",
            "staff_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_duty_shift_site_open", "site_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    desk: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    staff: Mapped[Staff] = relationship()


class Visitor(Base):
    """A person recognised across visits without identity documents (see the repeat-visit issue)."""

    __tablename__ = "visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]


class DailyCounter(Base):
    """The last ticket number handed out at a site on a service day."""

    __tablename__ = "daily_counter"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("site.id", ondelete="CASCADE"), primary_key=True
    )
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(RecordsEvents, Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("site_id", "service_day", "number", name="uq_ticket_site_day_number"),
        # A key is good for one service day: a tablet that reuses one tomorrow gets a new ticket.
        UniqueConstraint(
            "site_id", "service_day", "idempotency_key", name="uq_ticket_site_day_idempotency_key"
        ),
        Index("ix_ticket_site_completed", "site_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("visitor.id", ondelete="SET NULL"))
    token: Mapped[str] = mapped_column(String(43), unique=True)
    service_day: Mapped[date] = mapped_column(Date)
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default=Status.WAITING)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    needs: Mapped[list[str]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20))
    sms_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # The Idempotency-Key of the "call next" that claimed the ticket: a manager's retry (lost
    # response, double tap) returns this person instead of calling a second one.
    call_key: Mapped[str | None] = mapped_column(String(200))

    created_at: Mapped[datetime]
    queued_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
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
    outcome_detail: Mapped[str | None] = mapped_column(String(500))
    call_attempts: Mapped[int] = mapped_column(Integer, default=0)
    alert_acknowledged_at: Mapped[datetime | None]
    alert_acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    # Optimistic concurrency: every UPDATE checks the version it read, so two managers acting
    # on one ticket at once can never both succeed (the loser gets StaleDataError).
    version: Mapped[int] = mapped_column(Integer, default=1)

    site: Mapped[Site] = relationship()
    assigned_to: Mapped[Staff | None] = relationship(foreign_keys=[assigned_staff_id])
    alert_acknowledged_by: Mapped[Staff | None] = relationship(
        foreign_keys=[alert_acknowledged_by_id]
    )
    notes: Mapped[list[TicketNote]] = relationship(
        back_populates="ticket", order_by="TicketNote.id", cascade="all, delete-orphan"
    )

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
        outcome: lifecycle.Outcome | None = None,
        outcome_detail: str | None = None,
    ) -> None:
        """Move the ticket by `action`, stamping when and by whom; IllegalTransition otherwise."""
        before = self.status_enum
        after = lifecycle.next_status(before, action)
        self.status = after.value
        stamp = lifecycle.STAMP_FOR.get(after)
        if stamp:
            setattr(self, stamp, at)
        if action == Action.CALL:
            self.assigned_staff_id = by.id if by else None
            self.desk = desk
        elif after == Status.WAITING:
            self.assigned_staff_id = None
            self.desk = None
        if action == Action.COMPLETE:
            self.outcome = outcome.value if outcome else None
            self.outcome_detail = outcome_detail
        if after not in lifecycle.OPEN_STATUSES:
            # Kept only as long as needed: the kiosk promises to delete it after the visit.
            self.phone = None
            self.sms_opt_in = False
        self.updated_at = at
        self.updated_by_id = by.id if by else None
        self.history.add(
            TicketEvent(
                action=action.value,
                from_status=before.value,
                to_status=after.value,
                staff_id=by.id if by else None,
                at=at,
            )
        )
        self.record(TicketChanged(self.id, self.site_id, action.value, after.value))
        if after == Status.CALLED:
            self.record(TicketCalled(self.id, self.site_id, self.code, self.desk))

    def escalate(self, *, at: datetime) -> bool:
        """The person says they feel unsafe: to the front of the line, and staff alerted.

        Only while they wait or are being called; False when there is nothing to change.
        """
        if self.status not in (Status.WAITING, Status.CALLED) or self.urgent:
            return False
        self.urgent = True
        self.updated_at = at
        self.history.add(
            TicketEvent(action="urgent", from_status=self.status, to_status=self.status, at=at)
        )
        self.record(TicketChanged(self.id, self.site_id, "urgent", self.status))
        self.record(UrgentArrival(self.id, self.site_id))
        return True

    def acknowledge_alert(self, *, by: Staff, at: datetime) -> bool:
        """A manager has seen the urgent alert; False when someone already had."""
        if not self.urgent:
            raise IllegalTransition("There is no urgent alert on this ticket.")
        if self.alert_acknowledged_at is not None:
            return False
        self.alert_acknowledged_at = at
        self.alert_acknowledged_by = by
        self._step("acknowledge", at=at, by=by)
        return True

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
        self._step("transfer", at=at, by=by)
        if self.status == Status.CALLED:
            self.record(TicketCalled(self.id, self.site_id, self.code, self.desk))

    def record_attempt(
        self, result: AttemptResult, *, at: datetime, by: Staff, limit: int
    ) -> Action | None:
        """One try at calling a caller back; returns the move it led to, if any."""
        if self.channel not in CALLBACK_CHANNELS:
            raise IllegalTransition("Only a call-back has call attempts.", code="not_a_callback")
        if self.status != Status.CALLED:
            raise IllegalTransition(
                "Call this person first, then record how the call went.",
                fields={"status": self.status, "action": "attempt"},
            )
        self.call_attempts = (self.call_attempts or 0) + 1
        follow = action_after(result, self.call_attempts, limit)
        self.history.add(
            TicketEvent(
                action=f"call_{result.value}",
                from_status=self.status,
                to_status=self.status,
                staff_id=by.id,
                at=at,
            )
        )
        if follow == Action.START:
            self.apply(Action.START, at=at, by=by)
        elif follow == Action.COMPLETE:
            self.apply(Action.COMPLETE, at=at, by=by, outcome=Outcome.UNREACHABLE)
        else:
            self.updated_at = at
            self.updated_by_id = by.id
            self.record(TicketChanged(self.id, self.site_id, "attempt", self.status))
        return follow

    def _step(self, action: str, *, at: datetime, by: Staff) -> None:
        """A change that keeps the status: stamped, kept in the history, and announced."""
        self.updated_at = at
        self.updated_by_id = by.id
        self.history.add(
            TicketEvent(
                action=action, from_status=self.status, to_status=self.status, staff_id=by.id, at=at
            )
        )
        self.record(TicketChanged(self.id, self.site_id, action, self.status))

    # Append-only: adding a step never loads the ones before it.
    history: WriteOnlyMapped[TicketEvent] = relationship(
        order_by="TicketEvent.id", cascade="all, delete-orphan", passive_deletes=True
    )


class TicketEvent(Base):
    """One move in a ticket's life: what, from which status to which, by whom, when."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    at: Mapped[datetime]


class TicketNote(Base):
    """A case manager's short private note on a visit. Never shown to the public."""

    __tablename__ = "ticket_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]

    ticket: Mapped[Ticket] = relationship(back_populates="notes")


class AuditEntry(Base):
    """Who did or saw what, when, from where. Append-only: the database refuses changes.

    Plain ids, not foreign keys: deleting a ticket or a staff member must never rewrite or
    remove what the log says about them.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_site", "site_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    staff_id: Mapped[int | None]
    staff_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int | None]
    ticket_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    origin: Mapped[str | None] = mapped_column(String(64))


# Exactly the queue order (domain.ordering), so the head of the line is read off the index
# instead of sorting everyone waiting.
Index(
    "ix_ticket_queue",
    Ticket.site_id,
    Ticket.status,
    Ticket.urgent.desc(),
    Ticket.queued_at,
    Ticket.id,
)
