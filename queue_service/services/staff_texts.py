"""A case manager's own text to a person in line: the same rules as every text (only to a
number that agreed to texts, during the visit; the site's neutral name first; through the
outbox, retried, paced and shown with its status). Audited, without the words: the audit
log holds no one's messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import Conflict, ValidationFailed
from ..domain.events import TicketTexted
from ..domain.history import AuditAction
from ..domain.messages import (
    REPLY_HEAD_START,
    STAFF_TEXT_MAX,
    Direction,
    MessageKind,
    MessageStatus,
    NoStaffText,
    why_no_staff_text,
)
from ..domain.segments import count_segments
from ..domain.sms_wording import compose_free
from ..models import Message, Staff, Ticket
from ..notifications.catalogs import gettext_for
from ..persistence import opt_outs, repositories
from ..persistence.unit_of_work import begin_write, commit, publish_after_commit
from . import audit
from .commands import text_field
from .duty import require_member
from .texts import mask

# The same words to the same person this soon after are a double click or a retry.
SAME_TEXT_WITHIN = timedelta(minutes=2)

_REFUSED = {
    NoStaffText.VISIT_CLOSED: "Their visit has ended: texts go only during a visit.",
    NoStaffText.NO_PHONE: "They gave no mobile number.",
    NoStaffText.NO_CONSENT: "They have not agreed to texts (or replied STOP).",
}


def send(
    session: Session,
    ticket_id: object,
    staff: Staff,
    body: object,
    *,
    secret_key: str,
    origin: str | None = None,
    now: datetime | None = None,
) -> tuple[Message, bool]:
    """Write the text to the outbox; (the text, whether it is new). The same words to the
    same visit within SAME_TEXT_WITHIN return the first: a retry never texts twice."""
    words = text_field(body, "body", STAFF_TEXT_MAX)
    if not words:
        raise ValidationFailed("Write the text first.", fields={"body": "Required."})
    begin_write(session)
    # Locked: two clicks at once queue up here, and the second finds the first's text.
    ticket = repositories.ticket_for_update(session, ticket_id)
    require_member(staff, ticket.site)
    now = now or utcnow()
    refused = why_no_staff_text(ticket.status_enum, bool(ticket.phone), bool(ticket.sms_opt_in))
    if refused is None and opt_outs.is_opted_out(session, secret_key, ticket.phone or ""):
        refused = NoStaffText.NO_CONSENT
    if refused is not None:
        session.rollback()
        raise Conflict(_REFUSED[refused], code=f"cannot_text_{refused.value}")
    assert ticket.phone is not None
    text = _compose(ticket, words)
    earlier = _same_text(session, ticket, text, now)
    if earlier is not None:
        session.rollback()
        return earlier, False
    segments = count_segments(text)
    message = Message(
        site_id=ticket.site_id, ticket_id=ticket.id, direction=Direction.OUTBOUND.value,
        kind=MessageKind.STAFF.value, language=ticket.language, phone=ticket.phone,
        phone_masked=mask(ticket.phone), body=text, segments=segments.count,
        encoding=segments.encoding.value, status=MessageStatus.QUEUED.value, attempts=0,
        # A manager is waiting to see it go: ahead of the routine texts.
        next_attempt_at=now - REPLY_HEAD_START, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(message)
    session.flush()
    audit.record(
        session, staff, AuditAction.TICKET_TEXTED, ticket=ticket,
        detail={"message_id": message.id, "segments": segments.count}, at=now, origin=origin,
    )  # fmt: skip
    publish_after_commit(session, TicketTexted(ticket.id, ticket.site_id))
    commit(session)
    return message, True


def _compose(ticket: Ticket, words: str) -> str:
    return compose_free(words, gettext_for(ticket.language), ticket.site.sms_sender_name)


def _same_text(session: Session, ticket: Ticket, text: str, now: datetime) -> Message | None:
    return session.scalars(
        select(Message)
        .where(
            Message.ticket_id == ticket.id,
            Message.kind == MessageKind.STAFF.value,
            Message.body == text,
            Message.created_at >= now - SAME_TEXT_WITHIN,
            # One that failed or was held back may be sent again at once.
            Message.status.not_in([MessageStatus.FAILED.value, MessageStatus.SUPPRESSED.value]),
        )
        .limit(1)
    ).first()
