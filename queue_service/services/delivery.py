"""Delivery reports from the provider (Twilio's status callbacks): a sent text moves on to
delivered, undelivered or failed. Reports come late, twice and out of order, so a text only
moves forward (domain.messages.reported_status); a report for a number that opted out with
the provider (error 21610) opts it out here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.checkin import normalise_phone
from ..domain.events import TicketTexted
from ..domain.messages import PROVIDER_OPTED_OUT, MessageStatus, reported_status
from ..models import Message
from ..persistence import opt_outs
from ..persistence.unit_of_work import begin_write, commit, publish_after_commit


@dataclass(frozen=True)
class DeliveryReport:
    sid: str
    status: str
    error_code: str | None = None
    to_number: str | None = None


def record_report(
    session: Session, report: DeliveryReport, *, secret_key: str, now: datetime | None = None
) -> MessageStatus | None:
    """The text's status after the report (None: not a text of ours)."""
    now = now or utcnow()
    begin_write(session)
    message = session.scalars(
        select(Message).where(Message.provider_sid == report.sid).with_for_update()
    ).first()
    if message is None:
        session.rollback()
        return None
    new = reported_status(MessageStatus(message.status), report.status)
    if new is not None:
        message.status = new.value
        if new in (MessageStatus.FAILED, MessageStatus.UNDELIVERED) and report.error_code:
            message.why = f"twilio_{report.error_code}"[:40]
        message.updated_at = now
        if message.ticket_id is not None and message.site_id is not None:
            publish_after_commit(session, TicketTexted(message.ticket_id, message.site_id))
    if report.error_code == PROVIDER_OPTED_OUT and report.to_number:
        try:
            phone = normalise_phone(report.to_number)
        except ValueError:
            phone = None
        if phone:
            opt_outs.opt_out(session, secret_key, phone, opt_outs.OptOutSource.PROVIDER, now)
    status = MessageStatus(message.status)
    commit(session)
    return status
