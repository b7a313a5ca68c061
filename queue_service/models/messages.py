"""The SMS outbox and log: every text written in the transaction of the change that calls for
it, then sent by the sender (queue_service/notifications/sender.py) after the commit.

The rules (kinds, statuses, retries, pacing) are domain.messages'.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.messages import ONCE_PER_TICKET, Direction, MessageStatus
from .base import Base

_ONCE = "kind IN ({})".format(", ".join(f"'{k}'" for k in ONCE_PER_TICKET))


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        # At most one text of each automatic kind per visit, whatever races or retries.
        Index(
            "uq_message_ticket_kind",
            "ticket_id",
            "kind",
            unique=True,
            sqlite_where=text(_ONCE),
            postgresql_where=text(_ONCE),
        ),
        # The sender's next text: the oldest due queued one.
        Index("ix_message_due", "status", "next_attempt_at", "id"),
        Index("ix_message_site_created", "site_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a text that reached no site: its number is shared by several and the sender
    # has no visit at any of them.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10), default=Direction.OUTBOUND)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    # info personal: listed in the README's "What Front Door keeps" (tests/privacy). The
    # number is erased once the sender is done with the text; the masked one (•••0123) and
    # the words stay for the staff's message log until the retention purge.
    phone: Mapped[str | None] = mapped_column(String(20), info={"personal": True})
    phone_masked: Mapped[str | None] = mapped_column(String(8), info={"personal": True})
    body: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    segments: Mapped[int] = mapped_column(Integer, default=1)
    encoding: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(12), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    # A claimed text is the sender's until then; one still "sending" after it may or may not
    # have gone out (its process died), so it is marked failed, never sent a second time.
    claimed_until: Mapped[datetime | None]
    # Why it is where it is, as a code: the provider's error ("twilio_21610", "http_503"),
    # "no_longer_true", "stale", "interrupted". Never the provider's message, which can
    # hold the number.
    why: Mapped[str | None] = mapped_column(String(40))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SmsPace(Base):
    """When a sending number may send its next text, shared by every sender process: the
    row is locked while a text is claimed, so two processes never both send at once."""

    __tablename__ = "sms_pace"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_at: Mapped[datetime]
    pace_ms: Mapped[int] = mapped_column(Integer)


class SmsOptOut(Base):
    """A number that sent STOP (or that the provider says opted out, error 21610): it gets
    no text until it sends START. Kept by a keyed hash (HMAC with the secret key), since the
    number itself is erased after the visit and an opt-out must outlast it."""

    __tablename__ = "sms_opt_out"

    # HMAC-SHA256, hex; personal (a keyed hash of a phone number): see the README.
    number_key: Mapped[str] = mapped_column(String(64), primary_key=True, info={"personal": True})
    source: Mapped[str] = mapped_column(String(12))  # "stop" or "provider"
    opted_out_at: Mapped[datetime]
