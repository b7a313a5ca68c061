"""The retention purge's steps for returning visitors and critical-need cases.

A closed case keeps its dates, needs, goal statuses and destination (the reports count
them), and loses its words and its person once the site's period has run from the close:
the close note, the consent's recipient, its goals' and reviews' text, and its link to the
visitor. An open case is never purged, nor its visitor.

A visitor is forgotten (their keys deleted, so their number or code no longer finds them,
and their visits and cases unlinked) once their latest visit is past the period of a site
they visited, and no case of theirs is open. Someone who visits two offices with different
periods is forgotten at the shorter one: the sooner, the safer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, or_, select, update

from ..domain.cases import CaseStatus
from ..models import CaseEvent, CaseGoal, CriticalNeedCase, Ticket, Visitor
from .retention_steps import Step, bulk


def _closed_past(site_id: int, cutoff: datetime) -> ColumnElement[bool]:
    return (
        (CriticalNeedCase.site_id == site_id)
        & (CriticalNeedCase.status == CaseStatus.CLOSED.value)
        & (CriticalNeedCase.closed_at < cutoff)
    )


def _rows_of_past_cases(rows: type[CaseGoal] | type[CaseEvent]):  # type: ignore[no-untyped-def]
    return lambda site_id, cutoff: (
        select(rows.id)
        .join(CriticalNeedCase, rows.case_id == CriticalNeedCase.id)
        .where(_closed_past(site_id, cutoff))
    )


_open_case = exists().where(
    CriticalNeedCase.visitor_id == Visitor.id, CriticalNeedCase.status == CaseStatus.OPEN.value
)

CASE_STEPS = (
    Step(
        id=CriticalNeedCase.id,
        scope=lambda site_id, cutoff: select(CriticalNeedCase.id).where(
            _closed_past(site_id, cutoff)
        ),
        held=or_(
            CriticalNeedCase.close_note.is_not(None),
            CriticalNeedCase.consent_shared_with.is_not(None),
            CriticalNeedCase.visitor_id.is_not(None),
        ),
        counts=("cases",),
        apply=lambda ids: (
            bulk(update(CriticalNeedCase))
            .where(CriticalNeedCase.id.in_(ids))
            .values(close_note=None, consent_shared_with=None, visitor_id=None)
        ),
    ),
    Step(
        id=CaseGoal.id,
        scope=_rows_of_past_cases(CaseGoal),
        held=CaseGoal.text != "",
        counts=("case_goals",),
        apply=lambda ids: bulk(update(CaseGoal)).where(CaseGoal.id.in_(ids)).values(text=""),
    ),
    Step(
        id=CaseEvent.id,
        scope=_rows_of_past_cases(CaseEvent),
        held=CaseEvent.note.is_not(None),
        counts=("case_notes",),
        apply=lambda ids: bulk(update(CaseEvent)).where(CaseEvent.id.in_(ids)).values(note=None),
    ),
    Step(
        id=Visitor.id,
        scope=lambda site_id, cutoff: select(Visitor.id).where(
            Visitor.last_visit_at < cutoff,
            # The site's visitors as one set, not a look-up per visitor: without statistics
            # SQLite read that per visitor along the site's index, every visit of the site
            # for each of a year's visitors (minutes, with the server stalled).
            Visitor.id.in_(
                select(Ticket.visitor_id).where(
                    Ticket.site_id == site_id, Ticket.visitor_id.is_not(None)
                )
            ),
            # A case closed within the period keeps its person until its own purge.
            ~exists().where(
                CriticalNeedCase.visitor_id == Visitor.id, CriticalNeedCase.closed_at >= cutoff
            ),
        ),
        held=~_open_case,
        counts=("visitors",),
        # The database unlinks their visits and cases (ON DELETE SET NULL) and deletes
        # their keys (CASCADE).
        apply=lambda ids: bulk(delete(Visitor)).where(Visitor.id.in_(ids)),
    ),
)
