"""Returning visitors and critical-need cases in a demo history.

A few people come back again and again for a while (the console's repeat flag:
domain.visitors.RepeatRule); some of them get a critical-need case at a visit, reviewed
about every 30 days and closed after three to six months with a destination (extended past
90 days when it runs longer; domain.cases' dates throughout); the newest are still open.
Many others are recognised at one visit (they typed a number) and never come back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from queue_service.domain import cases as rules
from queue_service.domain.cases import CaseEventKind, CaseStatus, Destination, GoalStatus
from queue_service.domain.lifecycle import Outcome
from queue_service.domain.visitors import RepeatRule

from .demo_people import Visit, pick
from .demo_sites import Office

ONE_OFF = 0.2  # visits by someone recognised once, who never comes back
OPENS_CASE = 0.4  # of the people the repeat rule flags
DESTINATION_SHARES = (15, 20, 20, 20, 8, 10, 7)  # in the order of domain.cases.Destination
DESTINATIONS = tuple((d.value, w) for d, w in zip(Destination, DESTINATION_SHARES, strict=True))
GOALS = {
    "housing": "Submit a housing application", "food": "Enrol in SNAP",
    "benefits": "Complete the benefits renewal", "health": "See a primary care provider",
    "legal": "Meet a legal aid attorney", "transport": "Get a reduced-fare pass",
    "talk": "Connect with a peer support group", "other": "Make a plan for the next month",
}  # fmt: skip
GOALS_AT_CLOSE = ((GoalStatus.MET.value, 55), (GoalStatus.NOT_MET.value, 20),
                  (GoalStatus.DROPPED.value, 10), (GoalStatus.IN_PROGRESS.value, 15))  # fmt: skip
GOALS_OPEN = ((GoalStatus.IN_PROGRESS.value, 70), (GoalStatus.NOT_STARTED.value, 30))
RETURNING_NEEDS = (("housing", 40), ("benefits", 25), ("food", 15), ("health", 12), ("talk", 8))
SERVED = frozenset({"resolved", "referred", "follow_up", "other"})


@dataclass
class Regular:
    key: int
    until: date
    rate: float  # chance of a visit on each working day
    language: str
    needs: list[str]


@dataclass
class Regulars:
    """A site's returning people: a visitor key per person (ids come when written)."""

    rng: random.Random
    office: Office
    active: list[Regular] = field(default_factory=list)
    keys: int = 0
    regular_keys: set[int] = field(default_factory=set)

    def _key(self) -> int:
        self.keys += 1
        return self.keys

    def visit(self, day: date, visits: list[Visit]) -> None:
        """Today's visits by returning people, and those recognised once."""
        rng = self.rng
        self.active = [r for r in self.active if r.until >= day]
        expected = self.office.size * 0.009
        for _ in range(int(expected) + (rng.random() < expected % 1)):
            key = self._key()
            self.regular_keys.add(key)
            needs = sorted({pick(rng, RETURNING_NEEDS) for _ in range(2)})
            until = day + timedelta(days=rng.randint(20, 150))
            language = pick(rng, self.office.languages)
            self.active.append(Regular(key, until, rng.uniform(0.12, 0.35), language, needs))
        coming = [r for r in self.active if rng.random() < r.rate]
        slots = rng.sample(range(len(visits)), min(len(coming), len(visits)))
        for regular, slot in zip(coming, slots, strict=False):
            visit = visits[slot]
            visit.visitor, visit.language = regular.key, regular.language
            visit.needs = regular.needs
        for visit in visits:
            if visit.visitor is None and rng.random() < ONE_OFF:
                visit.visitor = self._key()


def visitor_rows(tickets: list[dict[str, Any]], keys: list[int | None]) -> dict[int, dict]:
    """Each visitor: created at their first visit, last seen at their latest."""
    found: dict[int, dict[str, Any]] = {}
    for ticket, key in zip(tickets, keys, strict=True):
        if key is None:
            continue
        row = found.setdefault(key, {"created_at": ticket["created_at"], "last_visit_at": None})
        row["created_at"] = min(row["created_at"], ticket["created_at"])
        row["last_visit_at"] = max(row["last_visit_at"] or row["created_at"], ticket["created_at"])
    return found


@dataclass
class Case:
    visitor: int
    row: dict[str, Any]
    goals: list[dict[str, Any]]
    events: list[dict[str, Any]]


