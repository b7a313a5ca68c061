"""A site's service day ends at local midnight, and each day's line starts empty.

What an earlier day left open is closed by the first change of the new day, or by the
background sweep (frontdoor serve runs it every minute), whichever comes first:

- duty shifts begun before midnight whose manager has no live sign-in (the console signs
  out after 30 idle minutes) were forgotten, and end at midnight;
- people still waiting, or called but never seen, end with the reason `day_closed` (never
  as if they had chosen to leave), each audited as done by the system.

Never while the office is in fact open: while its hours run on through midnight (a 24-hour
or overnight office), or while a manager who came on before midnight is still signed in,
yesterday's line stays as it is, in its order, with its codes (today's codes continue
after them), and the close waits for the first moment the office is closed and unstaffed.
An urgent person's alert is never touched: it stays on every console until a person
acknowledges it, and the visit is listed for the site lead as "urgent, not seen" until
followed up.

A session never outlives its day once its case manager has gone: the sweep ends an
"in session" visit of an earlier service day whose manager holds no live sign-in as
completed, outcome `not_recorded` (end reason `session_left_open`), audited as the system's,
at every site, one open around the clock too, so the retention period then runs. An urgent
one goes on the lead's list (Ticket.needs_follow_up). While the manager is still signed in,
it stays theirs to complete.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import local_day, utcnow
from ..domain.history import AuditAction, AuditReason
from ..domain.lifecycle import Status
from ..domain.office_hours import OfficeHours
from ..models import DutyShift, Site, Ticket
from ..persistence import staff_queries
from ..persistence.unit_of_work import begin_write, commit, remember_after_commit
from . import audit, duty, texts
from .office import site_status

DAY_ENDED = AuditReason.SERVICE_DAY_ENDED


def close_earlier_days(session: Session, site: Site, now: datetime) -> None:
    """Inside a write transaction: close what earlier service days left open at `site`."""
    memo = session.info["database"].memo
    hours = site.hours
    if _open_through(memo.get(("open_through", site.id)), hours, now):
        return
    today = local_day(now, site.timezone)
    if memo.get(("day_closed", site.id)) == today:
        return
    midnight = datetime.combine(today, time.min, ZoneInfo(site.timezone))
    if _open_since(hours, midnight, now):
        # Open without a break from this midnight until it closes: so is every moment up
        # to then, whatever its day. Kept with the hours it was worked out from (parsed
        # once per text, so `is` tells a change of hours), a 24-hour site's check costs
        # a lookup instead of the hours' arithmetic on every check-in and call-next.
        memo[("open_through", site.id)] = (hours, midnight, hours.closes_at(midnight))
        return
    working_late = False
    for shift in session.scalars(
        select(DutyShift)
        .where(
            DutyShift.site_id == site.id,
            DutyShift.ended_at.is_(None),
            DutyShift.started_at < midnight,
        )
        .with_for_update(skip_locked=True)
    ):
        if staff_queries.signed_in(session, shift.staff_id, now):
            working_late = True
            continue
        duty.end_shift(session, shift, AuditReason.SERVICE_DAY_ENDED, at=midnight, now=now)
    if working_late:
        session.flush()
        return
    stale = session.scalars(
        select(Ticket)
        .where(
            Ticket.site_id == site.id,
            Ticket.status.in_([Status.WAITING.value, Status.CALLED.value]),
            Ticket.service_day < today,
        )
        .order_by(Ticket.id)
        .with_for_update(skip_locked=True)
    )
    for ticket in stale:
        before = ticket.status
        if ticket.close_for_day(at=now):
            texts.day_closed(session, ticket, now)
            _audit_day_closed(session, ticket, before, now)
    session.flush()
    remember_after_commit(session, ("day_closed", site.id), today)


def end_forgotten_sessions(session: Session, site: Site, now: datetime) -> None:
    """Inside a write transaction: end earlier days' sessions whose manager has gone."""
    today = local_day(now, site.timezone)
    for ticket in session.scalars(
        select(Ticket)
        .where(
            Ticket.site_id == site.id,
            Ticket.status == Status.IN_SESSION.value,
            Ticket.service_day < today,
        )
        .order_by(Ticket.id)
        .with_for_update(skip_locked=True)
    ):
        manager = ticket.assigned_staff_id
        if manager is not None and staff_queries.signed_in(session, manager, now):
            continue
        ticket.end_forgotten_session(at=now)
        _audit_day_closed(
            session, ticket, Status.IN_SESSION.value, now,
            outcome=ticket.outcome, staff_id=manager)  # fmt: skip
    session.flush()


def _audit_day_closed(
    session: Session, ticket: Ticket, before: str, now: datetime, **more: object
) -> None:
    """What the day close did to a visit, as the system's doing; never without this entry."""
    audit.system(
        session,
        AuditAction.TICKET_DAY_CLOSED,
        reason=DAY_ENDED,
        ticket=ticket,
        detail={
            "from": before,
            "to": ticket.status,
            **more,
            "urgent": ticket.urgent,
            "alert_acknowledged": ticket.alert_acknowledged_at is not None,
        },
        at=now,
    )


def _open_through(known: object, hours: OfficeHours, now: datetime) -> bool:
    """Whether a remembered (hours, midnight, closes) says the office is open at `now` and
    has been since that day's midnight, with the same hours."""
    if known is None:
        return False
    known_hours, since, closes = known  # type: ignore[misc]
    return known_hours is hours and since <= now and (closes is None or now < closes)


def _open_since(hours: OfficeHours, midnight: datetime, now: datetime) -> bool:
    """Whether the office's hours have run without a break from `midnight` until `now`."""
    if not hours.is_open(midnight):
        return False
    closes = hours.closes_at(midnight)
    return closes is None or closes > now


def sweep(session: Session, now: datetime | None = None) -> int:
    """Close earlier days at every site, and write the closing-time texts (the background
    job). Returns the sites visited."""
    now = now or utcnow()
    # First: a shift whose person's sign-in ran out ends when it did, not at midnight.
    duty.end_lapsed_shifts(session, now)
    sites = list(session.scalars(select(Site).order_by(Site.id)))
    session.rollback()
    for site in sites:
        begin_write(session)
        fresh = session.get(Site, site.id)
        if fresh is not None:
            close_earlier_days(session, fresh, now)
            end_forgotten_sessions(session, fresh, now)
            # Texts the people still waiting when the office is about to close (once each).
            texts.closing_time(session, site_status(session, fresh, now), now)
        commit(session)
    return len(sites)
