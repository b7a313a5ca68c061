"""The audit log: every staff view of a visitor's record, every note, every change.

Entries are written inside the transaction of what they describe, so the log never claims
a change that was rolled back, and never misses one that committed. Where a request came
from is given as `origin` by whoever calls the service: the web layer passes the client's
address; the command line none; the system's own work "system". Who acted is an Actor: a
staff member, the visitor themselves, or the system (the day close, automatic shift ends),
each with its reason in `detail`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, and_, exists, func, insert, or_, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.audit_words import EntryFacts, local_time, sentence
from ..domain.errors import Forbidden
from ..domain.history import Actor, AuditAction, AuditReason
from ..domain.roles import may_read_audit
from ..models import AuditEntry, Site, Staff, Ticket, staff_sites
from ..persistence import repositories
from .audit_query import AuditQuery

# Details that name another staff member by id: the sentence gives their name.
NAMED_IN_DETAIL = ("to_staff_id", "from_staff_id", "staff_id")
# ...and by e-mail: the account administered, the e-mail a failed sign-in tried.
_EMAIL_IN_DETAIL = ("staff", "email_tried")
_typed = lambda text: func.lower(func.trim(text))  # noqa: E731 (as the sign-in compares)


# Written at once as a row, not left in the session as an object for the flush: the rest of
# the transaction still sees it (the urgent-burst rule counts them), and the unit of work
# for a second kind of object cost a quarter of a millisecond on every call-next.
_INSERT = insert(AuditEntry.__table__)


@dataclass(frozen=True)
class AuditLine:
    """An entry as a person reads it."""

    entry: AuditEntry
    staff_name: str | None
    ticket_code: str | None
    site_slug: str | None
    site_name: str | None
    zone: str  # the entry's site's time zone, or the page's for site-less entries
    sentence: str
    local_time: str


@dataclass(frozen=True)
class AuditPage:
    lines: list[AuditLine]
    next_before: int | None  # older entries: ?before=next_before
    newer_after: int | None  # newer entries: ?after=newer_after
    zone: str  # the page's time zone: the site's, or the reader's first site's


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
            "origin": origin,
        },
    )


def read(session: Session, reader: Staff, query: AuditQuery) -> AuditPage:
    """A page of entries, newest first, each with its names, local time and sentence; admins
    only, and only what their sites show (see _visible). In at most three statements however
    long the page: the entries with their staff, ticket and site joined, and the colleagues
    their details name."""
    if not may_read_audit(reader.role):
        raise Forbidden("Only administrators can read the audit log.", code="not_allowed")
    site = None
    if query.site_slug is not None:
        site = repositories.site_by_slug(session, query.site_slug)
        if not reader.works_at(site):
            raise Forbidden("You do not work at this site.", code="not_your_site")
    home = site.timezone if site else _home_zone(reader)
    newer = query.after_id is not None
    rows = session.execute(
        _filtered(_visible(_PAGE, reader, site), query, reader, site, home)
        .order_by(AuditEntry.id.asc() if newer else AuditEntry.id.desc())
        .limit(query.limit + 1)
    ).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    if newer:
        rows.reverse()
    lines = _lines(session, rows, home)
    first, last = (lines[0].entry.id, lines[-1].entry.id) if lines else (None, None)
    return AuditPage(
        lines,
        next_before=last if (more and not newer) or (newer and lines) else None,
        newer_after=first if (more and newer) or query.before_id is not None else None,
        zone=home,
    )


_PAGE = (
    select(AuditEntry, Staff.name, Ticket.code, Site.slug, Site.name, Site.timezone)
    .outerjoin(Staff, Staff.id == AuditEntry.staff_id)
    .outerjoin(Ticket, Ticket.id == AuditEntry.ticket_id)
    .outerjoin(Site, Site.id == AuditEntry.site_id)
)


# The account a site-less entry is about: the one an administrator invited, changed or reset
# (its id in the detail), else the entry's own staff (who signed in, whose password was set).
_SUBJECT = func.coalesce(AuditEntry.detail["staff_id"].as_integer(), AuditEntry.staff_id)


def _visible(query: Select, reader: Staff, site: Site | None) -> Select:
    if site is not None:
        return query.where(AuditEntry.site_id == site.id)
    # Even an administrator sees only their own sites. A site-less entry (staff
    # administration, sign-ins) is shown only to an administrator of every site its account
    # works at now: an account at north and south is not north's alone to read about.
    mine = [s.id for s in reader.sites]
    colleagues = select(staff_sites.c.staff_id).where(staff_sites.c.site_id.in_(mine))
    elsewhere = exists().where(
        staff_sites.c.staff_id == _SUBJECT, staff_sites.c.site_id.not_in(mine)
    )
    # `site_id + 0`: not through the site index, whose OR of three lookups had every visible
    # entry sorted for each page; newest first along the primary key, a page stops early.
    site_id = AuditEntry.site_id + 0
    return query.where(
        or_(
            site_id.in_(mine),
            and_(site_id.is_(None), _SUBJECT.in_(colleagues), ~elsewhere),
            # Failed sign-ins for an e-mail nobody has belong to no site: every admin
            # sees them, or a guesser's trail would be nobody's to read.
            and_(
                site_id.is_(None),
                AuditEntry.staff_id.is_(None),
                AuditEntry.action == AuditAction.SIGN_IN_FAILED.value,
            ),
        )
    )


def _filtered(
    query: Select, asked: AuditQuery, reader: Staff, site: Site | None, home: str
) -> Select:
    if asked.ticket_id is not None:
        query = query.where(AuditEntry.ticket_id == asked.ticket_id)
    if asked.ticket_code is not None:
        query = query.where(Ticket.code == asked.ticket_code)
    # A person: what they did, and what was done to them or their account (invited, reset,
    # deactivated, handed a visit, their shift ended by the system).
    if asked.staff_id is not None:
        named = [AuditEntry.detail[k].as_integer() == asked.staff_id for k in NAMED_IN_DETAIL]
        query = query.where(or_(AuditEntry.staff_id == asked.staff_id, *named))
    if asked.staff_email is not None:
        typed = asked.staff_email.strip().lower()  # a failed sign-in keeps what was typed
        about = [_typed(AuditEntry.detail[k].as_string()) == typed for k in _EMAIL_IN_DETAIL]
        query = query.where(or_(AuditEntry.staff_email == asked.staff_email, *about))
    if asked.action is not None:
        query = query.where(AuditEntry.action == asked.action.value)
    if asked.before_id is not None:
        query = query.where(AuditEntry.id < asked.before_id)
    if asked.after_id is not None:
        query = query.where(AuditEntry.id > asked.after_id)
    if asked.date_from is None and asked.date_to is None:
        return query
    # Local dates: each site's entries by its own clock, site-less ones by the home zone.
    zones: dict[str, list[int]] = {}
    for s in [site] if site is not None else reader.sites:
        zones.setdefault(s.timezone, []).append(s.id)
    spans = [
        and_(AuditEntry.site_id.in_(ids), *_between(asked, zone)) for zone, ids in zones.items()
    ]
    if site is None:
        spans.append(and_(AuditEntry.site_id.is_(None), *_between(asked, home)))
    return query.where(or_(*spans))


def _between(asked: AuditQuery, zone: str) -> list[ColumnElement[bool]]:
    bounds = []
    if asked.date_from is not None:
        bounds.append(AuditEntry.at >= _midnight(asked.date_from, zone))
    if asked.date_to is not None:
        bounds.append(AuditEntry.at < _midnight(asked.date_to + timedelta(days=1), zone))
    return bounds


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(zone)).astimezone(UTC)


def _home_zone(reader: Staff) -> str:
    """Site-less entries (sign-ins, staff administration) are read in the reader's first
    site's zone: where they work, rather than UTC nobody works in."""
    first = min(reader.sites, key=lambda s: s.id, default=None)
    return first.timezone if first is not None else "UTC"


