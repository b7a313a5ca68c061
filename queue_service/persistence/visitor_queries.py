"""Reading visitors: their visits within a site's repeat-visit window, the visitors who meet
the rule, and their open cases. The window and the rule are domain.visitors.RepeatRule's;
tests/test_repeat_visits.py pins the SQL to RepeatRule.met_by."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.cases import CaseStatus
from ..domain.lifecycle import Status
from ..domain.ordering import QueuedTicket
from ..domain.visitors import RepeatRule
from ..models import CriticalNeedCase, Site, Ticket


@dataclass(frozen=True)
class WindowCount:
    visitor_id: int
    visits: int
    urgent_visits: int
    last_visit_on: date


def _counts(site: Site, since: date):  # type: ignore[no-untyped-def]
    urgent = func.sum(case((Ticket.urgent, 1), else_=0)).cast(Integer)
    return (
        select(
            Ticket.visitor_id,
            func.count().label("visits"),
            urgent.label("urgent_visits"),
            func.max(Ticket.service_day).label("last_visit_on"),
        )
        .where(
            Ticket.site_id == site.id,
            Ticket.visitor_id.is_not(None),
            Ticket.service_day >= since,
        )
        .group_by(Ticket.visitor_id)
    ), urgent


def window_counts(
    session: Session, site: Site, visitor_ids: Collection[int], today: date
) -> dict[int, WindowCount]:
    """Each visitor's visits (and urgent ones) at the site within the rule's window."""
    if not visitor_ids:
        return {}
    query, _ = _counts(site, site.repeat_rule.window_start(today))
    rows = session.execute(query.where(Ticket.visitor_id.in_(list(visitor_ids))))
    return {r.visitor_id: WindowCount(r.visitor_id, r.visits, r.urgent_visits or 0,
                                      r.last_visit_on) for r in rows}  # fmt: skip


def meeting_the_rule(session: Session, site: Site, today: date) -> list[WindowCount]:
    """Every visitor who meets the site's repeat-visit rule today, latest visit first."""
    rule: RepeatRule = site.repeat_rule
    query, urgent = _counts(site, rule.window_start(today))
    query = query.having(or_(func.count() >= rule.visits, urgent >= rule.urgent_visits))
    rows = session.execute(query.order_by(func.max(Ticket.service_day).desc(), Ticket.visitor_id))
    return [WindowCount(r.visitor_id, r.visits, r.urgent_visits or 0, r.last_visit_on)
            for r in rows]  # fmt: skip


def open_cases_of(
    session: Session, site_id: int, visitor_ids: Collection[int]
) -> dict[int, CriticalNeedCase]:
    if not visitor_ids:
        return {}
    found = session.scalars(
        select(CriticalNeedCase)
        .options(selectinload(CriticalNeedCase.assigned_to))
        .where(
            CriticalNeedCase.site_id == site_id,
            CriticalNeedCase.status == CaseStatus.OPEN.value,
            CriticalNeedCase.visitor_id.in_(list(visitor_ids)),
        )
    )
    return {c.visitor_id: c for c in found if c.visitor_id is not None}


def waiting_with_my_case(
    session: Session, site_id: int, staff_id: int, now: datetime
) -> list[QueuedTicket]:
    """Waiting people at the site whose visitor has an open case with this manager (few:
    a caseload is a dozen people, and few of them are here at once)."""
    return [
        QueuedTicket(id=r[0], urgent=r[1], queued_at=r[2], language=r[3])
        for r in session.execute(
            select(Ticket.id, Ticket.urgent, Ticket.queued_at, Ticket.language)
            .join(CriticalNeedCase, CriticalNeedCase.visitor_id == Ticket.visitor_id)
            .where(
                Ticket.site_id == site_id,
                Ticket.status == Status.WAITING.value,
                or_(Ticket.next_try_at.is_(None), Ticket.next_try_at <= now),  # as call_candidates
                CriticalNeedCase.site_id == site_id,
                CriticalNeedCase.status == CaseStatus.OPEN.value,
                CriticalNeedCase.assigned_staff_id == staff_id,
            )
        )
    ]
