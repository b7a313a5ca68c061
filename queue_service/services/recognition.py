"""Linking a new visit to the person's earlier ones, from what they chose to give or keep.

Called inside the check-in's transaction. A number counts only where the person typed it
under words that say so (domain.visitors.number_recognises). A typed return code wins over
a number: it is the person's own, deliberate choice, and a shared family phone must not
pull them into someone else's history. Two values that name two different visitors are
never merged (a mistaken link is undone by staff, never folded together): the visit goes
with the code, and the number stays with whoever it already names.

Every visit gets a return code to keep: a returning person's typed code again, or a new
one (only its keyed hash is stored; the code itself stays on the ticket while it is open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.errors import ValidationFailed
from ..domain.visitors import (
    KeyKind,
    new_return_code,
    number_recognises,
    recognisable_number,
    recognition_key,
)
from ..models import Site, Ticket, Visitor, VisitorKey


@dataclass(frozen=True)
class Recognised:
    visitor: Visitor
    returning: bool  # an earlier visit was found
    code_matched: bool | None  # None: no code was typed
    new_keys: tuple[tuple[KeyKind, str], ...]  # for add_keys, once the ticket has its id


def recognise(
    session: Session,
    ticket: Ticket,
    site: Site,
    *,
    secret_key: str,
    return_code: str | None,
    now: datetime,
) -> Recognised:
    """Before the ticket's INSERT, so it is written with its visitor and code in one row."""
    typed = return_code
    given = number_recognises(ticket.channel) and recognisable_number(
        ticket.phone, office_numbers(site)
    )
    phone = ticket.phone if given else None
    code_key = recognition_key(secret_key, KeyKind.RETURN_CODE, typed) if typed else None
    phone_key = recognition_key(secret_key, KeyKind.PHONE, phone) if phone else None
    by_code = _owner(session, code_key)
    if code_key and by_code is None:
        # Mistyped, or forgotten by the purge: said at once, so one wrong character never
        # splits a person's history (nothing is written; the kiosk asks again).
        raise ValidationFailed(
            "We could not find this return code.",
            code="unknown_return_code",
            fields={"return_code": "No visitor has this code. Check it, or leave it out."},
        )
    by_phone = _owner(session, phone_key)
    visitor = by_code or by_phone
    returning = visitor is not None
    if visitor is None:
        visitor = Visitor(created_at=now)
        session.add(visitor)
    visitor.last_visit_at = now
    ticket.visitor = visitor
    new_keys: list[tuple[KeyKind, str]] = []
    if by_code is None:  # no code was typed: a new one to keep
        return_code = new_return_code()
        new_keys.append(
            (KeyKind.RETURN_CODE, recognition_key(secret_key, KeyKind.RETURN_CODE, return_code))
        )
    if phone_key and by_phone is None:
        new_keys.append((KeyKind.PHONE, phone_key))
    ticket.return_code = return_code
    return Recognised(
        visitor, returning, None if typed is None else by_code is not None, tuple(new_keys)
    )


def add_keys(session: Session, ticket: Ticket, found: Recognised, now: datetime) -> None:
    """One statement. A key another visitor already holds is left with them: a check-in at
    another site with the same new number a moment earlier (PostgreSQL) owns it, and this
    visit still checks in, unlinked from that one."""
    if not found.new_keys:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "visitor_id": ticket.visitor_id,
            "ticket_id": ticket.id,
            "kind": kind.value,
            "key": key,
            "created_at": now,
        }
        for kind, key in found.new_keys
    ]
    session.execute(insert(VisitorKey).values(rows).on_conflict_do_nothing())


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
