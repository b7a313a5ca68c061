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
from ..domain.history import AuditAction, AuditReason
from ..domain.urgent import BURST_ALERT_EVERY, URGENT_WINDOW, AlertSource, over_allowance
from ..models import AuditEntry, Site, Staff, Ticket
from ..persistence import repositories, urgent
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member
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
    staffed = office.office.staffed_now
    if ticket.escalate(at=now, unstaffed=not staffed, via=AlertSource.TICKET_PAGE):
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
    session: Session, site: Site, urgent: bool, office: SiteStatus, origin: str | None,
    channel: str = "kiosk",
) -> None:  # fmt: skip
    """Closed and nobody on duty: no ticket. Someone who asked for help is still written
    down (the audit log), so it never vanishes; everyone gets the hours and crisis lines."""
    if urgent:
        audit.record(
            session,
            None,
            AuditAction.HELP_WHILE_CLOSED,
            site_id=site.id,
            detail={"state": office.office.state.value, "channel": channel},
            origin=origin,
        )
        commit(session)
    else:
        session.rollback()
    raise OfficeClosed("The office is closed now, and nobody is on duty.", office=office)


def past_allowance(session: Session, site: Site, origin: str, now: datetime) -> bool:
    """Past one address's urgent allowance: no ticket; noted, and the consoles' one burst
    alert for the site counts it (it stays until a person acknowledges it)."""
    if session.get_bind().dialect.name == "postgresql":
        # Requests from one address are counted one at a time (SQLite's write lock already
        # serialises them): twenty at once must not all see "under the allowance".
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"urgent:{origin}"))))
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
    audit.record(
        session, None, AuditAction.URGENT_COALESCED, site_id=site.id, origin=origin, at=now
    )
    last_summary = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.origin == origin, AuditEntry.action == AuditAction.ALERT_BURST.value
        )
    )
    session.flush()
    pending = urgent.pending_burst(session, site.id)
    if last_summary is None or now - last_summary >= BURST_ALERT_EVERY:
        audit.system(
            session,
            AuditAction.ALERT_BURST,
            reason=AuditReason.URGENT_REQUESTS_OVER_ALLOWANCE,
            site_id=site.id,
            detail={"count": pending.count if pending else 1},
            at=now,
            origin=origin,
        )
    if pending is not None:
        # Every coalesced request updates the one burst alert, so the last one of a burst is
        # never left out of what the consoles show.
        site.record(UrgentBurst(site.id, pending.count, pending.since.isoformat()))
    commit(session)
    return True


def acknowledge_burst(
    session: Session,
    site_slug: str,
    staff: Staff,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> None:
    """A manager has looked into the burst (the lobby, the kiosk): its alert ends."""
    begin_write(session)
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    pending = urgent.pending_burst(session, site.id)
    if pending is not None:
        audit.record(
            session,
            staff,
            AuditAction.ALERT_BURST_ACKNOWLEDGED,
            site_id=site.id,
            detail={"count": pending.count},
            at=now,
            origin=origin,
        )
        site.record(UrgentBurst(site.id, 0, pending.since.isoformat()))
    commit(session)
