"""Queries the services share. The queue order here is domain.ordering's, written in SQL.

The statements on the hot paths (check-in, call-next, sign-in lookup) are built once, with
bound parameters: SQLAlchemy caches their compiled SQL, and building a statement object
costs more than running it on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, false, func, or_, select, true, tuple_, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.errors import NotFound
from ..domain.lifecycle import BUSY_STATUSES, OPEN_STATUSES, Status
from ..domain.ordering import QueuedTicket
from ..models import (
    DailyCounter,
    DutyShift,
    Site,
    Staff,
    StaffToken,
    Ticket,
    TicketNote,
    staff_sites,
)

QUEUE_ORDER = (Ticket.urgent.desc(), Ticket.queued_at, Ticket.id)
RECENT_VISITS = 20
RECENT_DAYS = 14
CALL_WINDOW = 16
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # secrets.token_urlsafe's alphabet
MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER on PostgreSQL

_WAITING_AT_SITE = (Ticket.site_id == bindparam("site_id"), Ticket.status == Status.WAITING)
_QUEUED_COLUMNS = (Ticket.id, Ticket.urgent, Ticket.queued_at, Ticket.language)

_SITE_BY_SLUG = select(Site).where(Site.slug == bindparam("slug"))
_TICKET_BY_TOKEN = select(Ticket).where(Ticket.token == bindparam("token"))
_COUNT_WAITING = select(func.count()).select_from(Ticket).where(*_WAITING_AT_SITE)
# A place in line is counted along ix_ticket_queue, never by testing every waiting row
# against an OR (that cost grew with the line: 0.6 ms per check-in at 6,000 waiting).
_KEY = tuple_(Ticket.queued_at, Ticket.id)
_HERE = tuple_(
    bindparam("queued_at", type_=Ticket.queued_at.type), bindparam("id", type_=Ticket.id.type)
)
# Urgent people are few: count the ones who came earlier.
_AHEAD_OF_URGENT = _COUNT_WAITING.where(Ticket.urgent == true(), _KEY < _HERE)
# Everyone else: all who wait, less those who came later. For a check-in, the busiest
# case, nobody came later, and one count of the index range is all it costs.
_PLACE_OF_OTHERS = select(
    _COUNT_WAITING.scalar_subquery()
    - _COUNT_WAITING.where(Ticket.urgent == false(), _KEY > _HERE).scalar_subquery()
)
# A call-back whose last try failed is not offered again before its next try is due.
_DUE = or_(Ticket.next_try_at.is_(None), Ticket.next_try_at <= bindparam("now"))
_HEAD_OF_LINE = (
    select(*_QUEUED_COLUMNS)
    .where(*_WAITING_AT_SITE, _DUE)
    .order_by(*QUEUE_ORDER)
    .limit(CALL_WINDOW)
)
_HEAD_IN_LANGUAGES = (
    select(*_QUEUED_COLUMNS)
    .where(*_WAITING_AT_SITE, _DUE, Ticket.language.in_(bindparam("languages", expanding=True)))
    .order_by(*QUEUE_ORDER)
    .limit(CALL_WINDOW)
)
_CALL_CANDIDATES = union_all(
    _HEAD_OF_LINE.subquery().select(), _HEAD_IN_LANGUAGES.subquery().select()
)
# With whether the ticket has notes, which the caller's StaffTicket shows: loaded after the
# commit they would cost a query and a second pool checkout; joined in, the eager loader's
# bookkeeping cost a twentieth of a call-next for the many people who have none.
_CLAIM_IF_WAITING = (
    select(Ticket, select(TicketNote.id).where(TicketNote.ticket_id == Ticket.id).exists())
    .where(Ticket.id == bindparam("id"), Ticket.status == Status.WAITING)
    .with_for_update(skip_locked=True, of=Ticket)
    .execution_options(populate_existing=True)
)
_OPEN_SHIFT = select(DutyShift).where(
    DutyShift.staff_id == bindparam("staff_id"), DutyShift.ended_at.is_(None)
)
_SHIFTS_AT_SITE = (DutyShift.site_id == bindparam("site_id"), DutyShift.ended_at.is_(None))
_LANGUAGES_ON_DUTY = (
    select(Staff.languages)
    .join(DutyShift, DutyShift.staff_id == Staff.id)
    .where(*_SHIFTS_AT_SITE, Staff.id != bindparam("besides"))
)
_DUTY_AND_BUSY = select(
    select(func.count()).select_from(DutyShift).where(*_SHIFTS_AT_SITE).scalar_subquery(),
    select(func.count())
    .select_from(Ticket)
    .where(Ticket.site_id == bindparam("site_id"), Ticket.status.in_(list(BUSY_STATUSES)))
    .scalar_subquery(),
)
# The office's status needs all three: one statement instead of two.
_DUTY_BUSY_AND_WAITING = _DUTY_AND_BUSY.add_columns(_COUNT_WAITING.scalar_subquery())
_RECENT_VISITS = (
    select(Ticket.called_at, Ticket.completed_at)
    .where(
        Ticket.site_id == bindparam("site_id"),
        Ticket.status == Status.COMPLETED,
        Ticket.completed_at >= bindparam("since"),
        Ticket.called_at.is_not(None),
    )
    .order_by(Ticket.completed_at.desc())
    .limit(RECENT_VISITS)
)


def _counter_upsert(dialect: str):  # type: ignore[no-untyped-def]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(DailyCounter)
        .values(site_id=bindparam("site_id"), service_day=bindparam("day"), last_number=1)
        .on_conflict_do_update(
            index_elements=[DailyCounter.site_id, DailyCounter.service_day],
            set_={"last_number": DailyCounter.last_number + 1},
        )
        .returning(DailyCounter.last_number)
    )


_COUNTER_UPSERT = {name: _counter_upsert(name) for name in ("sqlite", "postgresql")}


def site_by_slug(session: Session, slug: str) -> Site:
    site = session.scalar(_SITE_BY_SLUG, {"slug": slug}) if SLUG.match(slug or "") else None
    if site is None:
        raise NotFound(f"There is no site called {slug!r}.", code="site_not_found")
    return site


def ticket_by_token(session: Session, token: str) -> Ticket:
    well_formed = bool(TOKEN.match(token or ""))
    ticket = session.scalar(_TICKET_BY_TOKEN, {"token": token}) if well_formed else None
    if ticket is None:
        raise NotFound("We could not find that ticket.", code="ticket_not_found")
    return ticket


def next_ticket_number(session: Session, site_id: int, day: date) -> int:
    """Atomically take the next number of the site's day (the row lock serialises check-ins).

    The day's first number follows any ticket an earlier day left open (an office open
    through midnight), so no two people in the line ever share a code.
    """
    statement = _COUNTER_UPSERT[session.get_bind().dialect.name]
    number = session.execute(statement, {"site_id": site_id, "day": day}).scalar_one()
    if number == 1:
        carried = highest_open_number_before(session, site_id, day)
        if carried:
            number = carried + 1
            session.execute(
                update(DailyCounter)
                .where(DailyCounter.site_id == site_id, DailyCounter.service_day == day)
                .values(last_number=number)
            )
    return number


def position(session: Session, ticket: Ticket) -> int | None:
    """1 for the next person to be called; None when the ticket is not waiting."""
    if ticket.status != Status.WAITING:
        return None
    params = {"site_id": ticket.site_id, "queued_at": ticket.queued_at, "id": ticket.id}
    if ticket.urgent:
        return int(session.scalar(_AHEAD_OF_URGENT, params) or 0) + 1
    return int(session.scalar(_PLACE_OF_OTHERS, params) or 0)


def call_candidates(
    session: Session, site_id: int, languages: Iterable[str], now: datetime
) -> list[QueuedTicket]:
    """The waiting tickets the call-next rule can choose from, without reading the whole line.

    The rule (domain.assignment) only ever picks the head of the line or the longest-waiting
    person in one of the manager's languages, so the first CALL_WINDOW of each suffice; the
    rest of each window is there for a manager who loses a race for the first choice.
    """
    found = session.execute(
        _CALL_CANDIDATES, {"site_id": site_id, "languages": list(languages), "now": now}
    )
    rows = {r[0]: r for r in found}
    return [
        QueuedTicket(id=r[0], urgent=r[1], queued_at=r[2], language=r[3]) for r in rows.values()
    ]


def count_open(session: Session, site_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.site_id == site_id, Ticket.status.in_(list(OPEN_STATUSES)))
        )
        or 0
    )


def count_waiting(session: Session, site_id: int) -> int:
    return int(session.scalar(_COUNT_WAITING, {"site_id": site_id}) or 0)


def languages_on_duty(session: Session, site_id: int, *, besides: int) -> set[str]:
    """The languages spoken by the other case managers on duty at the site."""
    rows = session.scalars(_LANGUAGES_ON_DUTY, {"site_id": site_id, "besides": besides})
    return {language for languages in rows for language in languages or ()}


def open_tickets(session: Session, site_id: int) -> list[Ticket]:
    """With their notes, which every StaffTicket shows: one more query, not one per ticket."""
    return list(
        session.scalars(
            select(Ticket)
            .options(selectinload(Ticket.notes))
            .where(Ticket.site_id == site_id, Ticket.status.in_(list(OPEN_STATUSES)))
            .order_by(*QUEUE_ORDER)
        )
    )


def waiting_ids_in_order(session: Session, site_id: int) -> list[int]:
    """Everyone waiting at a site, in the order they will be served."""
    return list(
        session.scalars(
            select(Ticket.id)
            .where(Ticket.site_id == site_id, Ticket.status == Status.WAITING)
            .order_by(*QUEUE_ORDER)
        )
    )


def tickets_by_tokens(session: Session, tokens: list[str]) -> list[Ticket]:
    if not tokens:
        return []
    return list(session.scalars(select(Ticket).where(Ticket.token.in_(tokens))))


def ticket_by_id(session: Session, ticket_id: object) -> Ticket:
    in_range = isinstance(ticket_id, int) and 0 < ticket_id <= MAX_ID
    ticket = session.get(Ticket, ticket_id) if in_range else None
    if ticket is None:
        raise NotFound("There is no such ticket.", code="ticket_not_found")
    return ticket


_TICKET_FOR_UPDATE = (
    select(Ticket)
    .where(Ticket.id == bindparam("id"))
    .with_for_update(of=Ticket)
    .execution_options(populate_existing=True)
)


def ticket_for_update(session: Session, ticket_id: object) -> Ticket:
    """The ticket, locked until the commit (PostgreSQL; SQLite's write lock already is) and
    read afresh: two managers acting on one person at once queue up instead of one of them
    meeting a stale row halfway through."""
    in_range = isinstance(ticket_id, int) and 0 < ticket_id <= MAX_ID
    ticket = session.scalar(_TICKET_FOR_UPDATE, {"id": ticket_id}) if in_range else None
    if ticket is None:
        raise NotFound("There is no such ticket.", code="ticket_not_found")
    return ticket


def ticket_called_with(session: Session, staff_id: int, call_key: str) -> Ticket | None:
    """The person this manager's earlier "call next" with the same key claimed, if still called."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.assigned_staff_id == staff_id,
            Ticket.call_key == call_key,
            Ticket.status == Status.CALLED,
        )
        .order_by(Ticket.called_at.desc())
        .limit(1)
    )


