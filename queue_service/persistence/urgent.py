"""Queries about urgent people: who waits, whose alert nobody has acknowledged, who was
never seen, and the bursts the urgent rule summarised (domain.urgent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ..domain.escalation import ESCALATES_WHILE
from ..domain.history import AuditAction
from ..domain.lifecycle import Outcome, Status
from ..models import AuditEntry, Ticket
from ..models.ticket_alerts import NOT_SEEN_STATUSES


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


def open_alerts(session: Session, site_id: int, limit: int = 50) -> list[Ticket]:
    """Urgent alerts at the site still open (Ticket.alert_open): none acknowledged them
    (calling the person counts), whatever became of the ticket, the day close included; or
    the person still waits with nobody on the way. Longest waiting first, as call-next takes
    urgent people, so a newer alert never buries an older one; past `limit`, the newest
    (alerts_total says how many there are in all)."""
    newest = session.scalars(
        select(Ticket)
        .where(*_open(site_id))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    return list(reversed(newest.all()))


def count_open_alerts(session: Session, site_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Ticket).where(*_open(site_id))) or 0)


def _open(site_id: int) -> tuple:
    return (
        Ticket.site_id == site_id,
        Ticket.urgent.is_(True),
        or_(Ticket.alert_acknowledged_at.is_(None), Ticket.status == Status.WAITING),
    )


def needs_follow_up() -> ColumnElement[bool]:
    """Ticket.needs_follow_up in SQL (tests pin the two together). Never NULL, so its NOT
    is the rule's opposite (the retention purge spares what it matches)."""
    return and_(
        Ticket.urgent.is_(True),
        or_(
            and_(
                Ticket.status.in_([s.value for s in NOT_SEEN_STATUSES]),
                Ticket.started_at.is_(None),
                Ticket.outcome.is_(None),
            ),
            Ticket.outcome.is_not_distinct_from(Outcome.NOT_RECORDED.value),
        ),
    )


def urgent_not_seen(session: Session, site_id: int) -> list[Ticket]:
    """Urgent people nobody saw (or whose session nobody recorded), not yet followed up."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.site_id == site_id, needs_follow_up(), Ticket.followed_up_at.is_(None))
            .order_by(Ticket.created_at)
        )
    )


@dataclass(frozen=True)
class PendingBurst:
    """Urgent requests coalesced at a site since a person last acknowledged a burst."""

    count: int
    since: datetime
    last_at: datetime


def pending_burst(session: Session, site_id: int) -> PendingBurst | None:
    acknowledged = session.scalar(
        select(func.max(AuditEntry.id)).where(
            AuditEntry.site_id == site_id,
            AuditEntry.action == AuditAction.ALERT_BURST_ACKNOWLEDGED.value,
        )
    )
    count, since, last = session.execute(
        select(func.count(), func.min(AuditEntry.at), func.max(AuditEntry.at)).where(
            AuditEntry.site_id == site_id,
            AuditEntry.action == AuditAction.URGENT_COALESCED.value,
            AuditEntry.id > (acknowledged or 0),
        )
    ).one()
    return PendingBurst(int(count), since, last) if count else None


def help_while_closed(session: Session, site_id: int, since: datetime) -> list[AuditEntry]:
    """People who asked for help at the kiosk while the office was closed and unstaffed."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.site_id == site_id,
                AuditEntry.action == AuditAction.HELP_WHILE_CLOSED.value,
                AuditEntry.at >= since,
            )
            .order_by(AuditEntry.at.desc())
        )
    )


def alerts_to_escalate(session: Session, site_id: int, cutoff: datetime) -> list[Ticket]:
    """The site's urgent alerts due to go to on-call (domain.escalation.is_due), locked;
    on PostgreSQL rows another process is escalating are skipped, not waited for."""
    query = select(Ticket).where(*_due(site_id, cutoff)).order_by(_raised(), Ticket.id)
    return list(session.scalars(query.with_for_update(skip_locked=True)))


def any_to_escalate(session: Session, site_id: int, cutoff: datetime) -> bool:
    """The same, read without a lock: most of the time there is nothing to do."""
    return session.scalar(select(Ticket.id).where(*_due(site_id, cutoff)).limit(1)) is not None


def _raised() -> ColumnElement[datetime]:
    return func.coalesce(Ticket.alert_raised_at, Ticket.created_at)


def _due(site_id: int, cutoff: datetime) -> tuple:  # type: ignore[type-arg]
    return (
        Ticket.site_id == site_id,
        Ticket.urgent.is_(True),
        Ticket.status.in_([s.value for s in ESCALATES_WHILE]),
        Ticket.alert_acknowledged_at.is_(None),
        Ticket.alert_escalated_at.is_(None),
        _raised() <= cutoff,
    )
