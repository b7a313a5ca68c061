"""`frontdoor demo --history DAYS --sites N`: the demo site and N - 1 Massachusetts site
offices (demo_sites), each with DAYS calendar days of history before today, for the site
leads' reports, their benchmark, and a lead trying them.

Each site is made through services.sites (so it has its SiteHours row), then set back to
before its history (demo_write.set_up_past: holidays as closures, a few with hours changed
half way). Its staff: the demo's printed sign-ins at `demo`; elsewhere two to four case
managers and a site lead, written in bulk with one Argon2 hash (the regional lead's, made
through services.staff, who works at every site). Its history is one transaction per site
(demo_write). A site that already exists is skipped, so running it again adds nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from queue_service.clock import utcnow
from queue_service.domain.history import Actor, AuditAction, AuditVia
from queue_service.domain.hours import parse_spec
from queue_service.models import AuditEntry, Site, Staff, staff_sites
from queue_service.persistence.database import Database
from queue_service.persistence.unit_of_work import begin_write, commit
from queue_service.services import report_days, sites, staff

from . import demo
from .demo_sites import DEMO, DEMO_PATTERN, Office, holidays, offices, team
from .demo_write import Staffing, set_up_past, spans_of, write_history

# Every generated account's password (the demo site's own keep theirs: demo.SIGN_INS).
PASSWORD = "many-doors-one-line"
REGIONAL = ("regional@demo.frontdoor", "Morgan Ellis")


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already there: left as they are
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def tickets(self) -> int:
        return self.rows.get("tickets", 0)


def seed_history(
    database: Database,
    *,
    days: int,
    sites: int,
    now: datetime | None = None,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Create the demo site and `sites` - 1 others, each with `days` calendar days of
    history ending with the last whole day before `now`; sites that exist are skipped.
    The same `seed` makes the same history (only the ticket tokens differ: they are
    secrets)."""
    started = time.perf_counter()
    now = now or utcnow()
    wanted = offices(sites)
    summary = Summary()
    session = database.session()
    try:
        slugs = [o.slug for o in wanted]
        existing = set(session.scalars(select(Site.slug).where(Site.slug.in_(slugs))))
        for office in wanted:
            if office.slug in existing:
                summary.skipped.append(office.slug)
                continue
            began = time.perf_counter()
            rng = random.Random(f"{seed}:{office.slug}")
            counts = _seed_office(session, office, days, now, rng, slugs)
            _keep_settled(session, office.slug, days, now)
            summary.created.append(office.slug)
            for table, count in counts.items():
                summary.rows[table] = summary.rows.get(table, 0) + count
            if progress:
                took = time.perf_counter() - began
                progress(f"  {office.slug}: {counts['tickets']} visits in {took:.1f} s")
    finally:
        session.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _keep_settled(session: Session, slug: str, days: int, now: datetime) -> None:
    """What a running server would have kept by now: each settled day's figures, counted
    (a month at a time) before the retention period removed who came back."""
    site = session.scalars(select(Site).where(Site.slug == slug)).one()
    today = now.astimezone(ZoneInfo(site.timezone)).date()
    first = today - timedelta(days=days)
    while first < today:
        last = min(first + timedelta(days=30), today)
        report_days.day_rows(session, report_days.Scope((site,), first, last, now))
        first = last + timedelta(days=1)
    session.rollback()


def _seed_office(
    session: Session, office: Office, days: int, now: datetime, rng: random.Random,
    every_site: list[str],
) -> dict[str, int]:  # fmt: skip
    zone = ZoneInfo(office.timezone)
    today = now.astimezone(zone).date()
    # The last whole day: its close at midnight (and the sweep after it) already happened.
    last = (now.astimezone(zone) - timedelta(hours=2)).date() - timedelta(days=1)
    first = today - timedelta(days=days)
    # The demo site is open around the clock: no closure may ever shut it today.
    closures = holidays(first, last if office is DEMO else today + timedelta(days=90))
    since = datetime.combine(first - timedelta(days=14), clock(10), zone).astimezone(UTC)
    change = None
    if office.later_hours:
        on = first + timedelta(days=round((last - first).days * rng.uniform(0.4, 0.6)))
        change = (datetime.combine(on - timedelta(days=1), clock(18), zone).astimezone(UTC), on)
    emails: list[str] = []
    try:
        if office is DEMO:
            site_id = demo.create_demo_site(session).id
            emails = [email for email, _, _ in demo.SIGN_INS]
        else:
            site_id = sites.create_site(
                session, office.slug, name=office.name, timezone=office.timezone, hours=office.hours
            ).id
        hashed = _regional_lead(session, every_site)
        begin_write(session)
        later = (change[0], office.later_hours) if change and office.later_hours else None
        set_up_past(session, site_id, since, closures, later)
        if office is DEMO:
            crew = demo.staffing(session, site_id)
        else:
            members = team(office, rng)
            emails = [m.email for m in members]
            crew = _add_team(session, site_id, members, hashed, since, now)
        counts = write_history(
            session, site_id, office, crew, _days(office, first, last, closures, change),
            zone=zone, now=now, rng=rng, always_open=office is DEMO,
            retention_days=session.get(Site, site_id).retention_days,  # type: ignore[union-attr]
        )  # fmt: skip
        commit(session)
        if office is DEMO:
            demo.welcome(session)
    except BaseException:
        _undo(session, office.slug, emails)  # all of a site, or nothing of it
        raise
    return counts


