"""Critical-need cases: opened from a visitor in one step, reviewed, extended, reassigned and
closed, each step on the case's timeline and in the audit log (the dates and the close are
domain.cases' rules). Any staff member at the case's site may work it: case management is
a team's, and the assigned manager is who it is with now.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain import cases as rules
from ..domain.cases import CaseEventKind, CaseStatus, GoalStatus
from ..domain.errors import Conflict, ValidationFailed
from ..domain.history import AuditAction
from ..domain.needs import offered
from ..models import CaseGoal, CriticalNeedCase, Staff
from ..persistence import repositories, visitor_queries
from ..persistence.unit_of_work import begin_write, commit
from .case_commands import CloseCase, ExtendCase, OpenCase, ReassignCase, RecordConsent, ReviewCase
from .case_parts import add_goals as _add_goals
from .case_parts import audit_case as _audit
from .case_parts import colleague as _colleague
from .case_parts import event as _event
from .case_reads import case_at_staff_sites as _case
from .duty import require_member
from .visitors import visible_visitor

SAME_REVIEW_WITHIN = timedelta(minutes=10)


class _Unchanged(Exception):
    """A step that would change nothing (a repeat): no timeline entry, no audit entry."""


def open_case(
    session: Session,
    staff: Staff,
    command: OpenCase,
    *,
    origin: str | None = None,
    now: datetime | None = None,
) -> CriticalNeedCase:
    begin_write(session)
    site = repositories.site_by_slug(session, command.site)
    require_member(staff, site)
    visitor = visible_visitor(session, staff, command.visitor_id)
    offered_needs = {n.slug for n in offered(site.needs)}
    unknown = [n for n in command.needs if n not in offered_needs]
    if unknown:
        raise ValidationFailed(
            "Some details were not right.",
            fields={"needs": f"Not a need of this site: {', '.join(unknown)}."},
        )
    if visitor_queries.open_cases_of(session, site.id, [visitor.id]):
        raise Conflict(
            "This visitor already has an open case at this site.", code="case_already_open"
        )
    manager = _colleague(session, site, command.assigned_to or staff.id)
    moment = now or utcnow()
    dates = rules.dates_at_opening(local_day(moment, site.timezone))
    case = CriticalNeedCase(
        visitor_id=visitor.id,
        site=site,
        assigned_to=manager,
        opened_by_id=staff.id,
        status=CaseStatus.OPEN.value,
        needs=list(command.needs),
        opened_on=dates.opened_on,
        target_end_on=dates.target_end_on,
        next_review_on=dates.next_review_on,
        opened_at=moment,
        updated_at=moment,
    )
    for text in command.goals:
        case.goals.append(
            CaseGoal(
                text=text, status=GoalStatus.NOT_STARTED.value, created_at=moment, updated_at=moment
            )
        )
    session.add(case)
    try:
        session.flush()
    except IntegrityError:
        # Two managers (or two clicks) opening it at once: the other one won.
        session.rollback()
        raise Conflict(
            "This visitor already has an open case at this site.", code="case_already_open"
        ) from None
    _event(
        case,
        CaseEventKind.OPENED,
        staff,
        moment,
        note=command.note,
        detail={"assigned_to": manager.id, "goals": len(command.goals)},
    )
    session.flush()
    _audit(
        session,
        staff,
        AuditAction.CASE_OPENED,
        case,
        origin,
        moment,
        visitor_id=visitor.id,
        to_staff_id=manager.id,
    )
    commit(session)
    return case


def review(session: Session, staff: Staff, case_id: int, command: ReviewCase, **kw: Any):  # type: ignore[no-untyped-def]
    """A review: goals' statuses and new goals, a note, and the next review date."""

    def act(case: CriticalNeedCase, moment: datetime) -> None:
        if _said_again(case, staff, command, moment):
            raise _Unchanged  # the same review sent twice (a double click; Back, send again)
        today = local_day(moment, case.site.timezone)
        goals = {g.id: g for g in case.goals}
        for change in command.goals:
            goal = goals.get(change.goal_id)
            if goal is None:
                raise ValidationFailed(
                    "Some details were not right.",
                    fields={"goals": f"No goal {change.goal_id} in this case."},
                )
            if goal.status != change.status:
                moved = {"goal_id": goal.id, "from": goal.status, "to": change.status.value}
                _event(case, CaseEventKind.GOAL_CHANGED, staff, moment, detail=moved)
                _audit(
                    session,
                    staff,
                    AuditAction.CASE_GOAL_CHANGED,
                    case,
                    kw.get("origin"),
                    moment,
                    **moved,
                )
                goal.status, goal.updated_at = change.status.value, moment
        for _ in range(_add_goals(case, staff, command.new_goals, moment)):
            _audit(session, staff, AuditAction.CASE_GOAL_ADDED, case, kw.get("origin"), moment)
        case.next_review_on = rules.next_review(today, case.target_end_on)
        _event(
            case,
            CaseEventKind.REVIEWED,
            staff,
            moment,
            note=command.note,
            private=command.private,
            detail={"next_review_on": case.next_review_on.isoformat()},
        )

    return _change(session, staff, case_id, AuditAction.CASE_REVIEWED, act, **kw)


