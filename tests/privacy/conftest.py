"""Fixtures for the privacy tests: visits that really happened, through the services, at
chosen moments, each holding every kind of personal value Front Door keeps about a visitor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from queue_service.domain.lifecycle import Action, Outcome
from queue_service.models import AuditEntry, Staff, Ticket, TicketEvent, TicketNote
from queue_service.persistence.database import Database
from queue_service.services import checkins, queue, safety, visits
from queue_service.services.commands import MoveTicket

SECRET = "privacy-test-secret"
VISITOR_ADDRESS = "203.0.113.77"
STAFF_ADDRESS = "198.51.100.20"


@dataclass(frozen=True)
class Person:
    """What one visitor told the office, and what staff wrote about them: every value must be
    gone after the purge, and nothing else."""

    name: str
    phone: str
    detail: str
    note: str
    reason: str
    follow_up: str


def person(n: int) -> Person:
    return Person(
        name=f"Rosalind Quintero {n}",
        phone=f"+1617555{n:04d}",
        detail=f"Referred to Harbor Housing, ask for Dana, case {n}",
        note=f"Sleeps at her cousin's on Elm Street {n}",
        reason=f"Appointment with Dr Okafor at three {n}",
        follow_up=f"Called her sister back about it {n}",
    )


@dataclass
class Visits:
    database: Database
    manager: Staff
    lead: Staff
    made: int = 0
    visitor_address: str = VISITOR_ADDRESS
    staff_address: str = STAFF_ADDRESS

    def completed(self, closed_at: datetime, *, site: str = "north") -> tuple[int, Person]:
        """A walk-in called while someone urgent waited (with a reason), who then said they
        felt unsafe from their phone; seen, noted, referred; closed at `closed_at`."""
        who, start = self._next(), closed_at - timedelta(minutes=40)
        ticket_id = self._check_in(who, site, start, urgent=False)
        with self.database.session() as s:
            # Someone anonymous, urgent, seen at the same moment: nothing of theirs to purge.
            body = {"language": "en", "urgent": True}
            other = checkins.check_in(s, site, body, now=start).ticket.id
        self._move(MoveTicket(ticket_id, Action.CALL, reason=who.reason), start)
        with self.database.session() as s:
            token = s.get(Ticket, ticket_id).token
            safety.ask_for_help(s, token, origin=VISITOR_ADDRESS, now=start)
        self._move(MoveTicket(ticket_id, Action.START), start)
        with self.database.session() as s:
            visits.add_note(s, ticket_id, self.manager, who.note, origin=STAFF_ADDRESS, now=start)
        done = MoveTicket(ticket_id, Action.COMPLETE, Outcome.REFERRED, outcome_detail=who.detail)
        self._move(done, closed_at)
        for action in (Action.CALL, Action.START):
            self._move(MoveTicket(other, action), start)
        self._move(MoveTicket(other, Action.COMPLETE, Outcome.RESOLVED), closed_at)
        return ticket_id, who

    def _move(self, move: MoveTicket, at: datetime) -> None:
        with self.database.session() as s:
            queue.transition(s, self.manager, move, origin=STAFF_ADDRESS, now=at)

    def left_unseen(
        self,
        closed_at: datetime,
        *,
        site: str = "north",
        followed_up_after: timedelta | None = timedelta(hours=10),
    ) -> tuple[int, Person]:
        """An urgent walk-in who left the line themselves before anyone saw them, followed up
        by the site lead the next morning (or that long after; None: not yet)."""
        who = self._next()
        ticket_id = self._check_in(who, site, closed_at - timedelta(minutes=20))
        with self.database.session() as s:
            token = s.get(Ticket, ticket_id).token
            checkins.cancel_by_client(s, token, origin=VISITOR_ADDRESS, now=closed_at)
        if followed_up_after is not None:
            self.follow_up(ticket_id, who, closed_at + followed_up_after)
        return ticket_id, who

    def follow_up(self, ticket_id: int, who: Person, at: datetime) -> None:
        with self.database.session() as s:
            visits.follow_up(s, ticket_id, self.lead, who.follow_up, now=at)

    def waiting(self, at: datetime, *, site: str = "north") -> tuple[int, Person]:
        who = self._next()
        return self._check_in(who, site, at), who

    def _next(self) -> Person:
        self.made += 1
        return person(self.made)

    def _check_in(self, who: Person, site: str, at: datetime, *, urgent: bool = True) -> int:
        body = {
            "language": "pt",
            "name": who.name,
            "phone": who.phone,
            "needs": ["housing"],
            "sms_opt_in": True,
            "urgent": urgent,
        }
        with self.database.session() as s:
            result = checkins.check_in(
                s,
                site,
                body,
                idempotency_key=str(uuid.uuid4()),
                secret_key=SECRET,
                origin=VISITOR_ADDRESS,
                now=at,
            )
            return result.ticket.id


@pytest.fixture
def visits_at(world, north, south) -> Visits:  # type: ignore[no-untyped-def]
    manager = world.staff("cm@example.org", sites_=("north", "south"), on_duty_at="north")
    lead = world.staff("lead@example.org", sites_=("north", "south"), role="site_lead")
    return Visits(world.database, world.reload(manager), world.reload(lead))


@dataclass(frozen=True)
class Stored:
    """What the database holds about one visit."""

    ticket: Ticket
    notes: list[str]
    reasons: list[str]
    visitor_origins: list[str | None]
    staff_origins: list[str | None]


@pytest.fixture
def stored(database: Database):  # type: ignore[no-untyped-def]
    def read(ticket_id: int) -> Stored:
        with database.session() as s:
            entries = s.scalars(select(AuditEntry).where(AuditEntry.ticket_id == ticket_id)).all()
            return Stored(
                ticket=s.get(Ticket, ticket_id),
                notes=list(s.scalars(select(TicketNote.body).filter_by(ticket_id=ticket_id))),
                reasons=[
                    r
                    for r in s.scalars(select(TicketEvent.reason).filter_by(ticket_id=ticket_id))
                    if r
                ],
                visitor_origins=[e.origin for e in entries if e.actor == "visitor"],
                staff_origins=[e.origin for e in entries if e.actor == "staff"],
            )

    return read