def _days(
    office: Office,
    first: date,
    last: date,
    closures: list[dict[str, str]],
    change: tuple[datetime, date] | None,
) -> list[tuple[date, tuple[tuple[float, float], ...], bool]]:
    """Each working day with its open spans (the hours in force that day; the demo site's
    history keeps an office's week), and whether the day before it was a closure."""
    shut = {date.fromisoformat(c["date"]) for c in closures}
    before = parse_spec(DEMO_PATTERN if office is DEMO else office.hours)
    after = parse_spec(office.later_hours) if office.later_hours else before
    found = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        weekly = after if change is not None and day >= change[1] else before
        spans = () if day in shut else spans_of(weekly, day)
        if spans:
            previous = day - timedelta(days=3 if day.weekday() == 0 else 1)
            found.append((day, spans, previous in shut))
    return found


def _regional_lead(session: Session, every_site: list[str]) -> str:
    """The regional lead, at every site that exists; their password's hash is every
    generated account's (one Argon2 hash, not hundreds)."""
    here = set(session.scalars(select(Site.slug).where(Site.slug.in_(every_site))))
    lead = session.scalars(select(Staff).where(Staff.email == REGIONAL[0])).one_or_none()
    if lead is None:
        lead = staff.create_staff(
            session, REGIONAL[0], name=REGIONAL[1], role="site_lead",
            site_slugs=sorted(here), password=PASSWORD, languages=["en", "es"],
        )  # fmt: skip
        return lead.password_hash
    missing = here - {s.slug for s in lead.sites}
    if missing:
        begin_write(session)
        ids = session.scalars(select(Site.id).where(Site.slug.in_(missing))).all()
        session.execute(insert(staff_sites), [{"staff_id": lead.id, "site_id": i} for i in ids])
        commit(session)
        session.expire(lead, ["sites"])
    return lead.password_hash


def _add_team(
    session: Session, site_id: int, members: list, hashed: str, since: datetime, now: datetime
) -> Staffing:  # type: ignore[type-arg]
    """The site's staff in three statements, audited as `frontdoor staff add` is."""
    table = Staff.__table__
    rows = [
        {"email": m.email, "name": m.name, "role": m.role, "languages": list(m.languages),
         "password_hash": hashed, "active": True, "created_at": since}
        for m in members
    ]  # fmt: skip
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = session.execute(statement, rows).scalars().all()
    session.execute(insert(staff_sites), [{"staff_id": i, "site_id": site_id} for i in ids])
    session.execute(
        insert(AuditEntry.__table__),
        [
            {"at": now, "actor": Actor.SYSTEM.value, "staff_id": i, "staff_email": m.email,
             "action": AuditAction.STAFF_ADDED.value, "site_id": None, "ticket_id": None,
             "detail": {"staff_id": i, "staff": m.email, "role": m.role,
                        "by": AuditVia.COMMAND_LINE}, "origin": None}
            for i, m in zip(ids, members, strict=True)
        ],
    )  # fmt: skip
    managers = [(i, frozenset(m.languages)) for i, m in zip(ids, members, strict=True)
                if m.role == "case_manager"]  # fmt: skip
    lead = next(i for i, m in zip(ids, members, strict=True) if m.role == "site_lead")
    return Staffing(managers, lead)


def _undo(session: Session, slug: str, emails: list[str]) -> None:
    """A site whose history failed is removed whole (its rows go with it: ON DELETE
    CASCADE), with the accounts made for it, so the next run makes it again."""
    session.rollback()
    begin_write(session)
    session.execute(delete(Site).where(Site.slug == slug))
    if emails:
        session.execute(delete(Staff).where(Staff.email.in_(emails)))
    commit(session)
