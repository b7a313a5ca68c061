"""The parts of a visit beside the ticket itself: its history, notes, and the day's numbers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.history import HistoryAction
from .base import Base
from .staff import Staff

if TYPE_CHECKING:
    from .tickets import Ticket


class Visitor(Base):
    """A person recognised across visits without identity documents: by keyed hashes of a
    number they gave or a return code they kept (domain.visitors), never by the values."""

    __tablename__ = "visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    # The latest visit linked to them: the retention purge forgets a visitor (keys, links)
    # once this and every case of theirs are past the site's period.
    last_visit_at: Mapped[datetime | None]

    keys: Mapped[list[VisitorKey]] = relationship(cascade="all, delete-orphan")


class VisitorKey(Base):
    """One way to know a visitor again: HMAC(secret key, kind, value). Unique, so one number
    or code can only ever name one visitor."""

    __tablename__ = "visitor_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[int] = mapped_column(
        ForeignKey("visitor.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # domain.visitors.KeyKind
    key: Mapped[str] = mapped_column(String(64), unique=True, info={"personal": True})
    # The visit that brought it: a key travels with its visit when staff link the visit to
    # another visitor, or unlink it, so a mistaken link is undone whole.
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]


class DailyCounter(Base):
    """The last ticket number handed out at a site on a service day."""

    __tablename__ = "daily_counter"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("site.id", ondelete="CASCADE"), primary_key=True
    )
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class TicketEvent(Base):
    """One step in a ticket's life: what, from which status to which, by whom, when, why."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    action: Mapped[HistoryAction] = mapped_column(
        Enum(
            HistoryAction,
            native_enum=False,
            length=20,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        )
    )
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    # Why, where a step needs one: e.g. calling someone while an urgent person waits.
    reason: Mapped[str | None] = mapped_column(String(500), info={"personal": True})
    at: Mapped[datetime]


class TicketNote(Base):
    """A case manager's short private note on a visit. Never shown to the public."""

    __tablename__ = "ticket_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, info={"personal": True})
    at: Mapped[datetime]

    ticket: Mapped[Ticket] = relationship(back_populates="notes")
    author: Mapped[Staff | None] = relationship(lazy="joined")
