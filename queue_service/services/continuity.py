"""Continuity of care: a person with an open critical-need case who checks in is their case
manager's to know about at once, on their console, if they are on duty here (call-next
then offers them to that manager first: domain.assignment)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain.events import CaseVisitorArrived
from ..models import Ticket, Visitor
from ..persistence import duty_queries, visitor_queries


def tell_case_manager(session: Session, ticket: Ticket, visitor: Visitor) -> None:
    case = visitor_queries.open_cases_of(session, ticket.site_id, [visitor.id]).get(visitor.id)
    if case is None or case.assigned_staff_id is None:
        return
    shift = duty_queries.open_shift(session, case.assigned_staff_id)
    if shift is None or shift.site_id != ticket.site_id:
        return
    ticket.record(CaseVisitorArrived(ticket.id, ticket.site_id, case.id, case.assigned_staff_id))
