"""What the lobby screen shows: codes being called and to which desk. Never anything else."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.lifecycle import Status
from ..models import Ticket

RECENT = timedelta(hours=2)
SHOWN = 6


def board(session: Session, site_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The most recent calls (code and desk only) and how many people are waiting."""
    now = now or utcnow()
    called = session.execute(
        select(Ticket.code, Ticket.desk)
        .where(
            Ticket.site_id == site_id,
            Ticket.status.in_([Status.CALLED, Status.IN_SESSION]),
            Ticket.called_at >= now - RECENT,
        )
        .order_by(Ticket.called_at.desc())
        .limit(SHOWN)
    )
    waiting = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.site_id == site_id, Ticket.status == Status.WAITING)
    )
    return {
        "called": [{"code": code, "desk": desk} for code, desk in called],
        "waiting": int(waiting or 0),
    }
