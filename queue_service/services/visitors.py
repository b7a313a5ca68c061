"""Staff and returning visitors: the history of one, the site's repeat visitors, and linking
a visit to a visitor by hand (or undoing it).

A staff member sees a visitor only through the sites they work at: the visits and cases
there, nothing from other offices, and a visitor with nothing at their sites is not found.
Every look is audited. A link by hand moves one visit (with the keys it brought, so the
person's number or code follows it); it never merges two histories, and unlinking gives the
visit, and its keys, a visitor of their own again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session, selectinload

from ..clock import local_day, utcnow
from ..domain.errors import Conflict, NotFound
from ..domain.events import TicketChanged
from ..domain.history import AuditAction
from ..models import CriticalNeedCase, Site, Staff, Ticket, Visitor, VisitorKey
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


def link(
    session: Session,
    staff: Staff,
    ticket_id: int,
    visitor_id: object,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Link a visit to a visitor by hand (staff recognised the person)."""
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    visitor = visible_visitor(session, staff, visitor_id)
    if ticket.visitor_id == visitor.id:
        session.rollback()
        return ticket
    was = ticket.visitor_id
    _move(session, ticket, visitor, now or utcnow())
    audit.record(
        session,
        staff,
        AuditAction.VISITOR_LINKED,
        ticket=ticket,
        detail={"visitor_id": visitor.id, "from_visitor_id": was},
        origin=origin,
    )
    commit(session)
    return ticket


def unlink(
    session: Session,
    staff: Staff,
    ticket_id: int,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Undo a link: the visit, with the keys it brought, becomes a visitor of its own."""
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    if ticket.visitor_id is None:
        raise Conflict("This visit is not linked to a visitor.", code="not_linked")
    was = ticket.visitor_id
    moment = now or utcnow()
    alone = Visitor(created_at=moment, last_visit_at=ticket.created_at)
    session.add(alone)
    _move(session, ticket, alone, moment)
    audit.record(
        session,
        staff,
        AuditAction.VISITOR_UNLINKED,
        ticket=ticket,
        detail={"visitor_id": was, "new_visitor_id": alone.id},
        origin=origin,
    )
    commit(session)
    return ticket


def _move(session: Session, ticket: Ticket, to: Visitor, now: datetime) -> None:
    """The visit and the keys it brought go to `to`; a visitor left with no visit and no
    case is removed (there is nothing of theirs left to keep)."""
    before = ticket.visitor_id
    ticket.visitor = to
    ticket.updated_at = now
    ticket.record(TicketChanged(ticket.id, ticket.site_id, "visitor", ticket.status))
    session.flush()
    session.execute(
        update(VisitorKey).where(VisitorKey.ticket_id == ticket.id).values(visitor_id=to.id)
    )
    if to.last_visit_at is None or to.last_visit_at < ticket.created_at:
        to.last_visit_at = ticket.created_at
    if before is not None:
        _remove_if_empty(session, before)


def _remove_if_empty(session: Session, visitor_id: int) -> None:
    used = session.scalar(
        select(
            or_(
                exists().where(Ticket.visitor_id == visitor_id),
                exists().where(CriticalNeedCase.visitor_id == visitor_id),
            )
        )
    )
    if not used:
        left = session.get(Visitor, visitor_id)
        if left is not None:
            session.delete(left)
