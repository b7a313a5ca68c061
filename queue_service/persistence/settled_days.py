"""The settled days' figures (models.SettledDay): read for a range, kept after a report has
counted them, and removed whenever one of that day's visits or shifts changes.

The removal is a flush hook, so that no service can forget it: a lead's follow-up, a visit
linked to a visitor by hand, a day closed late after a server was down, a shift ended at
the moment its sign-in lapsed. Today's visits are never looked at (no day that recent has
settled: latest_settled), so the queue's own writes cost no extra statement; a shift's
change, rare, clears every day since it began. The retention
purge's bulk updates do not flush: what a settled day counted (returning visitors among
them) stays as it was counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import delete, event, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import DutyShift, SettledDay, Ticket

Key = tuple[int, date]


def load(session: Session, site_ids: Sequence[int], first: date, last: date) -> dict[Key, Any]:
    rows = session.execute(
        select(SettledDay.site_id, SettledDay.day, SettledDay.figures).where(
            SettledDay.site_id.in_(site_ids), SettledDay.day.between(first, last)
        )
    )
    return {(site_id, day): figures for site_id, day, figures in rows}


def keep(session: Session, figures: Mapping[Key, Any], now: datetime) -> None:
    """Insert, leaving a row another process kept meanwhile as it is (the same figures)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = [
        {"site_id": site_id, "day": day, "figures": row, "counted_at": now}
        for (site_id, day), row in figures.items()
    ]
    session.execute(insert(SettledDay).values(values).on_conflict_do_nothing())


def latest_settled(now: datetime) -> date:
    """The latest local day that may have settled anywhere: a day settles a day after it
    ends (domain.reports.is_settled), soonest at UTC+14."""
    return (now + timedelta(hours=14)).date() - timedelta(days=2)


@event.listens_for(Session, "before_flush")
def _unsettle_changed_days(session: Session, _context: Any, _instances: Any) -> None:
    latest = latest_settled(utcnow())
    days: set[Key] = set()
    shifts: dict[int, date] = {}
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, Ticket) and row.service_day and row.service_day <= latest:
            days.add((row.site_id, row.service_day))
        elif isinstance(row, DutyShift):
            # Rare (a start, a desk, an end), and it counts on every day since its start
            # (whose local day may be the UTC day before).
            since = row.started_at.date() - timedelta(days=1)
            shifts[row.site_id] = min(since, shifts.get(row.site_id, since))
    if days:
        session.execute(
            delete(SettledDay).where(tuple_(SettledDay.site_id, SettledDay.day).in_(days))
        )
    for site_id, since in shifts.items():
        session.execute(
            delete(SettledDay).where(SettledDay.site_id == site_id, SettledDay.day >= since)
        )
