"""The site's message log for staff: every text, both ways, newest first, the numbers
masked. Every look is audited (it holds what people wrote)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import ValidationFailed
from ..domain.history import AuditAction
from ..models import Message, Staff
from ..persistence import repositories
from ..persistence.repositories import MAX_ID
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member

PAGE_DEFAULT = 100
PAGE_MAX = 500


def site_messages(
    session: Session,
    site_slug: str,
    staff: Staff,
    *,
    ticket_id: object = None,
    before_id: object = None,
    limit: object = None,
    origin: str | None = None,
) -> list[Message]:
    """A page of the site's texts (one visit's, with `ticket_id`), newest first; older
    ones with `before_id` (the last id of the page before)."""
    page = _whole(limit, "limit", PAGE_DEFAULT, PAGE_MAX)
    before = _whole(before_id, "before", None, MAX_ID)
    begin_write(session)
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    ticket = None
    query = select(Message).where(Message.site_id == site.id)
    if ticket_id is not None:
        ticket = repositories.ticket_by_id(session, _whole(ticket_id, "ticket", None, MAX_ID))
        if ticket.site_id != site.id:
            raise ValidationFailed(
                "That visit is not at this site.", fields={"ticket": "Not at this site."}
            )
        query = query.where(Message.ticket_id == ticket.id)
    if before is not None:
        query = query.where(Message.id < before)
    found = list(session.scalars(query.order_by(Message.id.desc()).limit(page)))
    audit.record(
        session, staff, AuditAction.MESSAGES_VIEWED, site_id=site.id, ticket=ticket,
        detail={"shown": len(found)}, origin=origin,
    )  # fmt: skip
    commit(session)
    return found


def _whole(value: object, field: str, default: int | None, most: int | None) -> int | None:
    if value is None or value == "":
        return default
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if number < 1 or (most is not None and number > most):
        limit = f"1 to {most}" if most else "a whole number from 1"
        raise ValidationFailed("Some details were not right.", fields={field: limit})
    return number
