"""Staff and returning visitors: the history of one, the site's repeat visitors, and linking
a visit to a visitor by hand (or undoing it).

A staff member sees a visitor only through the sites they work at: the visits and cases
there, nothing from other offices, and a visitor with nothing at their sites is not found.
Every look is audited. Links by hand are visitor_links'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from ..clock import local_day, utcnow
from ..domain.errors import NotFound
from ..domain.history import AuditAction
from ..models import CriticalNeedCase, Site, Staff, Ticket, Visitor
from ..persistence import repositories, visitor_queries
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member


@dataclass(frozen=True)
class VisitorHistory:
    visitor: Visitor
    visits: list[Ticket]  # newest first, at the reader's sites
    cases: list[CriticalNeedCase]
    counts: dict[int, visitor_queries.WindowCount]  # by site id, in each site's window
    sites: list[Site]


@dataclass(frozen=True)
class RepeatVisitor:
    visitor_id: int
    visits: int
    urgent_visits: int
    last_visit_on: date
    label: str
    open_case: CriticalNeedCase | None


def visible_visitor(session: Session, staff: Staff, visitor_id: object) -> Visitor:
    """The visitor, if they have a visit or case at one of the staff member's sites."""
    sites = [s.id for s in staff.sites]
    found = None
    if isinstance(visitor_id, int) and not isinstance(visitor_id, bool) and 0 < visitor_id < 2**31:
        here = or_(
            exists().where(Ticket.visitor_id == Visitor.id, Ticket.site_id.in_(sites)),
            exists().where(
                CriticalNeedCase.visitor_id == Visitor.id, CriticalNeedCase.site_id.in_(sites)
            ),
        )
        found = session.scalar(select(Visitor).where(Visitor.id == visitor_id, here))
    if found is None:
        raise NotFound("There is no such visitor at your sites.", code="visitor_not_found")
    return found


def history(
    session: Session,
    staff: Staff,
    visitor_id: int,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> VisitorHistory:
    begin_write(session)
    visitor = visible_visitor(session, staff, visitor_id)
    sites = {s.id: s for s in staff.sites}
    visits = list(
        session.scalars(
            select(Ticket)
            .options(selectinload(Ticket.notes), selectinload(Ticket.assigned_to))
            .where(Ticket.visitor_id == visitor.id, Ticket.site_id.in_(list(sites)))
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        )
    )
    cases = list(
        session.scalars(
            select(CriticalNeedCase)
            .where(
                CriticalNeedCase.visitor_id == visitor.id,
                CriticalNeedCase.site_id.in_(list(sites)),
            )
            .order_by(CriticalNeedCase.opened_at.desc())
        )
    )
    moment = now or utcnow()
    seen_at = {t.site_id for t in visits}
    counts = {}
    for site_id in seen_at:
        site = sites[site_id]
        found = visitor_queries.window_counts(
            session, site, [visitor.id], local_day(moment, site.timezone)
        )
        if visitor.id in found:
            counts[site_id] = found[visitor.id]
    audit.record(
        session,
        staff,
        AuditAction.VISITOR_VIEWED,
        site_id=next(iter(seen_at), None) or (cases[0].site_id if cases else None),
        detail={"visitor_id": visitor.id},
        at=moment,
        origin=origin,
    )
    commit(session)
    return VisitorHistory(visitor, visits, cases, counts, [sites[i] for i in sorted(seen_at)])


def repeat_visitors(
    session: Session,
    staff: Staff,
    site_slug: str,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> tuple[Site, list[RepeatVisitor]]:
    begin_write(session)
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    moment = now or utcnow()
    rule = site.repeat_rule
    found = visitor_queries.meeting_the_rule(session, site, local_day(moment, site.timezone))
    cases = visitor_queries.open_cases_of(session, site.id, [c.visitor_id for c in found])
    audit.record(
        session,
        staff,
        AuditAction.REPEAT_VISITORS_VIEWED,
        site_id=site.id,
        detail={"count": len(found)},
        at=moment,
        origin=origin,
    )
    commit(session)
    return site, [
        RepeatVisitor(
            c.visitor_id,
            c.visits,
            c.urgent_visits,
            c.last_visit_on,
            rule.label(c.visits, c.urgent_visits) or "",
            cases.get(c.visitor_id),
        )
        for c in found
    ]
