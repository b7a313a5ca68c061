"""The parts every step of a case shares: who may hold it, its plan's goals, its timeline,
and its audit entries (ids and dates, never the words)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..domain import cases as rules
from ..domain.cases import CaseEventKind, GoalStatus
from ..domain.errors import ValidationFailed
from ..domain.history import AuditAction
from ..models import CaseEvent, CaseGoal, CriticalNeedCase, Staff
from . import audit


def colleague(session: Session, site: Any, staff_id: int) -> Staff:
    found = session.get(Staff, staff_id)
    if found is None or not found.active or not found.works_at(site):
        raise ValidationFailed(
            "Some details were not right.",
            fields={"assigned_to": "Someone who works at this site."},
        )
    return found


def add_goals(
    case: CriticalNeedCase, staff: Staff, texts: tuple[str, ...], moment: datetime
) -> int:
    if len(case.goals) + len(texts) > rules.GOALS_MAX:
        raise ValidationFailed(
            "Some details were not right.",
            fields={"new_goals": f"A plan has at most {rules.GOALS_MAX} goals."},
        )
    for text in texts:
        case.goals.append(
            CaseGoal(
                text=text, status=GoalStatus.NOT_STARTED.value, created_at=moment, updated_at=moment
            )
        )
        event(case, CaseEventKind.GOAL_ADDED, staff, moment)
    return len(texts)


def event(
    case: CriticalNeedCase,
    kind: CaseEventKind,
    staff: Staff,
    at: datetime,
    *,
    note: str | None = None,
    private: bool = False,
    detail: dict | None = None,
) -> None:
    case.events.append(
        CaseEvent(
            kind=kind.value,
            staff_id=staff.id,
            at=at,
            note=note,
            private=private,
            detail=detail or {},
        )
    )


def audit_case(
    session: Session,
    staff: Staff,
    action: AuditAction,
    case: CriticalNeedCase,
    origin: str | None,
    at: datetime,
    **detail: Any,
) -> None:
    audit.record(
        session,
        staff,
        action,
        site_id=case.site_id,
        detail={"case_id": case.id, "visitor_id": case.visitor_id, **detail},
        at=at,
        origin=origin,
    )
