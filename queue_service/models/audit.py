"""The audit log's table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditEntry(Base):
    """Who did or saw what, when, from where. Append-only: the database refuses changes.

    Plain ids, not foreign keys: deleting a ticket or a staff member must never rewrite or
    remove what the log says about them.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_site", "site_id", "id"),
        # The urgent-burst rule counts one address's recent urgent requests.
        Index("ix_audit_entry_origin_at", "origin", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    # domain.history.Actor: staff, the visitor themselves, or the system.
    actor: Mapped[str] = mapped_column(String(10), default="staff", server_default="staff")
    staff_id: Mapped[int | None]
    staff_email: Mapped[str | None] = mapped_column(String(254), info={"personal": True})
    action: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int | None]
    ticket_id: Mapped[int | None] = mapped_column(index=True)
    # Never a visitor's name, phone or note; staff e-mails (administration, failed sign-ins).
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict, info={"personal": True})
    # The client's address. A visitor's is removed by the retention purge, the one change
    # the database allows on this table (migration 0007_retention).
    origin: Mapped[str | None] = mapped_column(String(64), info={"personal": True})
