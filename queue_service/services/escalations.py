"""Urgent alerts nobody acknowledged in time go by text to the site's on-call numbers, once
(domain.escalation). The background job; safe with several processes: each site's due
alerts are taken under the write lock (SQLite) or locked, skipping rows another process
holds (PostgreSQL), and an alert is marked escalated in the transaction that writes its
texts, so it escalates once however many processes run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import escalation
from ..domain.history import Actor, AuditAction
from ..domain.messages import REPLY_HEAD_START, Direction, MessageKind, MessageStatus
from ..domain.segments import count_segments
from ..models import Site, Ticket
from ..persistence import outbox, urgent
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .texts import mask


def escalate_due(session: Session, now: datetime | None = None) -> int:
    """Escalate every due alert at every site; how many alerts were escalated."""
    now = now or utcnow()
    site_ids = list(session.scalars(select(Site.id).order_by(Site.id)))
    session.rollback()
    done = 0
    for site_id in site_ids:
        begin_write(session)
        site = session.get(Site, site_id)
        due = (
            urgent.alerts_to_escalate(
                session, site_id, escalation.cutoff(now, site.escalate_after_minutes)
            )
            if site is not None
            else []
        )
        for ticket in due:
            _escalate(session, site, ticket, now)
        commit(session)
        done += len(due)
    return done


def _escalate(session: Session, site: Site, ticket: Ticket, now: datetime) -> None:
    ticket.mark_escalated(at=now)
    body = escalation.body(site.name, ticket.code, site.escalate_after_minutes)
    segments = count_segments(body)
    for number in site.oncall_numbers:
        outbox.add_once(
            session,
            {
                "site_id": site.id,
                "ticket_id": ticket.id,
                "direction": Direction.OUTBOUND.value,
                "kind": MessageKind.ESCALATION.value,
                "language": "en",
                "phone": number,
                "phone_masked": mask(number),
                "body": body,
                "segments": segments.count,
                "encoding": segments.encoding.value,
                "status": MessageStatus.QUEUED.value,
                "attempts": 0,
                "next_attempt_at": now - REPLY_HEAD_START,  # before routine texts
                "created_at": now,
                "updated_at": now,
            },
        )
    audit.record(
        session, None, AuditAction.URGENT_ESCALATED, ticket=ticket,
        detail={"after_minutes": site.escalate_after_minutes,
                "texted": len(site.oncall_numbers)},
        at=now, actor=Actor.SYSTEM,
    )  # fmt: skip
