"""Staff accounts and their sign-ins."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, RecordsEvents

if TYPE_CHECKING:
    from .sites import Site

staff_sites = Table(
    "staff_site",
    Base.metadata,
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class Staff(RecordsEvents, Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    # info personal: listed in the README's "What Front Door keeps" (tests/privacy).
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"personal": True})
    name: Mapped[str] = mapped_column(String(120), info={"personal": True})
    role: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(default=lambda: ["en"])
    password_hash: Mapped[str] = mapped_column(String(200), info={"personal": True})
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


class SetPasswordLink(Base):
    """A one-time link to choose a password: an invitation, or a reset by an administrator.

    Only the SHA-256 of the link's token is stored, so the table cannot be read for working
    links; a link works once, until `expires_at`, and issuing a new one retires the old.
    """

    __tablename__ = "set_password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))  # "invite" or "reset"
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    staff: Mapped[Staff] = relationship(lazy="joined")
