"""The safety path: "I don't feel safe" from someone in line, at a closed office, or from a
kiosk sending more urgent requests than any lobby has people (domain.urgent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import OfficeClosed
from ..domain.events import UrgentBurst
from ..domain.history import AuditAction
from ..domain.urgent import BURST_ALERT_EVERY, URGENT_WINDOW, over_allowance
from ..models import AuditEntry, Site, Ticket
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .office import SiteStatus, site_status


@dataclass(frozen=True)
class HelpAsked:
    ticket: Ticket
    office: SiteStatus


def ask_for_help(
    session: Session, token: str, *, origin: str | None = None, now: datetime | None = None
) -> HelpAsked:
    """Someone already in line says they feel unsafe: their ticket becomes urgent at once."""
    begin_write(session)
    ticket = repositories.ticket_by_token(session, token)
    now = now or utcnow()
    office = site_status(session, ticket.site, now)
    if ticket.escalate(at=now, unstaffed=not office.office.staffed_now):
        audit.record(
            session,
            None,
            AuditAction.TICKET_URGENT,
            ticket=ticket,
            detail={"by": "visitor", "unstaffed": ticket.alert_unstaffed},
            origin=origin,
        )
    commit(session)
    return HelpAsked(ticket, office)


def refuse_closed(
    session: Session, site: Site, urgent: bool, office: SiteStatus, origin: str | None
) -> None:
    """Closed and nobody on duty: no ticket. Someone who asked for help is still written
    down (the audit log), so it never vanishes; everyone gets the hours and crisis lines."""
    if urgent:
        audit.record(
            session,
            None,
            AuditAction.HELP_WHILE_CLOSED,
            site_id=site.id,
            detail={"state": office.office.state.value},
            origin=origin,
        )
        commit(session)
    else:
        session.rollback()
    raise OfficeClosed("The office is closed now, and nobody is on duty.", office=office)


def past_allowance(session: Session, site: Site, origin: str, now: datetime) -> bool:
    """Past one address's urgent allowance: note it, summarise it at most once a minute."""
    recent = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.origin == origin,
            AuditEntry.action == AuditAction.URGENT_CHECK_IN.value,
            AuditEntry.at >= now - URGENT_WINDOW,
        )
    )
    if not over_allowance(int(recent or 0)):
        return False
    audit.record(session, None, AuditAction.URGENT_COALESCED, site_id=site.id, origin=origin)
    last_summary = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.origin == origin, AuditEntry.action == AuditAction.ALERT_BURST.value
        )
    )
    if last_summary is None or now - last_summary >= BURST_ALERT_EVERY:
        coalesced = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.origin == origin,
                AuditEntry.action == AuditAction.URGENT_COALESCED.value,
                AuditEntry.at >= now - URGENT_WINDOW,
            )
        )
        since = (now - URGENT_WINDOW).isoformat()
        audit.system(
            session,
            AuditAction.ALERT_BURST,
            reason="urgent_requests_over_allowance",
            site_id=site.id,
            detail={"count": int(coalesced or 0)},
            at=now,
            origin=origin,
        )
        site.record(UrgentBurst(site.id, int(coalesced or 0), since))
    commit(session)
    return True
