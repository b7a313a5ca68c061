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
    staff_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int | None]
    ticket_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    origin: Mapped[str | None] = mapped_column(String(64))
