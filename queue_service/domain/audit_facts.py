"""What an audit sentence knows of one entry (audit_words.py), and the site's clock it tells
the time by."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .history import Actor, AuditReason

# Fixed English names: the server's locale must not change what the log says.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Why the system did something (`reason` in its detail), in words.
REASONS = {
    AuditReason.SERVICE_DAY_ENDED: "the service day ended",
    AuditReason.URGENT_REQUESTS_OVER_ALLOWANCE: (
        "more urgent requests from one address than allowed"
    ),
    AuditReason.BAD_CREDENTIALS: "wrong password",
    AuditReason.RETENTION_PERIOD: "the site's retention period",
    AuditReason.SIGNED_OUT: "they signed out",
    AuditReason.SESSION_EXPIRED: "their sign-in expired",
    AuditReason.ACCOUNT_DEACTIVATED: "their account was deactivated",
    AuditReason.PASSWORD_RESET: "their password was reset",
    AuditReason.SITE_REMOVED: "the site was taken off their account",
}


def local_time(at: datetime, zone: str) -> str:
    """`at` on the site's clock, e.g. "Tue 1 Dec 2026, 14:03"."""
    here = at.astimezone(ZoneInfo(zone))
    return f"{_DAYS[here.weekday()]} {here.day} {_MONTHS[here.month - 1]} {here.year}, {here:%H:%M}"


@dataclass(frozen=True)
class EntryFacts:
    """What a sentence needs of one entry, with the names its ids stand for."""

    action: str
    actor: str
    # The entry's staff member: who acted, or whose account a failed sign-in was for.
    staff_id: int | None = None
    staff_name: str | None = None
    staff_email: str | None = None
    ticket_code: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    # Other staff the detail names by id (a hand-over's colleague, a shift the day ended).
    names: Mapping[int, str] = field(default_factory=dict)

    @property
    def who(self) -> str:
        if self.actor == Actor.VISITOR:
            return "The visitor"
        if self.actor == Actor.SYSTEM:
            return "The system"
        return self.staff_name or self.staff_email or "A staff member"

    @property
    def ticket(self) -> str:
        return self.ticket_code or "a ticket"

    def named(self, key: str) -> str:
        staff_id = self.detail.get(key)
        if isinstance(staff_id, int) and staff_id in self.names:
            return self.names[staff_id]
        return "a colleague" if staff_id is not None else "nobody"

    @property
    def reason(self) -> str:
        raw = str(self.detail.get("reason") or "")
        return REASONS.get(raw, raw.replace("_", " "))

    def because(self) -> str:
        return f" ({self.reason})" if self.reason else ""
