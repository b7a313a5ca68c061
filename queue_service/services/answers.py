"""The office's answers to a person's text, written to the outbox like every text: the sender
sends them (answers first: someone is waiting for them), retries them, and staff see them.
Never commits: the service that received the text does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.messages import REPLY_HEAD_START, Direction, MessageKind, MessageStatus
from ..domain.segments import count_segments
from ..domain.sms_replies import Line, render_reply
from ..domain.sms_wording import template
from ..models import Site, Ticket
from ..notifications.catalogs import gettext_for
from ..persistence import outbox
from .office import SiteStatus, site_status
from .texts import facts_for, mask


def write(
    session: Session,
    site: Site | None,
    ticket: Ticket | None,
    phone: str,
    language: str,
    lines: Sequence[Line],
    now: datetime,
    *,
    kind: MessageKind = MessageKind.ANSWER,
) -> None:
    sender = site.sms_sender_name if site is not None else None
    body = render_reply(lines, language, gettext_for(language), sender)
    segments = count_segments(body)
    outbox.add_once(
        session,
        {
            "site_id": site.id if site else None,
            "ticket_id": ticket.id if ticket else None,
            "direction": Direction.OUTBOUND.value,
            "kind": kind.value,
            "language": language,
            "phone": phone,
            # A text that reached no site is seen by no staff: no masked number is kept.
            "phone_masked": mask(phone) if site is not None else None,
            "body": body,
            "segments": segments.count,
            "encoding": segments.encoding.value,
            "status": MessageStatus.QUEUED.value,
            "attempts": 0,
            "next_attempt_at": now - REPLY_HEAD_START,
            "created_at": now,
            "updated_at": now,
        },
    )


def visit_lines(ticket: Ticket, kind: MessageKind) -> list[Line]:
    """An answer in the words of the visit's own text of `kind` (sms_wording.py): "you left
    the line" for a visit that takes no texts, "please come to desk 2" to STATUS once called."""
    return [Line(*template(facts_for(ticket, kind)))]


@dataclass
class Exchange:
    """One text being answered: who sent it, their visit and office, and how to reply."""

    session: Session
    phone: str
    site: Site | None
    ticket: Ticket | None
    language: str
    secret_key: str
    now: datetime
    sid: str = ""  # the provider's id of the text being answered

    def office(self) -> SiteStatus | None:
        return site_status(self.session, self.site, self.now) if self.site else None

    def answer(self, lines: list, kind: MessageKind = MessageKind.ANSWER) -> None:  # type: ignore[type-arg]
        write(
            self.session, self.site, self.ticket, self.phone, self.language, lines, self.now,
            kind=kind,
        )  # fmt: skip
