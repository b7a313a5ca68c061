"""Site offices: creating them, and changing their settings (name, time zone, hours and
closures, languages, need categories, printing, retention)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import needs as need_rules
from ..domain.checkin import DEFAULT_LANGUAGES as SUPPORTED_LANGUAGES
from ..domain.errors import ChangedSinceRead, Conflict, Forbidden, ValidationFailed
from ..domain.history import Actor, AuditAction, AuditVia
from ..domain.hours import DEFAULT_SPEC, closures_to_json, parse_closures, parse_spec
from ..domain.retention import InvalidRetention, validate_retention_days
from ..domain.roles import may_change_site
from ..models import Site, SiteHours, Staff
from ..persistence import repositories
from ..persistence.site_needs import slugs_in_use
from ..persistence.unit_of_work import begin_write, commit
from . import audit, site_repeat, site_texts

NAME_MAX = 120
EDITABLE = (
    frozenset(
        {
            "name",
            "timezone",
            "hours",
            "closures",
            "languages",
            "needs",
            "print_tickets",
            "retention_days",
        }
    )
    | site_texts.EDITABLE
    | site_repeat.EDITABLE
)


def create_site(
    session: Session,
    slug: str,
    *,
    name: str,
    timezone: str = "America/New_York",
    hours: str = DEFAULT_SPEC,
) -> Site:
    errors = {}
    if not repositories.SLUG.match(slug or ""):
        errors["slug"] = "Use 1-40 lower-case letters, digits and dashes, e.g. 'boston-north'."
    checked = _check({"name": name, "timezone": timezone, "hours": hours}, errors)
    if errors:
        raise ValidationFailed("The site's details are not right.", fields=errors)
    begin_write(session)
    if session.scalar(select(Site.id).where(Site.slug == slug)) is not None:
        raise Conflict(f"A site called {slug!r} already exists.", code="site_exists")
    site = Site(slug=slug, created_at=utcnow(), closures=[], **checked)
    session.add(site)
    session.flush()
    _keep_hours(session, site, site.created_at)
    # Only the command line (and the demo's seed) creates sites: the system's doing.
    audit.record(
        session,
        None,
        AuditAction.SITE_ADDED,
        site_id=site.id,
        detail={"site": slug, "timezone": site.timezone, "by": AuditVia.COMMAND_LINE},
        at=site.created_at,
        actor=Actor.SYSTEM,
    )
    commit(session)
    return site


def update_site(
    session: Session,
    slug: str,
    changes: dict[str, Any],
    *,
    by: Staff | None = None,
    origin: str | None = None,
    if_version: Collection[str] | None = None,
) -> Site:
    """Change a site's settings. `by` None: the command line (the machine's own operator).

    `if_version`: the settings' versions the caller read (an If-Match): a change made since,
    by anyone, refuses this one rather than silently undo it. Every change is audited with
    what it was before and after.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationFailed(
            "Some details were not right.", fields={f: "Unknown field." for f in sorted(unknown)}
        )
    errors: dict[str, str] = {}
    checked = _check(changes, errors)
    if errors:
        raise ValidationFailed("The site's details are not right.", fields=errors)
    begin_write(session)
    site = repositories.site_by_slug(session, slug)
    # Read again under a row lock: on PostgreSQL two saves of one site then run one after the
    # other, and the second sees the first's version (SQLite's write lock already does this).
    session.scalars(
        select(Site).where(Site.id == site.id).with_for_update(),
        execution_options={"populate_existing": True},
    ).one()
    if by is not None:
        if not by.works_at(site):
            raise Forbidden("You do not work at this site.", code="not_your_site")
        if not may_change_site(by.role):
            raise Forbidden(
                "Only a site lead or an administrator changes this.", code="not_allowed"
            )
    if "languages" in checked or "needs" in changes:
        _check_needs(session, site, changes, checked)
    moves_zone = checked.get("timezone", site.timezone) != site.timezone
    if moves_zone and repositories.count_open(session, site.id):
        # The service day is the local date: moving it under people in line would close
        # their visits or mix two days' codes.
        raise Conflict("Change the time zone when nobody is in line.", code="tickets_open")
    before = site_settings(site)
    if if_version is not None and before["version"] not in if_version:
        raise ChangedSinceRead(
            "These settings were changed by someone else since you opened them.",
            code="site_changed",
        )
    for column, value in checked.items():
        setattr(site, column, value)
    after = site_settings(site)
    changed = {
        k: {"before": before[k], "after": after[k]}
        for k in after
        if before[k] != after[k] and k != "version"
    }
    if {"timezone", "hours", "closures"} & changed.keys():
        _keep_hours(session, site, utcnow())
    if changed:
        audit.record(
            session,
            by,
            AuditAction.SITE_CHANGED,
            site_id=site.id,
            detail={
                "changes": site_texts.as_audited(changed),
                **({} if by else {"by": AuditVia.COMMAND_LINE}),
            },
            actor=None if by else Actor.SYSTEM,
            origin=origin,
        )
    commit(session)
    return site


