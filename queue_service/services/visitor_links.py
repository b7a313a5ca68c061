"""Linking a visit to a visitor by hand (staff recognised the person), and undoing it.

A link moves one visit; it never merges two histories. What the visit brought goes with
it: its own return code always (only that visit's person was shown it), and the number it
brought only when no other visit of its old visitor is left (the others may have been
recognised by that number). Unlinking puts the visit back where a link took it from, with
what the link moved; a visit that was recognised by itself goes alone, with its own code.

An open visit whose return code is not its own (the person typed someone else's code, or a
shared one) is given a new code when it moves, so the code they keep names where it is now.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Conflict
from ..domain.events import TicketChanged
from ..domain.history import AuditAction
from ..domain.lifecycle import OPEN_STATUSES
from ..domain.visitors import KeyKind, new_return_code, recognition_key
from ..models import CriticalNeedCase, Staff, Ticket, Visitor, VisitorKey
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member
from .visitors import visible_visitor


def link(
    session: Session,
    staff: Staff,
    ticket_id: int,
    visitor_id: object,
    *,
    secret_key: str,
    only_if_alone: bool = False,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """`only_if_alone`: refuse (409 visit_has_history) when the visit's visitor has other
    visits or a case, so a person confirms moving it out of someone's history."""
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    visitor = visible_visitor(session, staff, visitor_id)
    if ticket.visitor_id == visitor.id:
        session.rollback()
        return ticket
    if (
        only_if_alone
        and ticket.visitor_id is not None
        and _in_use(session, ticket.visitor_id, besides=ticket.id)
    ):
        session.rollback()
        raise Conflict(
            f"{ticket.code} is already part of another visitor's history. Link it here only "
            "if you are sure it is this person: it leaves that history.",
            code="visit_has_history",
        )
    was = ticket.visitor_id
    moment = now or utcnow()
    kept = _move(session, ticket, visitor, moment, secret_key, all_keys=False)
    ticket.linked_from_visitor_id = was if kept else None
    audit.record(
        session,
        staff,
        AuditAction.VISITOR_LINKED,
        ticket=ticket,
        detail={"visitor_id": visitor.id, "from_visitor_id": was},
        at=moment,
        origin=origin,
    )
    commit(session)
    return ticket


def unlink(
    session: Session,
    staff: Staff,
    ticket_id: int,
    *,
    secret_key: str,
    origin: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    begin_write(session)
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    if ticket.visitor_id is None:
        raise Conflict("This visit is not linked to a visitor.", code="not_linked")
    was, moment = ticket.visitor_id, now or utcnow()
    back = session.get(Visitor, ticket.linked_from_visitor_id or 0)
    restoring = back is not None
    if back is None:
        back = Visitor(created_at=moment, last_visit_at=ticket.created_at)
        session.add(back)
    # Back where a link by hand took it from: with what that link moved. A visit recognised
    # by itself goes alone with its own return code; the number stays with the others,
    # who may have been recognised by it.
    _move(session, ticket, back, moment, secret_key, all_keys=restoring)
    ticket.linked_from_visitor_id = None
    audit.record(
        session,
        staff,
        AuditAction.VISITOR_UNLINKED,
        ticket=ticket,
        detail={"visitor_id": was, "new_visitor_id": back.id},
        at=moment,
        origin=origin,
    )
    commit(session)
    return ticket


def _move(
    session: Session,
    ticket: Ticket,
    to: Visitor,
    now: datetime,
    secret_key: str,
    *,
    all_keys: bool,
) -> bool:
    """Moves the visit; False when its old visitor was left with nothing, and removed."""
    before = ticket.visitor_id
    ticket.visitor = to
    ticket.updated_at = now
    ticket.record(TicketChanged(ticket.id, ticket.site_id, "visitor", ticket.status))
    session.flush()
    left = before is not None and _in_use(session, before)
    mine = VisitorKey.ticket_id == ticket.id
    if not all_keys and left:
        mine = mine & (VisitorKey.kind == KeyKind.RETURN_CODE.value)
    session.execute(
        update(VisitorKey).where(mine, VisitorKey.visitor_id == before).values(visitor_id=to.id)
    )
    if ticket.status in OPEN_STATUSES and ticket.return_code and not _has_own_code(session, ticket):
        _new_code(session, ticket, secret_key, now)
    if to.last_visit_at is None or to.last_visit_at < ticket.created_at:
        to.last_visit_at = ticket.created_at
    if before is not None and not left:
        gone = session.get(Visitor, before)
        if gone is not None:
            session.delete(gone)  # nothing of theirs left to keep (keys go with it)
    return left


def _in_use(session: Session, visitor_id: int, besides: int | None = None) -> bool:
    others = Ticket.visitor_id == visitor_id
    if besides is not None:
        others = others & (Ticket.id != besides)
    return bool(
        session.scalar(
            select(
                or_(
                    exists().where(others),
                    exists().where(CriticalNeedCase.visitor_id == visitor_id),
                )
            )
        )
    )


def _has_own_code(session: Session, ticket: Ticket) -> bool:
    return (
        session.scalar(
            select(VisitorKey.id).where(
                VisitorKey.ticket_id == ticket.id,
                VisitorKey.kind == KeyKind.RETURN_CODE.value,
                VisitorKey.visitor_id == ticket.visitor_id,
            )
        )
        is not None
    )


def _new_code(session: Session, ticket: Ticket, secret_key: str, now: datetime) -> None:
    ticket.return_code = new_return_code()
    session.add(
        VisitorKey(
            visitor_id=ticket.visitor_id,
            ticket_id=ticket.id,
            kind=KeyKind.RETURN_CODE.value,
            key=recognition_key(secret_key, KeyKind.RETURN_CODE, ticket.return_code),
            created_at=now,
        )
    )
