"""A site-day's report figures, kept once the day has settled (domain.reports.is_settled), so
a month of thirty sites is read, not counted again from a year of visits each time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SettledDay(Base):
    """Counts and durations only, as services.report_days computes them (never a name,
    number or note). A change to one of that day's visits or shifts removes the row
    (persistence.settled_days), and the next report counts the day again."""

    __tablename__ = "settled_day"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("site.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    figures: Mapped[dict[str, Any]]
    counted_at: Mapped[datetime]
