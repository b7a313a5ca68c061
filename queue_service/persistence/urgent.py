"""Queries about urgent people: who waits, whose alert nobody has acknowledged, who was
never seen, and the bursts the urgent rule summarised (domain.urgent)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.history import AuditAction
from ..domain.lifecycle import Status
from ..domain.urgent import URGENT_WINDOW
from ..models import AuditEntry, Ticket
from ..models.tickets import NOT_SEEN_STATUSES


def urgent_waiting_besides(session: Session, site_id: int, ticket_id: int) -> bool:
    """Whether someone urgent waits at the site, other than `ticket_id`."""
    return (
        session.scalar(
            select(Ticket.id)
            .where(
                Ticket.site_id == site_id,
                Ticket.status == Status.WAITING,
                Ticket.urgent.is_(True),
                Ticket.id != ticket_id,
            )
            .limit(1)
        )
        is not None
    )


def unacknowledged_alerts(session: Session, site_id: int, limit: int = 50) -> list[Ticket]:
    """Every urgent alert at the site no person has acknowledged, whatever became of the
    ticket (the day close included): an alert ends only when a person has seen it."""
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.site_id == site_id,
                Ticket.urgent.is_(True),
                Ticket.alert_acknowledged_at.is_(None),
            )
            .order_by(Ticket.created_at)
            .limit(limit)
        )
    )


def urgent_not_seen(session: Session, site_id: int) -> list[Ticket]:
    """Urgent people whose visit ended without anyone seeing them, not yet followed up.
    The same rule as Ticket.urgent_not_seen (tests pin the two together)."""
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.site_id == site_id,
                Ticket.urgent.is_(True),
                Ticket.status.in_([s.value for s in NOT_SEEN_STATUSES]),
                Ticket.started_at.is_(None),
                Ticket.outcome.is_(None),
                Ticket.followed_up_at.is_(None),
            )
            .order_by(Ticket.created_at)
        )
    )


def recent_bursts(session: Session, site_id: int) -> list[dict]:
    """Urgent-burst summaries at the site within the burst window (domain.urgent)."""
    since = utcnow() - URGENT_WINDOW
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.site_id == site_id,
            AuditEntry.action == AuditAction.ALERT_BURST.value,
            AuditEntry.at >= since,
        )
        .order_by(AuditEntry.id)
    )
    return [
        {"count": (r.detail or {}).get("count"), "at": r.at.isoformat().replace("+00:00", "Z")}
        for r in rows
    ]
