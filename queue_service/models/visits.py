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
