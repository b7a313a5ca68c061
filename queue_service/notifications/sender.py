"""The sender: takes the next due text from the outbox, sends it once, records the answer.

Safe with several server processes. A text is claimed in a short write transaction (the
write lock on SQLite; on PostgreSQL the sending number's pace row FOR UPDATE and the text
FOR UPDATE SKIP LOCKED), marked `sending` and committed; only then does the provider see
it, outside any transaction; a second transaction records what happened. So each text is
taken by one process, and a process that dies between the two is found out later: its
text is marked failed ("interrupted"), never sent twice.

A passing failure (network, 5xx, 429) puts the text back with a growing pause
(domain.messages.retry_delay) until it is given up and failed, visible to staff; a 429
also slows the number's pace for every process. A text no longer true when its turn comes
(the person was called already), or no longer wanted, is suppressed instead of sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain import escalation
from ..domain import messages as rules
from ..domain.events import TicketTexted
from ..domain.lifecycle import OPEN_STATUSES, Status
from ..domain.messages import AUTOMATIC, MessageKind, MessageStatus
from ..models import Message, Ticket
from ..persistence import inbound, opt_outs, outbox
from ..persistence.database import Database
from ..persistence.failures import OutageLog
from ..persistence.unit_of_work import begin_write, commit, publish_after_commit
from .transports import Refused, Transport, TryLater

log = logging.getLogger("frontdoor.sms")

# How long a claimed text is its sender's: longer than any provider call can take.
LEASE = timedelta(minutes=2)
# Texts looked at in one claim before giving the lock back, when each was suppressed.
CLAIM_LOOKS = 20


@dataclass(frozen=True)
class Claimed:
    id: int
    phone: str
    body: str
    attempts: int


@dataclass(frozen=True)
class Tick:
    """What one turn of the sender did, and how long it may rest before the next."""

    sent: int | None = None  # the message id that went out
    retried: int | None = None
    failed: int | None = None
    rest: timedelta = timedelta(0)


IDLE = timedelta(seconds=1)


class Sender:
    def __init__(
        self,
        database: Database,
        transport: Transport,
        *,
        secret_key: str,
        pace: timedelta = rules.PACE,
    ) -> None:
        self.database = database
        self.transport = transport
        self.secret_key = secret_key  # for the opt-outs' keyed hashes (services/opt_outs.py)
        self.pace = pace

    def tick(self, now: datetime | None = None) -> Tick:
        """Send at most one text. Never raises for a provider's answer. `now`: a test's
        clock, used for the whole turn; else the real one, read again after the send."""
        clock = (lambda: now) if now is not None else utcnow
        with self.database.session() as session:
            claimed, rest = self._claim(session, clock())
            if claimed is None:
                return Tick(rest=rest)
            try:
                sent = self.transport.send(claimed.phone, claimed.body)
            except TryLater as failure:
                return self._retry_later(session, claimed, failure, clock())
            except Refused as refusal:
                self._finish(session, claimed.id, clock(), MessageStatus.FAILED, why=refusal.why)
                if refusal.why == f"twilio_{rules.PROVIDER_OPTED_OUT}":
                    self._remember_opt_out(session, claimed.phone, clock())
                log.warning("message %s refused by the provider: %s", claimed.id, refusal.why)
                return Tick(failed=claimed.id, rest=self.pace)
            self._finish(session, claimed.id, clock(), MessageStatus.SENT, sid=sent.sid)
            return Tick(sent=claimed.id, rest=self.pace)

    # ---- the claim ----

    def _claim(self, session: Session, now: datetime) -> tuple[Claimed | None, timedelta]:
        if not outbox.anything_to_do(session, now):
            session.rollback()
            return None, IDLE
        begin_write(session)
        try:
            for ticket_id, site_id in outbox.give_up_interrupted(session, now):
                publish_after_commit(session, TicketTexted(ticket_id, site_id))
            pace = outbox.pace_row(session, self.transport.sender, now, self.pace)
            if pace.next_at > now:
                commit(session)
                return None, pace.next_at - now
            for _ in range(CLAIM_LOOKS):
                message = outbox.next_due(session, now)
                if message is None:
                    commit(session)
                    return None, IDLE
                why = _why_not_now(session, message, now, self.secret_key)
                if why is not None:
                    message.status, message.why = MessageStatus.SUPPRESSED.value, why
                    message.phone, message.updated_at = None, now
                    _show(session, message)
                    continue
                assert message.phone is not None and message.body is not None
                message.status = MessageStatus.SENDING.value
                message.attempts += 1
                message.claimed_until = now + LEASE
                message.updated_at = now
                pace.next_at = now + timedelta(milliseconds=pace.pace_ms)
                claimed = Claimed(message.id, message.phone, message.body, message.attempts)
                commit(session)
                return claimed, timedelta(0)
            commit(session)
            return None, timedelta(0)
        except BaseException:
            session.rollback()
            raise

    # ---- what the provider said ----

    def _retry_later(
        self, session: Session, claimed: Claimed, failure: TryLater, now: datetime
    ) -> Tick:
        if rules.gives_up(claimed.attempts):
            self._finish(session, claimed.id, now, MessageStatus.FAILED, why=failure.why)
            log.warning("message %s failed after %s tries: %s", claimed.id, claimed.attempts,
                        failure.why)  # fmt: skip
            return Tick(failed=claimed.id, rest=self.pace)
        delay = rules.retry_delay(claimed.attempts)
        begin_write(session)
        message = session.get(Message, claimed.id, populate_existing=True)
        if message is not None and message.status == MessageStatus.SENDING:
            message.status = MessageStatus.QUEUED.value
            message.next_attempt_at = now + delay
            message.claimed_until = None
            message.why, message.updated_at = failure.why, now
            _show(session, message)
        if failure.slow_down:
            pace = outbox.pace_row(session, self.transport.sender, now, self.pace)
            slower = rules.slower(timedelta(milliseconds=pace.pace_ms))
            pace.pace_ms = _ms(slower)
            pace.next_at = max(pace.next_at, now + slower)
        commit(session)
        log.info("message %s will be tried again in %s: %s", claimed.id, delay, failure.why)
        return Tick(retried=claimed.id, rest=self.pace)

    def _remember_opt_out(self, session: Session, phone: str, now: datetime) -> None:
        begin_write(session)
        opt_outs.opt_out(session, self.secret_key, phone, opt_outs.OptOutSource.PROVIDER, now)
        inbound.set_consent(session, phone, False)  # its open visits stop offering texts
        commit(session)

    def _finish(
        self,
        session: Session,
        message_id: int,
        now: datetime,
        status: MessageStatus,
        *,
        why: str | None = None,
        sid: str | None = None,
    ) -> None:
        begin_write(session)
        message = session.get(Message, message_id, populate_existing=True)
        if message is not None and message.status == MessageStatus.SENDING:
            message.status = status.value
            message.why, message.provider_sid = why, sid
            message.claimed_until = None
            # The sender is done with the number: only the masked one stays, for staff.
            message.phone = None
            message.updated_at = now
            if status == MessageStatus.SENT:
                message.sent_at = now
            _show(session, message)
        if status == MessageStatus.SENT:
            pace = outbox.pace_row(session, self.transport.sender, now, self.pace)
            if pace.pace_ms > _ms(self.pace):  # slowed by a 429: back towards the normal pace
                pace.pace_ms = max(_ms(rules.faster(timedelta(milliseconds=pace.pace_ms))),
                                   _ms(self.pace))  # fmt: skip
        commit(session)


def _show(session: Session, message: Message) -> None:
    """The visit's card shows each text's status: tell the consoles once this commits."""
    if message.ticket_id is not None and message.site_id is not None:
        publish_after_commit(session, TicketTexted(message.ticket_id, message.site_id))


def _ms(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)


def _why_not_now(session: Session, message: Message, now: datetime, secret_key: str) -> str | None:
    """Why a due text must not go out after all, or None when it still should."""
    kind = MessageKind(message.kind)
    assert message.phone is not None
    if not rules.goes_after_opt_out(kind) and opt_outs.is_opted_out(
        session, secret_key, message.phone
    ):
        return "opted_out"
    if message.ticket_id is None:
        return None
    ticket = session.get(Ticket, message.ticket_id)
    if ticket is None:
        return "no_visit"
    status = Status(ticket.status)
    if not rules.still_true(kind, status):
        return "no_longer_true"
    if kind == MessageKind.ESCALATION and not escalation.still_needed(ticket.alert_acknowledged_at):
        return "no_longer_true"  # someone saw the alert while the text waited
    # An answer to the person's own text needs no consent to texts about their visit.
    if kind in AUTOMATIC and status in OPEN_STATUSES and not ticket.sms_opt_in:
        return "opted_out"  # a closed visit's consent is erased with its number
    if kind in rules.CARRIES_A_PLACE and now - message.created_at > rules.STALE_AFTER:
        return "stale"
    return None


# After an unexpected error (the database away), the sender rests this long.
AFTER_ERROR = timedelta(seconds=5)


def run_forever(sender: Sender, sleep: Callable[[float], object]) -> None:
    """`frontdoor serve`'s sending loop: one text at a time, resting as the pace and the
    outbox say. A database outage is logged once when it starts and when it ends."""
    outage = OutageLog(log, "SMS sender")
    while True:
        try:
            rest = sender.tick().rest
        except Exception as error:  # never stops serving; the texts wait in the outbox
            outage.failed(error)
            rest = AFTER_ERROR
        else:
            outage.succeeded()
        sleep(max(rest.total_seconds(), 0.05))