def claim_if_waiting(session: Session, ticket_id: int) -> Ticket | None:
    """Lock the ticket if it is still waiting; a ticket another manager holds is skipped."""
    row = session.execute(_CLAIM_IF_WAITING, {"id": ticket_id}).one_or_none()
    if row is None:
        return None
    ticket, has_notes = row
    if has_notes:
        session.refresh(ticket, ["notes"])  # someone requeued after a note: rare
    else:
        set_committed_value(ticket, "notes", [])
    return ticket


def open_shift(session: Session, staff_id: int) -> DutyShift | None:
    return session.scalar(_OPEN_SHIFT, {"staff_id": staff_id})


def on_duty(session: Session, site_id: int) -> list[DutyShift]:
    return list(
        session.scalars(
            select(DutyShift)
            .where(DutyShift.site_id == site_id, DutyShift.ended_at.is_(None))
            .order_by(DutyShift.started_at)
        )
    )


def duty_and_busy(session: Session, site_id: int) -> tuple[int, int]:
    """Case managers on duty at the site, and people with a manager right now."""
    on_duty_count, busy = session.execute(_DUTY_AND_BUSY, {"site_id": site_id}).one()
    return int(on_duty_count or 0), int(busy or 0)


def duty_busy_and_waiting(session: Session, site_id: int) -> tuple[int, int, int]:
    """duty_and_busy, and count_waiting, read together."""
    on_duty_count, busy, waiting = session.execute(
        _DUTY_BUSY_AND_WAITING, {"site_id": site_id}
    ).one()
    return int(on_duty_count or 0), int(busy or 0), int(waiting or 0)


