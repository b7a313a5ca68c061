"""Linking a new visit to the person's earlier ones, from what they chose to give or keep.

Called inside the check-in's transaction. A typed return code wins over a number: it is the
person's own, deliberate choice, and a shared family phone must not pull them into someone
else's history. Two values that name two different visitors are never merged (a mistaken
link is undone by staff, never folded together): the visit goes with the code, and the
number stays with whoever it already names.

Every visit gets a return code to keep: a returning person's typed code again, or a new
one (only its keyed hash is stored; the code itself stays on the ticket while it is open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.visitors import KeyKind, new_return_code, recognisable_number, recognition_key
from ..models import Site, Ticket, Visitor, VisitorKey


@dataclass(frozen=True)
class Recognised:
    visitor: Visitor
    returning: bool  # an earlier visit was found
    code_matched: bool | None  # None: no code was typed


def recognise(
    session: Session,
    ticket: Ticket,
    site: Site,
    *,
    secret_key: str,
    return_code: str | None,
    now: datetime,
) -> Recognised:
    typed = return_code
    phone = ticket.phone if recognisable_number(ticket.phone, office_numbers(site)) else None
    code_key = (
        recognition_key(secret_key, KeyKind.RETURN_CODE, return_code) if return_code else None
    )
    phone_key = recognition_key(secret_key, KeyKind.PHONE, phone) if phone else None
    by_code = _owner(session, code_key)
    by_phone = _owner(session, phone_key)
    visitor = by_code or by_phone
    returning = visitor is not None
    if visitor is None:
        visitor = Visitor(created_at=now)
        session.add(visitor)
    visitor.last_visit_at = now
    ticket.visitor = visitor
    if code_key and by_code is None:
        # A well-formed code nobody has (mistyped, or forgotten by the purge): the person
        # is given a new one below, and told the old one was not found.
        code_key = None
    if not code_key:
        return_code = new_return_code()
        _add_key(session, ticket, KeyKind.RETURN_CODE, recognition_key(
            secret_key, KeyKind.RETURN_CODE, return_code), now)  # fmt: skip
    if phone_key and by_phone is None:
        _add_key(session, ticket, KeyKind.PHONE, phone_key, now)
    ticket.return_code = return_code
    return Recognised(visitor, returning, None if typed is None else by_code is not None)


def office_numbers(site: Site) -> frozenset[str]:
    """The office's own numbers: a manager who types one for a caller must not join every
    such caller into one visitor."""
    return frozenset(n for n in (site.sms_callback_number, *(site.oncall_numbers or ())) if n)


def visitor_by_key(session: Session, key: str) -> Visitor | None:
    return _owner(session, key)


def _owner(session: Session, key: str | None) -> Visitor | None:
    if key is None:
        return None
    return session.scalar(select(Visitor).join(VisitorKey).where(VisitorKey.key == key))


def _add_key(session: Session, ticket: Ticket, kind: KeyKind, key: str, now: datetime) -> None:
    """Kept in a savepoint: a check-in at another site with the same new number a moment
    earlier owns the key, and this visit still checks in (unlinked from that one)."""
    session.flush()
    try:
        with session.begin_nested():
            session.add(VisitorKey(visitor_id=ticket.visitor_id, ticket_id=ticket.id,
                                   kind=kind.value, key=key, created_at=now))  # fmt: skip
    except IntegrityError:
        pass
