"""One site's demo history, made day by day (demo_people, demo_day, demo_rows, demo_cases)
and written in the caller's transaction in bulk (demo_bulk), a few thousand rows a
statement: visitors, tickets, their history and texts, the day counters, duty shifts and
cases. Nothing is written as ORM objects one by one (a year at thirty sites is some
350,000 visits)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_service.domain.hours import (
    END_OF_DAY,
    WeeklyHours,
    closures_to_json,
    parse_closures,
    parse_spec,
)
from queue_service.models import (
    CaseEvent,
    CaseGoal,
    CriticalNeedCase,
    DailyCounter,
    DutyShift,
    Message,
    Site,
    SiteHours,
    Ticket,
    TicketEvent,
    Visitor,
)

from .demo_bulk import insert_rows
from .demo_cases import Regulars, open_cases, visitor_rows
from .demo_day import MIDNIGHT, Line, Manager
from .demo_people import Visit, arrivals, duty, volume
from .demo_rows import Context, DayClock, ticket_rows
from .demo_sites import Office

Spans = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Staffing:
    managers: Sequence[tuple[int, frozenset[str]]]  # id and languages, desk by position
    lead_id: int | None


def set_up_past(
    session: Session,
    site_id: int,
    since: datetime,
    closures: list[dict[str, str]],
    later: tuple[datetime, str] | None = None,
) -> None:
    """The site as it was: made at `since`, before its history, with its closures (the
    holidays) in every version of its hours; with `later`, its hours changed at that moment
    to that SPEC, which are its hours today."""
    site = session.get(Site, site_id)
    assert site is not None
    closures = closures_to_json(parse_closures(closures))
    site.created_at, site.closures = since, closures
    first = session.scalars(
        select(SiteHours).where(SiteHours.site_id == site_id).order_by(SiteHours.from_at)
    ).first()
    assert first is not None  # services.sites.create_site writes it
    first.from_at, first.closures = since, closures
    if later is not None:
        at, spec = later
        weekly = parse_spec(spec).to_json()
        session.add(
            SiteHours(site_id=site_id, from_at=at, timezone=site.timezone,
                      business_hours=weekly, closures=closures)
        )  # fmt: skip
        site.business_hours = weekly
    session.flush()


def spans_of(weekly: WeeklyHours, day: date) -> Spans:
    """The day's open spans in seconds after local midnight."""

    def seconds(clock: time) -> float:
        return MIDNIGHT if clock == END_OF_DAY else clock.hour * 3600.0 + clock.minute * 60.0

    return tuple((seconds(a), seconds(b)) for a, b in weekly.spans_on(day.weekday()))


def write_history(
    session: Session,
    site_id: int,
    office: Office,
    staffing: Staffing,
    days: Sequence[tuple[date, Spans, bool]],
    *,
    zone: ZoneInfo,
    now: datetime,
    rng: random.Random,
    always_open: bool,
    retention_days: int,
) -> dict[str, int]:
    """`days`: each working day, its open spans, and whether the office was shut the day
    before it (a holiday: the next day is busier). Returns the rows written, by table."""
    desks = {staff_id: str(n + 1) for n, (staff_id, _) in enumerate(staffing.managers)}
    regulars = Regulars(rng, office)
    tickets: list[dict[str, Any]] = []
    keys: list[int | None] = []
    steps: list[list[dict[str, Any]]] = []
    texts: list[list[dict[str, Any]]] = []
    counters: list[dict[str, Any]] = []
    shifts: list[dict[str, Any]] = []
    first = days[0][0] if days else None
    for day, spans, after_closure in days:
        years = (day - first).days / 365 if first else 0.0
        count = volume(rng, office, day, spans, years)
        visits = arrivals(rng, office, spans, round(count * (1.15 if after_closure else 1)))
        regulars.visit(day, visits)
        plans = duty(rng, spans, len(staffing.managers))
        crew = [
            Manager(staff_id, languages, desks[staff_id], parts)
            for (staff_id, languages), parts in zip(staffing.managers, plans, strict=True)
        ]
        last_close = max([spans[-1][1], *(p[-1][1] for p in plans if p)])
        Line(rng, crew, always_open).run(visits, last_close)
        if not always_open:
            _left_open(rng, visits)
        clock = DayClock(day, zone)
        ctx = Context(site_id, day, clock, desks, staffing.lead_id, now)
        for visit in visits:
            ticket, history, sent = ticket_rows(visit, ctx, rng)
            tickets.append(ticket)
            keys.append(visit.visitor)
            steps.append(history)
            texts.append(sent)
        if visits:
            counters.append({"site_id": site_id, "service_day": day, "last_number": len(visits)})
        shifts += [
            {"staff_id": m.id, "site_id": site_id, "desk": m.desk,
             "started_at": clock.at(a), "ended_at": clock.at(b)}
            for m in crew for a, b in m.parts
        ]  # fmt: skip
    cases = open_cases(rng, regulars, tickets, keys, zone, now, retention_days)

    visitors = visitor_rows(tickets, keys)
    ids = dict(zip(visitors, insert_rows(session, Visitor, list(visitors.values())), strict=True))
    for ticket, key in zip(tickets, keys, strict=True):
        ticket["visitor_id"] = ids.get(key) if key is not None else None
    ticket_ids = insert_rows(session, Ticket, tickets)
    insert_rows(session, TicketEvent, _owned(ticket_ids, steps, "ticket_id"), returning=False)
    insert_rows(session, Message, _owned(ticket_ids, texts, "ticket_id"), returning=False)
    insert_rows(session, DailyCounter, counters, returning=False)
    insert_rows(session, DutyShift, shifts, returning=False)
    for case in cases:
        case.row["visitor_id"] = ids[case.visitor]
    case_ids = insert_rows(session, CriticalNeedCase, [c.row for c in cases])
    goals = _owned(case_ids, [c.goals for c in cases], "case_id")
    insert_rows(session, CaseGoal, goals, returning=False)
    insert_rows(session, CaseEvent, _owned(case_ids, [c.events for c in cases], "case_id"), False)
    return {
        "tickets": len(tickets),
        "ticket_events": sum(map(len, steps)),
        "messages": sum(map(len, texts)),
        "visitors": len(visitors),
        "duty_shifts": len(shifts),
        "cases": len(cases),
    }


def _left_open(rng: random.Random, visits: list[Visit]) -> None:
    """Now and then the day's last session is never completed (the close ends it at
    midnight, outcome not recorded), or a called person is never marked (a no-show by the
    close)."""
    if rng.random() < 0.02:
        done = [v for v in visits if v.steps[-1][0] == "complete" and v.steps[-2][0] == "start"]
        if done:
            visit = max(done, key=lambda v: v.steps[-1][1])
            visit.steps[-1] = ("day_closed", MIDNIGHT + rng.uniform(20, 59), None)
            visit.outcome = visit.referral = None
    if rng.random() < 0.02:
        shows = [v for v in visits if v.steps[-1][0] == "no_show"]
        if shows:
            visit = max(shows, key=lambda v: v.steps[-1][1])
            visit.steps[-1] = ("day_closed", MIDNIGHT + rng.uniform(20, 59), None)
            visit.end_reason = "day_closed"
            visit.texts = [t for t in visit.texts if t[0] != "no_show"]


def _owned(
    ids: Sequence[int], groups: Iterable[list[dict[str, Any]]], column: str
) -> list[dict[str, Any]]:
    rows = []
    for owner, group in zip(ids, groups, strict=True):
        for row in group:
            row[column] = owner
            rows.append(row)
    return rows