def recent_visit_minutes(session: Session, site_id: int, now: datetime) -> list[float]:
    """Lengths of the site's last visits, from being called to being done."""
    rows = session.execute(
        _RECENT_VISITS, {"site_id": site_id, "since": now - timedelta(days=RECENT_DAYS)}
    )
    return [(done - called).total_seconds() / 60 for called, done in rows]


def busy_with(session: Session, staff_id: int) -> bool:
    """Whether the manager has someone called or in session with them now."""
    return (
        session.scalar(
            select(Ticket.id)
            .where(
                Ticket.assigned_staff_id == staff_id,
                Ticket.status.in_(list(BUSY_STATUSES)),
            )
            .limit(1)
        )
        is not None
    )


def free_on_duty(session: Session, site_id: int, besides: int) -> bool:
    """Whether a manager on duty at the site, other than `besides`, has nobody at their desk."""
    busy = (
        select(Ticket.id)
        .where(
            Ticket.assigned_staff_id == DutyShift.staff_id,
            Ticket.status.in_(list(BUSY_STATUSES)),
        )
        .exists()
    )
    return (
        session.scalar(
            select(DutyShift.id)
            .where(*_open_at_site(site_id), DutyShift.staff_id != besides, ~busy)
            .limit(1)
        )
        is not None
    )


