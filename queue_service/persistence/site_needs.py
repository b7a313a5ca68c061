"""Which of a site's need categories its visits still record."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from ..models import Ticket


def slugs_in_use(session: Session, site_id: int, slugs: Iterable[str]) -> list[str]:
    """The slugs some visit at the site records (a need it names cannot be removed).

    Visits keep their needs as a JSON list of slugs. A slug is letters, digits and dashes
    only, so its quoted form matches the JSON text exactly on SQLite and PostgreSQL alike.
    """
    needs_text = cast(Ticket.needs, Text)
    return [
        slug
        for slug in slugs
        if session.scalar(
            select(Ticket.id)
            .where(Ticket.site_id == site_id, needs_text.like(f'%"{slug}"%'))
            .limit(1)
        )
        is not None
    ]
