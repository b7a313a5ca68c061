"""A demo site with staff and a few days of realistic history, seeded once."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_service.clock import utcnow
from queue_service.domain.codes import ticket_code
from queue_service.domain.lifecycle import Channel, Outcome, Status
from queue_service.models import DailyCounter, Site, Staff, Ticket, TicketEvent, Visitor
from queue_service.persistence.database import Database
from queue_service.persistence.unit_of_work import begin_write, commit
from queue_service.services import checkins, sites, staff

SLUG = "demo"
TIMEZONE = "America/New_York"
SIGN_INS = (
    ("maria@demo.frontdoor", "blue-harbor-morning", "case_manager"),
    ("james@demo.frontdoor", "green-river-evening", "case_manager"),
    ("lead@demo.frontdoor", "quiet-lantern-path", "site_lead"),
    ("admin@demo.frontdoor", "steady-compass-key", "admin"),
)
NAMES = {"maria": ("Maria Santos", "en,es,pt"), "james": ("James Pierre", "en,ht")}
LANGUAGES = (("en", 55), ("es", 20), ("pt", 8), ("ht", 8), ("zh", 4), ("vi", 5))
CHANNELS = ((Channel.KIOSK, 60), (Channel.PHONE, 25), (Channel.WEB, 10), (Channel.SMS, 5))
NEEDS = (
    ("housing", 30),
    ("food", 15),
    ("benefits", 20),
    ("health", 12),
    ("legal", 6),
    ("transport", 5),
    ("talk", 10),
    ("other", 2),
)
OUTCOMES = (
    (Outcome.RESOLVED, 40),
    (Outcome.REFERRED, 30),
    (Outcome.FOLLOW_UP, 20),
    (Outcome.CASE_OPENED, 5),
    (Outcome.OTHER, 5),
)
# Walk-ins come early: arrivals per hour from 9 to 16.
HOURLY = (6, 8, 7, 4, 5, 6, 4, 2)
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
    # Open around the clock, so the demo can be tried at any hour; try real hours with
    # `frontdoor site set demo --hours "mon-fri 09:00-17:00"`.
    sites.create_site(session, SLUG, name="Demo Site Office", timezone=TIMEZONE, hours="always")
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
    now = now or utcnow()
    rng = random.Random(2026)
    _history(session, rng, days=days, now=now)
    for person in WAITING:
        checkins.check_in(session, SLUG, dict(person))
    _a_returning_visitor(session)
    session.close()
    return True


def _a_returning_visitor(session: Session) -> None:
    """Rosa came on each of the last two working days: the console flags her third visit
    (a real visit is linked by her number or return code; the demo links them itself)."""
    begin_write(session)
    rosa = session.scalars(select(Ticket).where(Ticket.name == "Rosa Delgado")).one()
    days = sorted({d for d in session.scalars(select(Ticket.service_day)) if d < rosa.service_day})
    earlier = [
        session.scalars(select(Ticket).where(Ticket.service_day == day).limit(1)).one()
        for day in days[-2:]
    ]
    visitor = Visitor(created_at=earlier[0].created_at if earlier else rosa.created_at)
    visitor.last_visit_at = rosa.created_at
    for ticket in (*earlier, rosa):
        ticket.visitor = visitor
    commit(session)


def _history(session: Session, rng: random.Random, *, days: int, now: datetime) -> None:
    begin_write(session)  # one transaction: all of the history, or none of it
    site = session.scalars(select(Site).where(Site.slug == SLUG)).one()
    managers = [
        s.id
        for s in session.scalars(select(Staff))
        if s.role == "case_manager" and s.works_at(site)
    ]
    tz = ZoneInfo(TIMEZONE)
    today = now.astimezone(tz).date()
    past_days = [today - timedelta(days=back) for back in range(1, 3 * days)]
    working_days = sorted(d for d in past_days if d.weekday() < 5)[-days:]
    for day in working_days:
        number = 0
        for hour, arrivals in enumerate(HOURLY, start=9):
            for _ in range(arrivals + rng.randint(-2, 2)):
                number += 1
                arrived = datetime.combine(day, time(hour, rng.randint(0, 59)), tz)
                session.add(_visit(rng, site, day, number, arrived, rng.choice(managers)))
        session.add(DailyCounter(site_id=site.id, service_day=day, last_number=number))
    commit(session)


def _visit(
    rng: random.Random, site: Site, day: date, number: int, arrived: datetime, manager_id: int
) -> Ticket:
    """One past visit, with a realistic fate: seen, referred, no-show, left or cancelled."""
    arrived = arrived.astimezone(ZoneInfo("UTC"))
    channel = _pick(rng, CHANNELS)
    ticket = Ticket(
        site=site,
        token=secrets.token_urlsafe(24),
        service_day=day,
        number=number,
        code=ticket_code(number),
        channel=channel.value,
        urgent=rng.random() < 0.04,
        needs=sorted({_pick(rng, NEEDS) for _ in range(rng.randint(0, 2))}),
        language=_pick(rng, LANGUAGES),
        created_at=arrived,
        queued_at=arrived,
        updated_at=arrived,
        status=Status.WAITING.value,
    )
    fate = rng.random()
    called = arrived + timedelta(minutes=rng.randint(2, 45))
    history = [("check_in", None, Status.WAITING, arrived)]
    if fate < 0.05:
        ticket.status, ticket.left_at = Status.LEFT.value, called
        history.append(("left", Status.WAITING, Status.LEFT, called))
    elif fate < 0.09:
        ticket.status, ticket.cancelled_at = Status.CANCELLED.value, called
        history.append(("cancel", Status.WAITING, Status.CANCELLED, called))
    else:
        ticket.called_at, ticket.assigned_staff_id = called, manager_id
        ticket.desk = str(1 + manager_id % 2)
        history.append(("call", Status.WAITING, Status.CALLED, called))
        if fate < 0.15:
            ticket.status, ticket.no_show_at = Status.NO_SHOW.value, called + timedelta(minutes=5)
            history.append(("no_show", Status.CALLED, Status.NO_SHOW, ticket.no_show_at))
        else:
            started = called + timedelta(minutes=rng.randint(1, 4))
            done = started + timedelta(minutes=max(5, int(rng.gauss(18, 8))))
            ticket.status, ticket.started_at, ticket.completed_at = (
                Status.COMPLETED.value,
                started,
                done,
            )
            ticket.outcome = _pick(rng, OUTCOMES).value
            history += [
                ("start", Status.CALLED, Status.IN_SESSION, started),
                ("complete", Status.IN_SESSION, Status.COMPLETED, done),
            ]
    if ticket.urgent:
        # Someone saw each past alert (the manager who called them, or who looked up
        # before they left); those never seen are on the lead's "urgent, not seen" list.
        ticket.alert_acknowledged_at = ticket.called_at or history[-1][3]
        ticket.alert_acknowledged_by_id = manager_id
    ticket.updated_at = history[-1][3]
    ticket.history.add_all(
        [
            TicketEvent(
                action=a,
                from_status=f,
                to_status=t,
                at=at,
                staff_id=manager_id if a not in ("check_in", "left", "cancel") else None,
            )
            for a, f, t, at in history
        ]
    )
    return ticket


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]