def _lines(session: Session, rows: Sequence[Row], home: str) -> list[AuditLine]:
    named = {e.staff_id: name for e, name, *_ in rows if e.staff_id is not None and name}
    wanted = {
        v
        for e, *_ in rows
        for k in NAMED_IN_DETAIL
        if isinstance(v := (e.detail or {}).get(k), int) and v not in named
    }
    if wanted:
        found = session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))
        named.update((i, n) for i, n in found)
    lines = []
    for entry, staff_name, code, slug, site_name, zone in rows:
        zone = zone or home
        facts = EntryFacts(
            action=entry.action,
            actor=entry.actor,
            staff_id=entry.staff_id,
            staff_name=staff_name,
            staff_email=entry.staff_email,
            ticket_code=code,
            detail=entry.detail or {},
            names=named,
        )
        said = sentence(facts)
        when = local_time(entry.at, zone)
        lines.append(AuditLine(entry, staff_name, code, slug, site_name, zone, said, when))
    return lines


def system(
    session: Session,
    action: AuditAction,
    *,
    reason: AuditReason,
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


def people(session: Session, reader: Staff, site_slug: str | None = None) -> list[Staff]:
    """Who the reader may filter the log by: everyone at their sites (or at that one)."""
    ids = [s.id for s in reader.sites if site_slug is None or s.slug == site_slug]
    return list(
        session.scalars(
            select(Staff)
            .where(
                Staff.id.in_(select(staff_sites.c.staff_id).where(staff_sites.c.site_id.in_(ids)))
            )
            .order_by(Staff.name, Staff.id)
        )
    )
