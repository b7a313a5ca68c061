"""A critical-need case: its row, its plan's goals, and its timeline (the rules are
domain.cases')."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .sites import Site
from .staff import Staff


class CriticalNeedCase(Base):
    __tablename__ = "critical_need_case"
    __table_args__ = (
        Index("ix_case_site_status", "site_id", "status"),
        Index("ix_case_assigned_status", "assigned_staff_id", "status"),
        # One open case per visitor and site, even for two managers opening it at once.
        Index(
            "uq_case_open_per_visitor_site",
            "visitor_id",
            "site_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL: once the retention purge forgets a closed case's visitor, its dates and
    # destination stay for the reports, tied to nobody.
    visitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("visitor.id", ondelete="SET NULL"), index=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    assigned_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10))  # domain.cases.CaseStatus
    needs: Mapped[list[str]] = mapped_column(default=list)
    opened_on: Mapped[date] = mapped_column(Date)
    target_end_on: Mapped[date] = mapped_column(Date)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    destination: Mapped[str | None] = mapped_column(String(30))  # domain.cases.Destination
    close_note: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    # The person's consent to share the hand-off summary: with whom, when, recorded by whom.
    consent_shared_with: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
    consent_at: Mapped[datetime | None]
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime]
    # The retention purge counts a closed case's period from this moment.
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    site: Mapped[Site] = relationship()
    assigned_to: Mapped[Staff | None] = relationship(foreign_keys=[assigned_staff_id])
    opened_by: Mapped[Staff | None] = relationship(foreign_keys=[opened_by_id])
    consent_by: Mapped[Staff | None] = relationship(foreign_keys=[consent_by_id])
    goals: Mapped[list[CaseGoal]] = relationship(
        order_by="CaseGoal.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        order_by="CaseEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class CaseGoal(Base):
    """One goal of the case's short plan, and where it stands (domain.cases.GoalStatus)."""

    __tablename__ = "case_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("critical_need_case.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(300), info={"personal": True})
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CaseEvent(Base):
    """One step on the case's timeline (domain.cases.CaseEventKind): who, when, and what."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("critical_need_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    # A private note never leaves the office: left out of the hand-off summary.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Facts, never words: dates moved, a goal's status, who it was reassigned to.
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    staff: Mapped[Staff | None] = relationship(lazy="joined")