def _keep_hours(session: Session, site: Site, at: datetime) -> None:
    """The hours as they are from now on, for the reports of the days to come."""
    session.add(
        SiteHours(
            site_id=site.id,
            from_at=at,
            timezone=site.timezone,
            business_hours=site.business_hours,
            closures=site.closures,
        )
    )


def _check_needs(
    session: Session, site: Site, changes: dict[str, Any], checked: dict[str, Any]
) -> None:
    """The need list as it will be, against the languages as they will be (either may be
    what changes): no custom need without a label in an offered language, none removed
    that visits refer to."""
    errors: dict[str, str] = {}
    wanted = need_rules.parse(changes["needs"], errors) if "needs" in changes else site.needs
    if errors:
        raise ValidationFailed("The need categories are not right.", fields=errors)
    kept = {n.slug for n in wanted}
    removed = [n.slug for n in site.needs if n.slug not in kept]
    languages = checked.get("languages", site.languages)
    need_rules.check(
        wanted,
        languages,
        removed_in_use=slugs_in_use(session, site.id, removed) if removed else (),
        languages_changed=list(languages) != list(site.languages),
    )
    checked["need_list"] = [n.to_json() for n in wanted]


def site_settings(site: Site) -> dict[str, Any]:
    """The settings as the API and the command line show them, with their `version`: a tag
    that changes whenever any of them does (the API's ETag)."""
    settings = {
        "slug": site.slug,
        "name": site.name,
        "timezone": site.timezone,
        "hours": site.hours.weekly.spec(),
        "closures": closures_to_json(site.hours.closures),
        "languages": list(site.languages),
        "needs": [
            {**n.to_json(), "default": n.is_default, "label": need_rules.staff_label(n)}
            for n in site.needs
        ],
        "print_tickets": bool(site.print_tickets),
        "retention_days": site.retention_days,
        **site_texts.text_settings(site),
        **site_repeat.repeat_settings(site),
    }
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    settings["version"] = hashlib.sha256(canonical.encode()).hexdigest()[:20]
    return settings


def all_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.slug)))


def _check(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Validated column values for the given fields; problems go into `errors`."""
    columns: dict[str, Any] = {}
    if "name" in values:
        name = values["name"]
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
            errors["name"] = f"Give the site a name of at most {NAME_MAX} characters."
        else:
            columns["name"] = name.strip()
    if "timezone" in values:
        zone = values["timezone"]
        if _known_zone(zone):
            columns["timezone"] = zone
        else:
            said = zone if not isinstance(zone, str) or len(zone) <= 40 else zone[:40] + "…"
            errors["timezone"] = f"Unknown time zone {said!r}; try e.g. America/New_York."
    if "hours" in values:
        try:
            columns["business_hours"] = parse_spec(values["hours"]).to_json()
        except ValueError as exc:
            errors["hours"] = str(exc)
    if "languages" in values:
        offered = values["languages"]
        if (
            not isinstance(offered, list)
            or not offered
            or not all(isinstance(code, str) for code in offered)
            or set(offered) - set(SUPPORTED_LANGUAGES)
        ):
            errors["languages"] = (
                "A list of the kiosk's languages, from: " + ", ".join(SUPPORTED_LANGUAGES) + "."
            )
        else:
            columns["languages"] = list(dict.fromkeys(offered))
    if "print_tickets" in values:
        if isinstance(values["print_tickets"], bool):
            columns["print_tickets"] = values["print_tickets"]
        else:
            errors["print_tickets"] = "true or false."
    if "retention_days" in values:
        try:
            columns["retention_days"] = validate_retention_days(values["retention_days"])
        except InvalidRetention as exc:
            errors["retention_days"] = f"The retention period {exc}."
    if "closures" in values:
        try:
            columns["closures"] = closures_to_json(parse_closures(values["closures"]))
        except ValueError as exc:
            errors["closures"] = str(exc)
    columns |= site_texts.check(values, errors)
    columns |= site_repeat.check(values, errors)
    return columns


def _known_zone(zone: object) -> bool:
    if not isinstance(zone, str) or not zone:
        return False
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
