"""What happened, as recorded by the domain and published once the database has committed.

Events carry ids and codes only: whoever reacts (sockets, SMS) loads what it needs, so a
payload can never leak more than its audience may see.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketCreated:
    ticket_id: int
    site_id: int
    urgent: bool


@dataclass(frozen=True)
class TicketChanged:
    ticket_id: int
    site_id: int
    action: str
    status: str


@dataclass(frozen=True)
class TicketTexted:
    """A visit's texts changed (one written, sent, delivered, failed; or the person wrote):
    the consoles show it on the card. The lobby and the person's own page are not told."""

    ticket_id: int
    site_id: int


@dataclass(frozen=True)
class TicketCalled:
    """A person was called to a desk: the lobby screen shows the code."""

    ticket_id: int
    site_id: int
    code: str
    desk: str | None


@dataclass(frozen=True)
class UrgentArrival:
    """Someone said they feel unsafe: staff are alerted at once."""

    ticket_id: int
    site_id: int


@dataclass(frozen=True)
class DutyChanged:
    site_id: int
    staff_id: int
    on_duty: bool


@dataclass(frozen=True)
class StaffSignedOut:
    """A session or token ended: its live connections must end with it."""

    staff_id: int
    token_id: int


@dataclass(frozen=True)
class UrgentBurst:
    """Urgent requests beyond the allowance from one address: one summary for the consoles."""

    site_id: int
    count: int
    since: str


@dataclass(frozen=True)
class StaffAccountEnded:
    """Every session of one account was revoked (deactivated, or its password reset): all
    of that person's live connections end, on every server process."""

    staff_id: int


@dataclass(frozen=True)
class StaffAccessChanged:
    """A person's sites or role changed: their live consoles start again with what they
    may see now (a site taken away stops sending its people at once), on every process."""

    staff_id: int


@dataclass(frozen=True)
class CaseVisitorArrived:
    """Someone with an open critical-need case checked in: their case manager is told."""

    ticket_id: int
    site_id: int
    case_id: int
    staff_id: int
