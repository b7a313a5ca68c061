"""Reading visitors: their visits within a site's repeat-visit window, the visitors who meet
the rule, and their open cases. The window and the rule are domain.visitors.RepeatRule's;
tests/test_repeat_visits.py pins the SQL to RepeatRule.met_by."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.cases import CaseStatus
from ..domain.visitors import RepeatRule
from ..models import CriticalNeedCase, Site, Staff, Ticket


@dataclass(frozen=True)
class WindowCount:
    visitor_id: int
    visits: int
    urgent_visits: int
    last_visit_on: date


def _counts(site: Site, since: date):  # type: ignore[no-untyped-def]
    # Days, not tickets: a check-in cancelled and made again, or a kiosk check-in and a
    # text the same morning, are one visit (domain.visitors.RepeatRule).
    urgent = func.count(func.distinct(case((Ticket.urgent, Ticket.service_day), else_=None)))
    visits = func.count(func.distinct(Ticket.service_day))
    return (
        (
            select(
                Ticket.visitor_id,
                visits.label("visits"),
                urgent.label("urgent_visits"),
                func.max(Ticket.service_day).label("last_visit_on"),
            )
            .where(
                Ticket.site_id == site.id,
                Ticket.visitor_id.is_not(None),
                Ticket.service_day >= since,
            )
            .group_by(Ticket.visitor_id)
        ),
        visits,
        urgent,
    )


def window_counts(
    session: Session, site: Site, visitor_ids: Collection[int], today: date
) -> dict[int, WindowCount]:
    """Each visitor's visits (and urgent ones) at the site within the rule's window."""
    if not visitor_ids:
        return {}
    query, _, _ = _counts(site, site.repeat_rule.window_start(today))
    rows = session.execute(query.where(Ticket.visitor_id.in_(list(visitor_ids))))
    return {r.visitor_id: WindowCount(r.visitor_id, r.visits, r.urgent_visits or 0,
                                      r.last_visit_on) for r in rows}  # fmt: skip


def meeting_the_rule(session: Session, site: Site, today: date) -> list[WindowCount]:
    """Every visitor who meets the site's repeat-visit rule today, latest visit first."""
    rule: RepeatRule = site.repeat_rule
    query, visits, urgent = _counts(site, rule.window_start(today))
    query = query.having(or_(visits >= rule.visits, urgent >= rule.urgent_visits))
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


def card_facts(
    session: Session, site: Site, visitor_ids: Collection[int], today: date
) -> dict[int, tuple[WindowCount, CriticalNeedCase | None]]:
    """window_counts and open_cases_of in one statement, for the console's cards: every
    event and call-next shows one. A visitor on a card has a visit today, so a row."""
    if not visitor_ids:
        return {}
    query, _, _ = _counts(site, site.repeat_rule.window_start(today))
    counts = query.where(Ticket.visitor_id.in_(list(visitor_ids))).subquery()
    statement = (
        select(counts, CriticalNeedCase, Staff)
        .select_from(counts)
        .outerjoin(
            CriticalNeedCase,
            and_(
                CriticalNeedCase.visitor_id == counts.c.visitor_id,
                CriticalNeedCase.site_id == site.id,
                CriticalNeedCase.status == CaseStatus.OPEN.value,
            ),
        )
        # Loaded beside the case, the case's assigned_to comes from the session, not SQL.
        .outerjoin(Staff, Staff.id == CriticalNeedCase.assigned_staff_id)
    )
    return {
        r[0]: (WindowCount(r[0], r[1], r[2] or 0, r[3]), r[4]) for r in session.execute(statement)
    }
