"""Reading critical-need cases: one case with its timeline and visits, and the caseload
(per site and per manager). Every look is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..clock import local_day, utcnow
from ..domain.cases import CaseClock, CaseEventKind, CaseStatus
from ..domain.errors import Conflict, NotFound, ValidationFailed
from ..domain.history import AuditAction
from ..models import CriticalNeedCase, Site, Staff, Ticket
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member


@dataclass(frozen=True)
class CaseRecord:
    case: CriticalNeedCase
    visits: list[Ticket]  # the visitor's visits at the site around the case, oldest first


def record(
    session: Session,
    staff: Staff,
    case_id: int,
    *,
    origin: str | None = None,
    action: AuditAction = AuditAction.CASE_VIEWED,
    now: datetime | None = None,
) -> CaseRecord:
    """The case with its timeline and visits; each look audited (the summary's too)."""
    begin_write(session)
    case = case_at_staff_sites(session, staff, case_id)
    window = timedelta(days=case.site.repeat_rule.window_days)
    visits = (
        list(
            session.scalars(
                select(Ticket)
                .options(selectinload(Ticket.assigned_to))
                .where(
                    Ticket.visitor_id == case.visitor_id,
                    Ticket.site_id == case.site_id,
                    Ticket.service_day >= case.opened_on - window,
                )
                .order_by(Ticket.created_at, Ticket.id)
            )
        )
        if case.visitor_id
        else []
    )
    audit.record(
        session,
        staff,
        action,
        site_id=case.site_id,
        detail={"case_id": case.id, "visitor_id": case.visitor_id},
        at=now or utcnow(),
        origin=origin,
    )
    commit(session)
    return CaseRecord(case, visits)


def case_at_staff_sites(session: Session, staff: Staff, case_id: int) -> CriticalNeedCase:
    in_range = isinstance(case_id, int) and 0 < case_id <= repositories.MAX_ID
    options = [selectinload(CriticalNeedCase.goals), selectinload(CriticalNeedCase.events)]
    case = session.get(CriticalNeedCase, case_id, options=options) if in_range else None
    if case is None or not staff.works_at(case.site):
        raise NotFound("There is no such case at your sites.", code="case_not_found")
    return case


@dataclass(frozen=True)
class HandOff:
    """What may go to the receiving provider (42 CFR Part 2, HIPAA minimum necessary): the
    plan and goals, the visits' dates, needs and plain outcomes (no visit notes, no
    referral text), and the review notes not marked private."""

    case: CriticalNeedCase
    visits: list[Ticket]
    shared_notes: list[Any]  # the CaseEvents whose notes may be shared, oldest first


def hand_off(
    session: Session,
    staff: Staff,
    case_id: int,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> HandOff:
    """Only once the person's consent to share is recorded (and not purged since); each
    look audited, a refusal not (nothing was shown)."""
    case = case_at_staff_sites(session, staff, case_id)
    if not case.consent_shared_with:
        session.rollback()
        raise Conflict(
            "Record the person's consent first: the hand-off summary goes to another "
            "provider only with it.",
            code="consent_required",
        )
    found = record(
        session, staff, case_id, origin=origin, action=AuditAction.CASE_SUMMARY_VIEWED, now=now
    )
    notes = [
        e
        for e in found.case.events
        if e.kind == CaseEventKind.REVIEWED and e.note and not e.private
    ]
    return HandOff(found.case, found.visits, notes)


SORTS = {
    "next_review": lambda c: (c.next_review_on is None, c.next_review_on, c.id),
    "target_end": lambda c: (c.target_end_on, c.id),
    "opened": lambda c: (c.opened_on, c.id),
    "days_open": lambda c: (c.opened_on, c.id),  # longest open first is the oldest opening
}
STATUSES = ("open", "closed", "all")
REVIEWS = ("due", "overdue")


@dataclass(frozen=True)
class CaseloadQuery:
    site: str
    mine: bool = False
    status: str = "open"
    review: str | None = None  # due (today or earlier) or overdue (earlier)
    sort: str = "next_review"

    def check(self) -> CaseloadQuery:
        problems = {}
        if self.status not in STATUSES:
            problems["status"] = "One of: " + ", ".join(STATUSES)
        if self.review is not None and self.review not in REVIEWS:
            problems["review"] = "One of: " + ", ".join(REVIEWS)
        if self.sort not in SORTS:
            problems["sort"] = "One of: " + ", ".join(SORTS)
        if problems:
            raise ValidationFailed("Some filters were not right.", fields=problems)
        return self


@dataclass(frozen=True)
class Caseload:
    site: Site
    today: date
    cases: list[tuple[CriticalNeedCase, CaseClock]]


def caseload(
    session: Session,
    staff: Staff,
    query: CaseloadQuery,
    *,
    origin: str | None = None,
    audited: bool = True,
    now: datetime | None = None,
) -> Caseload:
    """The site's cases (or the staff member's own), with their clocks; `audited` False
    only for the console's count of reviews due, which shows no one."""
    query = query.check()
    begin_write(session)
    site = repositories.site_by_slug(session, query.site)
    require_member(staff, site)
    moment = now or utcnow()
    today = local_day(moment, site.timezone)
    statement = (
        select(CriticalNeedCase)
        .options(selectinload(CriticalNeedCase.assigned_to))
        .where(CriticalNeedCase.site_id == site.id)
    )
    if query.status != "all":
        statement = statement.where(CriticalNeedCase.status == CaseStatus(query.status).value)
    if query.mine:
        statement = statement.where(CriticalNeedCase.assigned_staff_id == staff.id)
    found = [
        (c, CaseClock.on(today, c.opened_on, c.target_end_on, c.next_review_on, c.closed_on))
        for c in session.scalars(statement)
    ]
    if query.review == "due":
        found = [(c, k) for c, k in found if k.review_due]
    elif query.review == "overdue":
        found = [(c, k) for c, k in found if k.review_overdue]
    found.sort(key=lambda pair: SORTS[query.sort](pair[0]))
    if audited:
        audit.record(
            session,
            staff,
            AuditAction.CASELOAD_VIEWED,
            site_id=site.id,
            detail={"count": len(found), "mine": query.mine},
            at=moment,
            origin=origin,
        )
    commit(session)
    return Caseload(site, today, found)
