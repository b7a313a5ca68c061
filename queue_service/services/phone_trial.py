"""The console's phone for trying texts (the log backend): staff type a text as a number.
Each such text is audited as the staff member's, and only a number in line at their own
site (or at none) may be used: nobody can act as a person waiting at another office."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain.errors import Forbidden
from ..domain.history import AuditAction
from ..models import Staff
from ..persistence import inbound, repositories
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .duty import require_member
from .texts import mask


def typed_as(
    session: Session, staff: Staff, site_slug: str, phone: str, *, origin: str | None = None
) -> int | None:
    """Check and audit a text typed on the phone page as `phone`; the visit it belongs to
    at this site (None: a number not in line)."""
    begin_write(session)
    site = repositories.site_by_slug(session, site_slug)
    require_member(staff, site)
    visit = inbound.open_ticket_for(session, phone)
    if visit is not None and visit.site_id != site.id:
        session.rollback()
        raise Forbidden(
            "That number is in line at another office: texts typed here can only be sent as "
            "numbers in line at this site, or not in line at all.",
            code="not_your_site",
        )
    audit.record(
        session, staff, AuditAction.PHONE_PAGE_TEXT, ticket=visit, site_id=site.id,
        detail={"as": mask(phone)}, origin=origin,
    )  # fmt: skip
    visit_id = visit.id if visit is not None else None
    commit(session)
    return visit_id