def _said_again(case: CriticalNeedCase, staff: Staff, command: ReviewCase, at: datetime) -> bool:
    last = case.events[-1] if case.events else None
    return (
        last is not None
        and last.kind == CaseEventKind.REVIEWED
        and last.staff_id == staff.id
        and (last.note, last.private) == (command.note, command.private)
        and at - last.at < SAME_REVIEW_WITHIN
        and not command.new_goals
        and all(
            g.status == c.status for c in command.goals for g in case.goals if g.id == c.goal_id
        )
    )


def extend(session: Session, staff: Staff, case_id: int, command: ExtendCase, **kw: Any):  # type: ignore[no-untyped-def]
    def act(case: CriticalNeedCase, moment: datetime) -> dict:
        was = case.target_end_on
        case.target_end_on = rules.check_extension(case.opened_on, was, command.until)
        _event(
            case,
            CaseEventKind.EXTENDED,
            staff,
            moment,
            note=command.note,
            detail={"from": was.isoformat(), "until": command.until.isoformat()},
        )
        if case.next_review_on is None:  # reviews had stopped at the old target end
            today = local_day(moment, case.site.timezone)
            case.next_review_on = rules.next_review(today, case.target_end_on)
        return {"until": command.until.isoformat()}

    return _change(session, staff, case_id, AuditAction.CASE_EXTENDED, act, **kw)


def reassign(session: Session, staff: Staff, case_id: int, command: ReassignCase, **kw: Any):  # type: ignore[no-untyped-def]
    def act(case: CriticalNeedCase, moment: datetime) -> dict:
        manager = _colleague(session, case.site, command.assigned_to)
        if manager.id == case.assigned_staff_id:
            raise Conflict("The case is already with them.", code="already_assigned")
        _event(
            case,
            CaseEventKind.REASSIGNED,
            staff,
            moment,
            detail={"from_staff_id": case.assigned_staff_id, "to_staff_id": manager.id},
        )
        case.assigned_to = manager
        return {"to_staff_id": manager.id}

    return _change(session, staff, case_id, AuditAction.CASE_REASSIGNED, act, **kw)


def record_consent(session: Session, staff: Staff, case_id: int, command: RecordConsent, **kw: Any):  # type: ignore[no-untyped-def]
    """The person agreed that the hand-off summary goes to `shared_with` (42 CFR Part 2),
    or withdrew their consent: from then on no summary is shown."""
    withdrawn = command.shared_with is None

    def act(case: CriticalNeedCase, moment: datetime) -> None:
        if withdrawn and not case.consent_shared_with:
            raise Conflict("No consent to share is recorded.", code="no_consent")
        case.consent_shared_with = command.shared_with
        case.consent_at, case.consent_by = (None, None) if withdrawn else (moment, staff)
        kind = CaseEventKind.CONSENT_WITHDRAWN if withdrawn else CaseEventKind.CONSENT_RECORDED
        _event(case, kind, staff, moment)

    action = AuditAction.CASE_CONSENT_WITHDRAWN if withdrawn else AuditAction.CASE_CONSENT_RECORDED
    # The hand-off is often agreed as the case closes: consent is recorded (or withdrawn)
    # on a closed case too (it changes nothing the retention period counts from).
    return _change(session, staff, case_id, action, act, closed_too=True, **kw)


def close(session: Session, staff: Staff, case_id: int, command: CloseCase, **kw: Any):  # type: ignore[no-untyped-def]
    def act(case: CriticalNeedCase, moment: datetime) -> dict:
        case.status = CaseStatus.CLOSED.value
        case.closed_on, case.closed_at = local_day(moment, case.site.timezone), moment
        case.destination, case.close_note = command.destination.value, command.note
        case.next_review_on = None
        _event(
            case,
            CaseEventKind.CLOSED,
            staff,
            moment,
            detail={"destination": command.destination.value},
        )
        return {"destination": command.destination.value}

    return _change(session, staff, case_id, AuditAction.CASE_CLOSED, act, **kw)


def _change(
    session: Session,
    staff: Staff,
    case_id: int,
    action: AuditAction,
    act: Any,
    *,
    origin: str | None = None,
    now: datetime | None = None,
    closed_too: bool = False,
) -> CriticalNeedCase:
    begin_write(session)
    case = _case(session, staff, case_id)
    if not closed_too:
        rules.require_open(case.status)
    moment = now or utcnow()
    try:
        detail = act(case, moment) or {}
    except _Unchanged:
        session.rollback()
        return case
    case.updated_at = moment
    session.flush()
    _audit(session, staff, action, case, origin, moment, **detail)
    commit(session)
    return case
