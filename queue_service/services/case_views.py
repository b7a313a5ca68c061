"""Read models for visitors and cases: the contract's Case, a visitor's history, and what a
console card shows of its visitor (the repeat flag and the open case). Labels and flags are
decided here, from the domain's rules; the console shows them as they are."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, object_session

from ..clock import local_day, utcnow
from ..domain.cases import (
    DESTINATION_LABELS,
    EVENT_LABELS,
    GOAL_LABELS,
    CaseClock,
    CaseEventKind,
    CaseStatus,
    Destination,
    GoalStatus,
    latest_end,
)
from ..domain.labels import OUTCOME_LABELS, outcome_label, status_label
from ..domain.lifecycle import Outcome
from ..domain.needs import staff_labels
from ..models import CriticalNeedCase, Staff, Ticket
from ..persistence import visitor_queries

if TYPE_CHECKING:
    from .visitors import RepeatVisitor, VisitorHistory


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def person(staff: Staff | None) -> dict[str, Any] | None:
    return {"id": staff.id, "name": staff.name} if staff else None


def case_json(case: CriticalNeedCase, *, today: date | None = None, full: bool = True) -> dict:
    today = today or local_day(utcnow(), case.site.timezone)
    clock = CaseClock.on(
        today, case.opened_on, case.target_end_on, case.next_review_on, case.closed_on
    )
    found: dict[str, Any] = {
        "id": case.id,
        "visitor_id": case.visitor_id,
        "site": case.site.slug,
        "status": case.status,
        "assigned_to": person(case.assigned_to),
        "needs": list(case.needs or []),
        "need_labels": staff_labels(case.site.needs, list(case.needs or [])),
        "opened_on": iso(case.opened_on),
        "target_end_on": iso(case.target_end_on),
        "latest_end_on": iso(latest_end(case.opened_on)),
        "next_review_on": iso(case.next_review_on),
        "closed_on": iso(case.closed_on),
        "destination": case.destination,
        "destination_label": _destination(case.destination),
        "days_open": clock.days_open,
        "days_to_target_end": clock.days_to_target_end if case.status == CaseStatus.OPEN else None,
        "review_due": clock.review_due and case.status == CaseStatus.OPEN,
        "review_overdue": clock.review_overdue and case.status == CaseStatus.OPEN,
        "can_extend": case.status == CaseStatus.OPEN
        and case.target_end_on < latest_end(case.opened_on),
    }
    if not full:
        return found
    return found | {
        "goals": [
            {
                "id": g.id,
                "text": g.text,
                "status": g.status,
                "status_label": GOAL_LABELS[GoalStatus(g.status)],
            }
            for g in case.goals
        ],
        "close_note": case.close_note,
        "consent": {
            "shared_with": case.consent_shared_with,
            "at": iso(case.consent_at),
            "by": person(case.consent_by),
        }
        # Gone with the case's words at the purge: no summary is shared after that.
        if case.consent_shared_with
        else None,
        "timeline": [event_json(e) for e in case.events],
    }


def event_json(event: Any) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "label": EVENT_LABELS[CaseEventKind(event.kind)],
        "at": iso(event.at),
        "by": person(event.staff),
        "note": event.note,
        "private": event.private,
        "detail": event.detail or {},
    }


def visit_json(ticket: Ticket) -> dict[str, Any]:
    """One visit in a history: when, what for, how it ended, who saw them, their notes."""
    needs = list(ticket.needs or [])
    return {
        "ticket_id": ticket.id,
        "code": ticket.code,
        "site": ticket.site.slug,
        "service_day": iso(ticket.service_day),
        "created_at": iso(ticket.created_at),
        "channel": ticket.channel,
        "urgent": ticket.urgent,
        "needs": needs,
        "need_labels": staff_labels(ticket.site.needs, needs) if needs else [],
        "status": ticket.status,
        "status_label": status_label(ticket.status, ticket.end_reason),
        "outcome": ticket.outcome,
        "outcome_label": outcome_label(
            ticket.outcome, ticket.outcome_detail, ticket.crisis_referral
        ),
        "outcome_detail": ticket.outcome_detail,
        # The outcome alone, no free text or referral: what may leave the office.
        "outcome_name": OUTCOME_LABELS.get(Outcome(ticket.outcome)) if ticket.outcome else None,
        "served_by": person(ticket.assigned_to),
        "notes": [{"body": n.body, "at": iso(n.at), "by": person(n.author)} for n in ticket.notes],
    }


def history_json(found: VisitorHistory) -> dict[str, Any]:
    return {
        "visitor": {
            "id": found.visitor.id,
            # From the visits this reader may see: the visitor's own dates would tell of
            # visits at other offices.
            "first_seen_at": iso(min((t.created_at for t in found.visits), default=None)),
            "last_visit_at": iso(max((t.created_at for t in found.visits), default=None)),
            "repeat": [_repeat_at(site, found.counts.get(site.id)) for site in found.sites],
        },
        "visits": [visit_json(t) for t in found.visits],
        "cases": [case_json(c, full=False) for c in found.cases],
    }


def repeat_json(found: RepeatVisitor) -> dict[str, Any]:
    return {
        "visitor_id": found.visitor_id,
        "visits": found.visits,
        "urgent_visits": found.urgent_visits,
        "last_visit_on": iso(found.last_visit_on),
        "flag": found.label,
        "open_case": case_json(found.open_case, full=False) if found.open_case else None,
    }


def card_visitor(ticket: Ticket, facts: dict[int, dict] | None = None) -> dict | None:
    """What a console card shows of the person's earlier visits (None: not recognised)."""
    if ticket.visitor_id is None:
        return None
    if facts is None:
        session = object_session(ticket)
        facts = cards_visitors(session, [ticket]) if session is not None else {}
    return facts.get(ticket.visitor_id)


def cards_visitors(session: Session, tickets: list[Ticket]) -> dict[int, dict]:
    """card_visitor for a whole queue: two queries per site, not two per card."""
    found: dict[int, dict] = {}
    by_site: dict[int, list[Ticket]] = {}
    for t in tickets:
        if t.visitor_id is not None:
            by_site.setdefault(t.site_id, []).append(t)
    for group in by_site.values():
        site = group[0].site
        ids = {t.visitor_id for t in group if t.visitor_id is not None}
        today = local_day(utcnow(), site.timezone)
        facts = visitor_queries.card_facts(session, site, ids, today)
        for visitor_id in ids:
            count, case = facts.get(visitor_id, (None, None))
            visits, urgent = (count.visits, count.urgent_visits) if count else (0, 0)
            found[visitor_id] = {
                "id": visitor_id,
                "visits_in_window": visits,
                "urgent_in_window": urgent,
                "window_days": site.repeat_rule.window_days,
                "repeat_flag": site.repeat_rule.label(visits, urgent),
                "open_case": case_json(case, today=today, full=False) if case else None,
            }
    return found


def _repeat_at(site: Any, count: visitor_queries.WindowCount | None) -> dict[str, Any]:
    visits, urgent = (count.visits, count.urgent_visits) if count else (0, 0)
    return {
        "site": site.slug,
        "visits_in_window": visits,
        "urgent_in_window": urgent,
        "window_days": site.repeat_rule.window_days,
        "flag": site.repeat_rule.label(visits, urgent),
    }


def _destination(value: str | None) -> str | None:
    return DESTINATION_LABELS[Destination(value)] if value else None
