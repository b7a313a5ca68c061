"""Read models: the contract's PublicTicket and StaffTicket, and the live numbers behind them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import waits
from ..domain.lifecycle import Status
from ..domain.visitors import return_code_display
from ..models import Ticket
from ..persistence import queue_reads

if TYPE_CHECKING:
    from .office import SiteStatus

UrlFor = Callable[[str], str]
TYPICAL_MINUTES_TTL = timedelta(minutes=1)


@dataclass(frozen=True)
class QueueNumbers:
    """The site-wide figures a wait estimate is made from, read once per request."""

    managers_on_duty: int
    busy: int
    service_minutes: float

    @classmethod
    def read(cls, session: Session, site_id: int, now: datetime | None = None) -> QueueNumbers:
        on_duty, busy = queue_reads.duty_and_busy(session, site_id)
        return cls(on_duty, busy, _typical_minutes(session, site_id, now or utcnow()))

    @classmethod
    def read_with_waiting(
        cls, session: Session, site_id: int, now: datetime
    ) -> tuple[QueueNumbers, int]:
        """The figures, and how many wait, in one query (the office's status needs both)."""
        on_duty, busy, waiting = queue_reads.duty_busy_and_waiting(session, site_id)
        return cls(on_duty, busy, _typical_minutes(session, site_id, now)), waiting

    def wait_for(self, position: int | None) -> int | None:
        if position is None:
            return None
        return waits.estimate_wait_minutes(
            position,
            managers_on_duty=self.managers_on_duty,
            busy=self.busy,
            service_minutes=self.service_minutes,
        )


def _typical_minutes(session: Session, site_id: int, now: datetime) -> float:
    """The site's typical visit length, read at most once a minute per process.

    It is a median over the last two weeks, so a minute-old figure is as good as a fresh
    one, and it saves a query on every check-in and every status poll.
    """
    memo = session.info["database"].memo
    key = ("typical_minutes", site_id)
    cached = memo.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    minutes = waits.typical_service_minutes(queue_reads.recent_visit_minutes(session, site_id, now))
    memo[key] = (now + TYPICAL_MINUTES_TTL, minutes)
    return minutes


def public_ticket(
    ticket: Ticket, *, position: int | None, wait: int | None, status_url: str
) -> dict[str, Any]:
    """What the person holding the ticket may see: their own ticket and nothing else."""
    called = ticket.status in (Status.CALLED, Status.IN_SESSION)
    return {
        "token": ticket.token,
        "code": ticket.code,
        "status": ticket.status,
        "position": position,
        "estimated_wait_minutes": wait,
        "status_url": status_url,
        "language": ticket.language,
        "site": ticket.site.slug,
        "desk": ticket.desk if called else None,
        "created_at": iso(ticket.created_at),
        "called_at": iso(ticket.called_at),
        # day_closed: the office's day ended before they were seen (not their choice).
        "end_reason": ticket.end_reason,
        # A ticket is urgent only because its person said they feel unsafe (at the kiosk,
        # on their phone, or to the manager who added their call): telling the holder is
        # telling them what they asked, so their page keeps its help panel across a reload.
        "help_requested": ticket.urgent,
        # Theirs to keep for next time (domain.visitors); only while the visit is open.
        "return_code": return_code_display(ticket.return_code) if ticket.return_code else None,
    }


def office_status(found: SiteStatus) -> dict[str, Any]:
    """The contract's site status: what the office can give now. Never a name."""
    office = found.office
    return {
        "open_now": office.open_now,
        "staffed_now": office.staffed_now,
        "opens_at": iso(office.opens_at),
        # The next opening starts a whole day open (a 24-hour site after a closure).
        "opens_all_day": found.site.hours.opens_for_whole_day(office.opens_at),
        "closes_at": iso(office.closes_at),
        "waiting": found.waiting,
        "estimated_wait_minutes": found.estimated_wait_minutes,
        "state": office.state.value,
        "past_hours": office.past_hours,
        "closing_soon": found.closing_soon,
        "closure": (
            {"date": office.closure.on.isoformat(), "reason": office.closure.reason}
            if office.closure
            else None
        ),
        "timezone": found.site.timezone,
        "hours": found.site.hours.weekly.spec(),
    }


@dataclass(frozen=True)
class PlaceInLine:
    """A ticket's place (1 = next; None when not waiting) and its estimated wait."""

    position: int | None
    wait: int | None

    @classmethod
    def read(
        cls, session: Session, ticket: Ticket, numbers: QueueNumbers | None = None
    ) -> PlaceInLine:
        """`numbers`: the site's figures, when the caller read them in the same transaction."""
        position = queue_reads.position(session, ticket)
        if position is None:
            return cls(None, None)
        if numbers is None:
            numbers = QueueNumbers.read(session, ticket.site_id)
        return cls(position, numbers.wait_for(position))


def places_at_site(session: Session, site_id: int) -> dict[int, PlaceInLine]:
    """Every waiting ticket's place and wait at a site, from one read of the line."""
    numbers = QueueNumbers.read(session, site_id)
    order = queue_reads.waiting_ids_in_order(session, site_id)
    return {
        ticket_id: PlaceInLine(place, numbers.wait_for(place))
        for place, ticket_id in enumerate(order, start=1)
    }


def public_ticket_for(session: Session, ticket: Ticket, url_for: UrlFor) -> dict[str, Any]:
    place = PlaceInLine.read(session, ticket)
    return public_ticket(
        ticket, position=place.position, wait=place.wait, status_url=url_for(ticket.token)
    )


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


# The staff read models live beside these; re-exported so callers need one module.
from .staff_views import (  # noqa: E402
    coverage,
    on_duty,
    outcome_choices,
    staff_ticket,
    staff_tickets,
)

__all__ = ["coverage", "on_duty", "outcome_choices", "staff_ticket", "staff_tickets"]