def _open_at_site(site_id: int) -> tuple:
    return (DutyShift.site_id == site_id, DutyShift.ended_at.is_(None))


def signed_in(session: Session, staff_id: int, now: datetime) -> bool:
    """Whether the staff member holds a live sign-in (a console session or an API token)."""
    return (
        session.scalar(
            select(StaffToken.id)
            .where(
                StaffToken.staff_id == staff_id,
                StaffToken.revoked_at.is_(None),
                StaffToken.expires_at > now,
            )
            .limit(1)
        )
        is not None
    )


def highest_open_number_before(session: Session, site_id: int, day: date) -> int:
    """The highest ticket number still open from an earlier day (the office stayed open
    through midnight), so today's codes continue after it instead of repeating it."""
    return int(
        session.scalar(
            select(func.max(Ticket.number)).where(
                Ticket.site_id == site_id,
                Ticket.service_day < day,
                Ticket.status.in_(list(OPEN_STATUSES)),
            )
        )
        or 0
    )


def staff_by_email(session: Session, email: str) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.email == email.strip().lower()))


def staff_at_site(session: Session, site_id: int) -> list[Staff]:
    return list(
        session.scalars(
            select(Staff)
            .join(staff_sites, staff_sites.c.staff_id == Staff.id)
            .where(staff_sites.c.site_id == site_id)
            .order_by(Staff.name)
        )
    )
