"""The look-ups and locks the services' writes share: sites and tickets by their keys, the
day's numbers, the call-next candidates and claim, and who is on duty. The queue order here
is domain.ordering's, written in SQL (queue_reads counts along it; staff_queries finds staff).

The statements on the hot paths (check-in, call-next, sign-in lookup) are built once, with
bound parameters: SQLAlchemy caches their compiled SQL, and building a statement object
costs more than running it on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import bindparam, func, literal, or_, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.cases import CaseStatus
from ..domain.errors import NotFound
from ..domain.lifecycle import OPEN_STATUSES, Status
from ..domain.ordering import QueuedTicket
from ..models import CriticalNeedCase, DailyCounter, Site, Ticket, TicketNote

QUEUE_ORDER = (Ticket.urgent.desc(), Ticket.queued_at, Ticket.id)
CALL_WINDOW = 16
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # secrets.token_urlsafe's alphabet
MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER on PostgreSQL

# Shared with queue_reads, which counts the same people.
WAITING_AT_SITE = (Ticket.site_id == bindparam("site_id"), Ticket.status == Status.WAITING)
_QUEUED_COLUMNS = (Ticket.id, Ticket.urgent, Ticket.queued_at, Ticket.language)

_SITE_BY_SLUG = select(Site).where(Site.slug == bindparam("slug"))
_TICKET_BY_TOKEN = select(Ticket).where(Ticket.token == bindparam("token"))
# A call-back whose last try failed is not offered again before its next try is due.
_DUE = or_(Ticket.next_try_at.is_(None), Ticket.next_try_at <= bindparam("now"))
_HEAD_OF_LINE = (
    select(*_QUEUED_COLUMNS).where(*WAITING_AT_SITE, _DUE).order_by(*QUEUE_ORDER).limit(CALL_WINDOW)
)
_HEAD_IN_LANGUAGES = (
    select(*_QUEUED_COLUMNS)
    .where(*WAITING_AT_SITE, _DUE, Ticket.language.in_(bindparam("languages", expanding=True)))
    .order_by(*QUEUE_ORDER)
    .limit(CALL_WINDOW)
)
# People whose open critical-need case is this manager's: offered to them first
# (domain.assignment), read in the same statement as the rest. From the manager's few open
# cases to their visitors' tickets (ix_ticket_visitor_day): the coalesce()s keep the planner
# off ix_ticket_queue, which would scan the whole line for them.
_WITH_MY_CASE = (
    select(*_QUEUED_COLUMNS, literal(1).label("mine"))
    .select_from(CriticalNeedCase)
    .join(Ticket, Ticket.visitor_id == CriticalNeedCase.visitor_id)
    .where(
        CriticalNeedCase.assigned_staff_id == bindparam("staff_id"),
        CriticalNeedCase.status == CaseStatus.OPEN.value,
        CriticalNeedCase.site_id == bindparam("site_id"),
        func.coalesce(Ticket.site_id, 0) == bindparam("site_id"),
        func.coalesce(Ticket.status, "") == Status.WAITING.value,
        _DUE,
    )
)
_CALL_CANDIDATES = union_all(
    _HEAD_OF_LINE.add_columns(literal(0).label("mine")).subquery().select(),
    _HEAD_IN_LANGUAGES.add_columns(literal(0).label("mine")).subquery().select(),
    _WITH_MY_CASE,
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


def call_candidates(
    session: Session, site_id: int, languages: Iterable[str], now: datetime, staff_id: int = 0
) -> tuple[list[QueuedTicket], set[int]]:
    """The waiting tickets the call-next rule can choose from, without reading the whole line.

    The rule (domain.assignment) only ever picks the head of the line or the longest-waiting
    person in one of the manager's languages, so the first CALL_WINDOW of each suffice; the
    rest of each window is there for a manager who loses a race for the first choice.
    """
    params = {"site_id": site_id, "languages": list(languages), "now": now, "staff_id": staff_id}
    found = session.execute(_CALL_CANDIDATES, params).all()
    rows = {r[0]: r for r in found}
    tickets = [
        QueuedTicket(id=r[0], urgent=r[1], queued_at=r[2], language=r[3]) for r in rows.values()
    ]
    return tickets, {r[0] for r in found if r[4]}


def count_open(session: Session, site_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.site_id == site_id, Ticket.status.in_(list(OPEN_STATUSES)))
        )
        or 0
    )


def open_tickets(session: Session, site_id: int) -> list[Ticket]:
    """With their notes and texts, which every StaffTicket shows: two more queries, not two
    per ticket."""
    return list(
        session.scalars(
            select(Ticket)
            .options(selectinload(Ticket.notes), selectinload(Ticket.texts))
            .where(Ticket.site_id == site_id, Ticket.status.in_(list(OPEN_STATUSES)))
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
