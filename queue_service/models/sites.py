"""Site offices, their hours, and who is on duty at them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.checkin import DEFAULT_LANGUAGES
from ..domain.escalation import DEFAULT_ESCALATE_MINUTES
from ..domain.hours import DEFAULT_SPEC, parse_spec
from ..domain.messages import DEFAULT_ALMOST_TURN_AHEAD
from ..domain.needs import Need, default_needs, offered
from ..domain.office_hours import OfficeHours, office_hours
from ..domain.retention import DEFAULT_RETENTION_DAYS
from ..domain.visitors import RepeatRule
from .base import Base, RecordsEvents
from .staff import Staff


def default_business_hours() -> dict[str, Any]:
    return parse_spec(DEFAULT_SPEC).to_json()


def default_need_list() -> list[dict[str, Any]]:
    return [n.to_json() for n in default_needs()]


class Site(RecordsEvents, Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    # {"mon": [["09:00", "17:00"]], ...} in the site's own time zone; absent day = closed.
    business_hours: Mapped[dict[str, Any]] = mapped_column(default=default_business_hours)
    # [{"date": "2026-12-25", "reason": "Holiday"}]: whole local days the office is closed.
    closures: Mapped[list[dict[str, Any]]] = mapped_column(default=list, server_default="[]")
    # The kiosk offers to print a small ticket (a receipt printer on the tablet).
    print_tickets: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # [{"slug": "food", "labels": {"es": "Comida"}, "retired": false}] in the site's order;
    # the rules are queue_service/domain/needs.py.
    need_list: Mapped[list[dict[str, Any]]] = mapped_column("needs", default=default_need_list)
    languages: Mapped[list[str]] = mapped_column(default=lambda: list(DEFAULT_LANGUAGES))
    # Days after a visit closes (in the site's time zone) until its personal values are purged
    # (queue_service/domain/retention.py has the valid range).
    retention_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_RETENTION_DAYS, server_default=str(DEFAULT_RETENTION_DAYS)
    )
    # Texts (domain/sms_wording.py): the neutral name each one starts with (never one that
    # says what kind of office this is), the number call-backs come from, and how many
    # people ahead of someone make it "almost your turn".
    sms_sender_name: Mapped[str | None] = mapped_column(String(20))
    sms_callback_number: Mapped[str | None] = mapped_column(String(20))
    sms_almost_turn_ahead: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_ALMOST_TURN_AHEAD, server_default=str(DEFAULT_ALMOST_TURN_AHEAD)
    )
    # Whether a text saying JOIN puts the sender in the line (an `sms` check-in).
    sms_join: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Urgent alerts nobody acknowledged within escalate_after_minutes are texted to these
    # numbers (the on-call rota's work phones), once (domain/escalation.py).
    oncall_numbers: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    escalate_after_minutes: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_ESCALATE_MINUTES, server_default=str(DEFAULT_ESCALATE_MINUTES)
    )
    # The repeat-visit rule (domain.visitors.RepeatRule): visits, or urgent visits, within
    # the last window_days local days that flag a visitor on the console.
    repeat_visits: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    repeat_urgent_visits: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    repeat_window_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    created_at: Mapped[datetime]

    @property
    def repeat_rule(self) -> RepeatRule:
        return RepeatRule(self.repeat_visits, self.repeat_urgent_visits, self.repeat_window_days)

    @property
    def hours(self) -> OfficeHours:
        return office_hours(self.business_hours, self.timezone, self.closures)

    @property
    def needs(self) -> list[Need]:
        """Every need category, retired ones too, in the site's order."""
        return [Need.from_json(n) for n in self.need_list]

    @property
    def need_categories(self) -> list[str]:
        """The slugs a person may choose now (kiosk, phone-caller form, check-in rules):
        retired needs are left out."""
        return [n.slug for n in offered(self.needs)]


class SiteHours(Base):
    """The hours, closures and time zone a site had from `from_at` on: a past day's coverage
    is measured against the hours in force that day, not today's. A row is written with
    the site, and with every change to any of the three (services.sites)."""

    __tablename__ = "site_hours"
    __table_args__ = (Index("ix_site_hours_site_from", "site_id", "from_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    from_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    business_hours: Mapped[dict[str, Any]]
    closures: Mapped[list[dict[str, Any]]]

    @property
    def hours(self) -> OfficeHours:
        return office_hours(self.business_hours, self.timezone, self.closures)


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
        # The reports' coverage: a site's shifts that overlap a day or a month.
        Index("ix_duty_shift_site_started", "site_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    desk: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    staff: Mapped[Staff] = relationship()
