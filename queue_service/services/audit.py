"""The audit log: every staff view of a visitor's record, every note, every change.

Entries are written inside the transaction of what they describe, so the log never claims
a change that was rolled back, and never misses one that committed. Where a request came
from is given as `origin` (the web layer's default for its session is in
`session.info["origin"]`). Who acted is an Actor: a staff member, the visitor themselves,
or the system (the day close, automatic shift ends), each with its reason in `detail`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Forbidden
from ..domain.history import Actor, AuditAction
from ..domain.roles import may_read_audit
from ..models import AuditEntry, Staff, Ticket, staff_sites
from ..persistence import repositories

PAGE_MAX = 500
# Written at once as a row, not left in the session as an object for the flush: the rest of
# the transaction still sees it (the urgent-burst rule counts them), and the unit of work
# for a second kind of object cost a quarter of a millisecond on every call-next.
_INSERT = insert(AuditEntry.__table__)


def record(
    session: Session,
    staff: Staff | None,
    action: AuditAction,
    *,
    ticket: Ticket | None = None,
    site_id: int | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    actor: Actor | None = None,
    origin: str | None = None,
) -> None:
    """Write an entry in the open transaction: it commits or rolls back with the change.

    `staff` None and no `actor`: the person themselves did it (the kiosk or their phone).
    """
    if ticket is not None and ticket.id is None:
        session.flush()  # a new ticket's id
    session.execute(
        _INSERT,
        {
            "at": at or utcnow(),
            "actor": (actor or (Actor.STAFF if staff else Actor.VISITOR)).value,
            "staff_id": staff.id if staff else None,
            "staff_email": staff.email if staff else None,
            "action": AuditAction(action).value,
            "site_id": ticket.site_id if ticket is not None else site_id,
            "ticket_id": ticket.id if ticket is not None else None,
            "detail": detail or {},
            "origin": origin if origin is not None else session.info.get("origin"),
        },
    )


def read(
    session: Session,
    reader: Staff,
    *,
    site_slug: str | None = None,
    ticket_id: int | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> Sequence[AuditEntry]:
    """The newest entries first; admins only."""
    if not may_read_audit(reader.role):
        raise Forbidden("Only administrators can read the audit log.", code="not_allowed")
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, PAGE_MAX)))
    if site_slug is not None:
        site = repositories.site_by_slug(session, site_slug)
        if not reader.works_at(site):
            raise Forbidden("You do not work at this site.", code="not_your_site")
        query = query.where(AuditEntry.site_id == site.id)
    else:
        # Even an administrator sees only their own sites (and site-less entries: sign-ins).
        # Site-less entries (sign-ins) only of people who share a site with the reader.
        mine = [s.id for s in reader.sites]
        colleagues = select(staff_sites.c.staff_id).where(staff_sites.c.site_id.in_(mine))
        query = query.where(
            or_(
                AuditEntry.site_id.in_(mine),
                and_(AuditEntry.site_id.is_(None), AuditEntry.staff_id.in_(colleagues)),
                # Failed sign-ins for an e-mail nobody has belong to no site: every admin
                # sees them, or a guesser's trail would be nobody's to read.
                and_(
                    AuditEntry.site_id.is_(None),
                    AuditEntry.staff_id.is_(None),
                    AuditEntry.action == AuditAction.SIGN_IN_FAILED.value,
                ),
            )
        )
    if ticket_id is not None:
        query = query.where(AuditEntry.ticket_id == ticket_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return session.scalars(query).all()


def system(
    session: Session,
    action: AuditAction,
    *,
    reason: str,
    ticket: Ticket | None = None,
    site_id: int | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    origin: str = "system",
) -> None:
    """Front Door itself did something: recorded as the system, with why (and `origin`:
    what it was reacting to, where that came from)."""
    record(
        session,
        None,
        action,
        ticket=ticket,
        site_id=site_id,
        detail={"reason": reason, **(detail or {})},
        at=at,
        actor=Actor.SYSTEM,
        origin=origin,
    )
