"""Site offices."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Conflict, ValidationFailed
from ..models import Site
from ..persistence import repositories
from ..persistence.unit_of_work import begin_write, commit


def create_site(
    session: Session, slug: str, *, name: str, timezone: str = "America/New_York"
) -> Site:
    errors = {}
    if not repositories.SLUG.match(slug or ""):
        errors["slug"] = "Use 1-40 lower-case letters, digits and dashes, e.g. 'boston-north'."
    if not (name or "").strip() or len(name) > 120:
        errors["name"] = "Give the site a name of at most 120 characters."
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = f"Unknown time zone {timezone!r}; try e.g. America/New_York."
    if errors:
        raise ValidationFailed("The site's details are not right.", fields=errors)
    begin_write(session)
    if session.scalar(select(Site.id).where(Site.slug == slug)) is not None:
        raise Conflict(f"A site called {slug!r} already exists.", code="site_exists")
    site = Site(slug=slug, name=name.strip(), timezone=timezone, created_at=utcnow())
    session.add(site)
    commit(session)
    return site
