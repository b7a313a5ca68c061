"""A demo site with staff and a few days of realistic history, seeded once (a longer history
at many sites: demo_history.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_service.clock import utcnow
from queue_service.domain.hours import parse_spec
from queue_service.models import Site, Staff, Ticket, Visitor
from queue_service.persistence.database import Database
from queue_service.persistence.unit_of_work import begin_write, commit
from queue_service.services import checkins, sites, staff

from .demo_sites import DEMO, DEMO_PATTERN
from .demo_write import Staffing, set_up_past, spans_of, write_history

SLUG = "demo"
TIMEZONE = "America/New_York"
SIGN_INS = (
    ("maria@demo.frontdoor", "blue-harbor-morning", "case_manager"),
    ("james@demo.frontdoor", "green-river-evening", "case_manager"),
    ("lead@demo.frontdoor", "quiet-lantern-path", "site_lead"),
    ("admin@demo.frontdoor", "steady-compass-key", "admin"),
)
NAMES = {"maria": ("Maria Santos", "en,es,pt"), "james": ("James Pierre", "en,ht")}
# Already waiting when the demo starts, so "call next" has someone to call at once. Made-up
# people (555-01xx numbers are fictional); the tests check that none of it reaches a log.
WAITING = (
    {"language": "es", "needs": ["housing"], "name": "Rosa Delgado",
     "phone": "+16175550142", "sms_opt_in": True},
    {"language": "en", "needs": ["food", "benefits"], "name": "Tom Becker"},
    {"language": "ht", "needs": ["health"], "phone": "+16175550187", "sms_opt_in": False},
)  # fmt: skip


DEMO_OFFICE_NUMBER = "+16175550100"


def seed(database: Database, *, days: int = 5, now: datetime | None = None) -> bool:
    """Create the demo site once, with `days` working days of history; False if it exists."""
    session = database.session()
    if session.scalar(select(Site.id).where(Site.slug == SLUG)) is not None:
        session.close()
        return False
    site = create_demo_site(session)
    now = now or utcnow()
    _history(session, site.id, days=days, now=now)
    welcome(session)
    session.close()
    return True


def create_demo_site(session: Session) -> Site:
    """The demo site and its staff (the printed sign-ins), with no history yet."""
    # Open around the clock, so the demo can be tried at any hour; try real hours with
    # `frontdoor site set demo --hours "mon-fri 09:00-17:00"`.
    site = sites.create_site(
        session, SLUG, name="Demo Site Office", timezone=TIMEZONE, hours="always"
    )
    # A made-up office number (555-01xx is reserved for fiction), so the console's Phone
    # page can text the demo office at once.
    sites.update_site(session, SLUG, {"sms_callback_number": DEMO_OFFICE_NUMBER})
    for email, password, role in SIGN_INS:
        who = email.split("@")[0]
        name, languages = NAMES.get(who, (who.title(), "en"))
        staff.create_staff(
            session,
            email,
            name=name,
            role=role,
            site_slugs=[SLUG],
            password=password,
            languages=languages.split(","),
        )
    return site


def staffing(session: Session, site_id: int) -> Staffing:
    """The demo site's case managers (desks 1 and 2) and its lead, for its history."""
    team = session.scalars(select(Staff).order_by(Staff.id)).all()
    here = [s for s in team if any(site.id == site_id for site in s.sites)]
    return Staffing(
        [(s.id, frozenset(s.languages)) for s in here if s.role == "case_manager"],
        next((s.id for s in here if s.email == SIGN_INS[2][0]), None),
    )


def welcome(session: Session) -> None:
    """Today: people already waiting, one of them on her third visit."""
    for person in WAITING:
        checkins.check_in(session, SLUG, dict(person))
    _a_returning_visitor(session)


def _a_returning_visitor(session: Session) -> None:
    """Rosa came on each of the last two working days: the console flags her third visit
    (a real visit is linked by her number or return code; the demo links them itself)."""
    begin_write(session)
    rosa = session.scalars(select(Ticket).where(Ticket.name == "Rosa Delgado")).one()
    here = (Ticket.site_id == rosa.site_id, Ticket.visitor_id.is_(None))
    earlier_days = select(Ticket.service_day).where(*here, Ticket.service_day < rosa.service_day)
    days = sorted(set(session.scalars(earlier_days.distinct())))
    earlier = [
        session.scalars(
            select(Ticket).where(*here, Ticket.service_day == day).order_by(Ticket.id).limit(1)
        ).one()
        for day in days[-2:]
    ]
    visitor = Visitor(created_at=earlier[0].created_at if earlier else rosa.created_at)
    visitor.last_visit_at = rosa.created_at
    for ticket in (*earlier, rosa):
        ticket.visitor = visitor
    commit(session)


def _history(session: Session, site_id: int, *, days: int, now: datetime) -> None:
    """The last `days` working days (Monday to Friday, 9 to 5: the site itself is open
    around the clock), in one transaction: all of the history, or none of it."""
    begin_write(session)
    zone = ZoneInfo(TIMEZONE)
    today = now.astimezone(zone).date()
    past_days = [today - timedelta(days=back) for back in range(1, 3 * days)]
    working_days = sorted(d for d in past_days if d.weekday() < 5)[-days:]
    weekly = parse_spec(DEMO_PATTERN)
    if working_days:
        since = datetime.combine(working_days[0] - timedelta(days=7), time(9), zone)
        set_up_past(session, site_id, since.astimezone(UTC), [])
    write_history(
        session,
        site_id,
        DEMO,
        staffing(session, site_id),
        [(day, spans_of(weekly, day), False) for day in working_days],
        zone=zone,
        now=now,
        rng=random.Random(2026),
        always_open=True,
        retention_days=session.get(Site, site_id).retention_days,  # type: ignore[union-attr]
    )
    commit(session)
