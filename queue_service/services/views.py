"""Read models: the contract's PublicTicket and StaffTicket, and the live numbers behind them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import waits
from ..domain.lifecycle import Status
from ..models import Ticket
from ..persistence import repositories

UrlFor = Callable[[str], str]


@dataclass(frozen=True)
class QueueNumbers:
    """The site-wide figures a wait estimate is made from, read once per request."""

    managers_on_duty: int
    busy: int
    service_minutes: float

    @classmethod
    def read(cls, session: Session, site_id: int, now: datetime | None = None) -> QueueNumbers:
        now = now or utcnow()
        return cls(
            managers_on_duty=repositories.managers_on_duty_count(session, site_id),
            busy=repositories.busy_count(session, site_id),
            service_minutes=waits.typical_service_minutes(
                repositories.recent_visit_minutes(session, site_id, now)
            ),
        )

    def wait_for(self, position: int | None) -> int | None:
        if position is None:
            return None
        return waits.estimate_wait_minutes(
            position,
            managers_on_duty=self.managers_on_duty,
            busy=self.busy,
            service_minutes=self.service_minutes,
        )


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
    }


def public_ticket_for(session: Session, ticket: Ticket, url_for: UrlFor) -> dict[str, Any]:
    position = repositories.position(session, ticket)
    wait = QueueNumbers.read(session, ticket.site_id).wait_for(position) if position else None
    return public_ticket(ticket, position=position, wait=wait, status_url=url_for(ticket.token))


def staff_ticket(ticket: Ticket, *, position: int | None) -> dict[str, Any]:
    assigned = ticket.assigned_to
    return {
        "id": ticket.id,
        "code": ticket.code,
        "status": ticket.status,
        "channel": ticket.channel,
        "urgent": ticket.urgent,
        "needs": list(ticket.needs or []),
        "language": ticket.language,
        "name": ticket.name,
        "phone": ticket.phone,
        "sms_opt_in": ticket.sms_opt_in,
        "position": position,
        "assigned_to": {"id": assigned.id, "name": assigned.name} if assigned else None,
        "desk": ticket.desk,
        "created_at": iso(ticket.created_at),
        "queued_at": iso(ticket.queued_at),
        "called_at": iso(ticket.called_at),
        "started_at": iso(ticket.started_at),
        "completed_at": iso(ticket.completed_at),
        "outcome": ticket.outcome,
        "outcome_detail": ticket.outcome_detail,
        "visitor_id": ticket.visitor_id,
        "site": ticket.site.slug,
        "version": ticket.version,
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