def open_cases(
    rng: random.Random,
    regulars: Regulars,
    tickets: list[dict[str, Any]],
    keys: list[int | None],
    zone: ZoneInfo,
    now: datetime,
    retention_days: int,
) -> list[Case]:
    """Cases for some of the people the repeat rule flags, opened at a visit where they
    were seen (that visit's outcome becomes case_opened)."""
    rule = RepeatRule()
    by_person: dict[int, list[dict[str, Any]]] = {}
    for ticket, key in zip(tickets, keys, strict=True):
        if key in regulars.regular_keys:
            by_person.setdefault(key, []).append(ticket)
    today = now.astimezone(zone).date()
    found = []
    for key, visits in by_person.items():
        if rng.random() >= OPENS_CASE:
            continue
        visits.sort(key=lambda t: t["created_at"])
        days: list[date] = []
        for ticket in visits:
            if not days or days[-1] != ticket["service_day"]:
                days.append(ticket["service_day"])
            recent = [d for d in days if d >= rule.window_start(ticket["service_day"])]
            if rule.met_by(len(recent), 0) and ticket["outcome"] in SERVED:
                ticket["outcome"] = Outcome.CASE_OPENED.value
                found.append(_case(rng, key, ticket, zone, today, now, retention_days))
                break
    return found


def _at(day: date, zone: ZoneInfo, rng: random.Random) -> datetime:
    clock = time(rng.randint(10, 15), rng.randint(0, 59))
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _case(
    rng: random.Random,
    key: int,
    visit: dict[str, Any],
    zone: ZoneInfo,
    today: date,
    now: datetime,
    retention_days: int,
) -> Case:
    manager, opened_at = visit["assigned_staff_id"], visit["completed_at"]
    dates = rules.dates_at_opening(visit["service_day"])
    opened_on, target = dates.opened_on, dates.target_end_on
    closes_on = opened_on + timedelta(days=rng.randint(90, 180))
    opened = {"assigned_to": manager, "goals": len(visit["needs"]) or 1}
    events = [_event(CaseEventKind.OPENED, manager, opened_at, opened)]
    extended: tuple[date, date] | None = None
    if closes_on > target:  # running longer than 90 days: extended before the target end
        on = opened_on + timedelta(days=rng.randint(75, 80))
        longer = min(rules.latest_end(opened_on), closes_on + timedelta(days=rng.randint(0, 14)))
        if on < today:
            moved = {"from": target.isoformat(), "until": longer.isoformat()}
            events.append(_event(CaseEventKind.EXTENDED, manager, _at(on, zone, rng), moved))
            extended = (on, longer)
    review = dates.next_review_on
    while review is not None and review < min(closes_on, today):
        done = review + timedelta(days=rng.choice((0, 0, 1, 2, 3)))
        if done >= min(closes_on, today) or ((today - done).days < 14 and rng.random() < 0.2):
            break  # not done yet: due, or overdue
        if extended and extended[0] <= done:
            target = extended[1]
        review = rules.next_review(done, target)
        due = {"next_review_on": review.isoformat() if review else None}
        events.append(_event(CaseEventKind.REVIEWED, manager, _at(done, zone, rng), due))
    if extended:
        target = extended[1]
        if review is None and not closes_on < today:  # reviews had stopped at the old end
            review = rules.next_review(extended[0], target)
    events.sort(key=lambda e: e["at"])
    closed = closes_on < today
    row = {
        "visitor_id": None, "site_id": visit["site_id"], "assigned_staff_id": manager,
        "opened_by_id": manager, "status": (CaseStatus.CLOSED if closed else CaseStatus.OPEN).value,
        "needs": visit["needs"] or ["other"], "opened_on": opened_on, "target_end_on": target,
        "next_review_on": None if closed else review, "closed_on": None, "destination": None,
        "close_note": None, "consent_shared_with": None, "consent_at": None,
        "consent_by_id": None, "opened_at": opened_at, "closed_at": None,
    }  # fmt: skip
    if closed:
        at = _at(closes_on, zone, rng)
        destination = pick(rng, DESTINATIONS)
        row.update(closed_on=closes_on, closed_at=at, destination=destination)
        events.append(_event(CaseEventKind.CLOSED, manager, at, {"destination": destination}))
    row["updated_at"], row["version"] = events[-1]["at"], len(events)
    # The retention purge has taken a closed case's words once its period ran from the close.
    purged = closed and row["closed_at"] < now - timedelta(days=retention_days)
    goals = [
        {"text": "" if purged else GOALS[need], "created_at": opened_at,
         "updated_at": events[-1]["at"], "status": _goal_status(rng, closed)}
        for need in (visit["needs"] or ["other"])
    ]  # fmt: skip
    return Case(key, row, goals, events)


def _goal_status(rng: random.Random, closed: bool) -> str:
    return pick(rng, GOALS_AT_CLOSE if closed else GOALS_OPEN)


def _event(kind: CaseEventKind, staff: int, at: datetime, detail: dict[str, Any]) -> dict:
    return {"case_id": None, "kind": kind.value, "staff_id": staff, "at": at, "note": None,
            "private": False, "detail": detail}  # fmt: skip
