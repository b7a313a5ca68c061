"""Urgent alerts nobody acknowledged in time go by text to the site's on-call numbers, once
(domain.escalation). The background job; safe with several processes: each site's due
alerts are taken under the write lock (SQLite) or locked, skipping rows another process
holds (PostgreSQL), and an alert is marked escalated in the transaction that writes its
texts, so it escalates once however many processes run. One site's trouble never keeps
another's alerts from going."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import escalation
from ..domain.history import Actor, AuditAction
from ..domain.messages import REPLY_HEAD_START, Direction, MessageKind, MessageStatus
from ..domain.segments import count_segments
from ..models import Site, Ticket
from ..notifications.catalogs import clock_time
from ..persistence import opt_outs, outbox, urgent
from ..persistence.unit_of_work import begin_write, commit
from . import audit
from .texts import mask

log = logging.getLogger("frontdoor.escalations")


def escalate_due(session: Session, *, secret_key: str, now: datetime | None = None) -> int:
    """Escalate every due alert at every site; how many alerts were escalated."""
    now = now or utcnow()
    sites = [(s.id, s.escalate_after_minutes) for s in session.scalars(select(Site))]
    session.rollback()
    done = 0
    for site_id, minutes in sorted(sites):
        cutoff = escalation.cutoff(now, minutes)
        try:
            if not urgent.any_to_escalate(session, site_id, cutoff):
                session.rollback()
                continue
            done += _escalate_site(session, site_id, secret_key, now)
        except Exception as failure:
            session.rollback()
            log.error("escalating site %s failed: %s", site_id, type(failure).__name__)
    return done


def _escalate_site(session: Session, site_id: int, secret_key: str, now: datetime) -> int:
    begin_write(session)
    site = session.get(Site, site_id)
    if site is None:
        session.rollback()
        return 0
    due = urgent.alerts_to_escalate(
        session, site_id, escalation.cutoff(now, site.escalate_after_minutes)
    )
    for ticket in due:
        _escalate(session, site, ticket, secret_key, now)
    commit(session)
    return len(due)


def _escalate(session: Session, site: Site, ticket: Ticket, secret_key: str, now: datetime) -> None:
    raised = ticket.alert_raised_at or ticket.created_at
    body = escalation.body(site.name, ticket.code, clock_time(raised, site.timezone, "en"))
    segments = count_segments(body)
    # A work phone that sent STOP to the office's number cannot be texted (the provider
    # would refuse it): it is counted out, so nobody is told it was.
    numbers = [n for n in site.oncall_numbers if not opt_outs.is_opted_out(session, secret_key, n)]
    for number in numbers:
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
    ticket.mark_escalated(at=now, texted=len(numbers))
    audit.record(
        session, None, AuditAction.URGENT_ESCALATED, ticket=ticket,
        detail={"after_minutes": site.escalate_after_minutes, "texted": len(numbers),
                "opted_out": len(site.oncall_numbers) - len(numbers)},
        at=now, actor=Actor.SYSTEM,
    )  # fmt: skip
