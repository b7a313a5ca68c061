"""The sender sends each due text once, retries a passing failure with a growing pause, keeps
the provider's pace, shows a final failure, and suppresses a text that is no longer true,
however many senders take from one outbox."""

import logging
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from queue_service.clock import utcnow
from queue_service.domain import messages as rules
from queue_service.domain.lifecycle import Action
from queue_service.models import Message, SmsPace, Ticket
from queue_service.notifications.sender import IDLE, Sender
from queue_service.notifications.transports import LogTransport, Refused, Sent, TryLater
from queue_service.services import queue
from queue_service.services.commands import MoveTicket

SECRET = "test-secret-key"  # the settings fixture's


class Phone:
    """A transport that fails as it is told to first, then delivers and remembers."""

    sender = "+16175550000"

    def __init__(self, *failures: Exception, delay: float = 0.0) -> None:
        self.failures = list(failures)
        self.delay = delay
        self.delivered: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def send(self, to: str, body: str) -> Sent:
        time.sleep(self.delay)
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            self.delivered.append((to, body))
        return Sent(f"SM{uuid.uuid4().hex}")


def sender(database, phone, pace: timedelta = timedelta(0)) -> Sender:  # type: ignore[no-untyped-def]
    return Sender(database, phone, secret_key="test-secret-key", pace=pace)


def queued_only(world, **body):  # type: ignore[no-untyped-def]
    """A walk-in whose check-in text is the one queued text (nobody ahead)."""
    return world.walk_in(**body)


def stored(database, message_id: int) -> Message:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return s.get(Message, message_id)


def test_a_due_text_is_sent_once_and_its_number_forgotten(world, north, outbox, database):
    ticket = queued_only(world)
    phone = Phone()
    tick = sender(database, phone).tick()
    [text] = [t for t in outbox(ticket.id) if t.kind == "checked_in"]
    assert tick.sent == text.id
    assert phone.delivered == [(ticket.phone, text.body)]
    assert (text.status, text.attempts, text.phone) == ("sent", 1, None)
    assert text.phone_masked == "•••0123"
    assert text.provider_sid.startswith("SM") and text.sent_at is not None
    assert sender(database, phone).tick().rest == IDLE  # nothing left
    assert len(phone.delivered) == 1


def test_a_transport_failure_then_a_retry_sends_exactly_once(world, north, outbox, database):
    queued_only(world)
    phone = Phone(TryLater("http_503"))
    now = utcnow()
    first = sender(database, phone).tick(now)
    waiting = stored(database, first.retried)
    assert (waiting.status, waiting.attempts, waiting.why) == ("queued", 1, "http_503")
    assert waiting.next_attempt_at == now + rules.FIRST_RETRY
    assert waiting.phone is not None  # still needed for the retry
    assert sender(database, phone).tick(now + timedelta(seconds=10)).sent is None  # not yet due
    again = sender(database, phone).tick(now + timedelta(seconds=31))
    assert again.sent == first.retried
    assert len(phone.delivered) == 1
    done = stored(database, again.sent)
    assert (done.status, done.attempts) == ("sent", 2)


def test_a_refusal_fails_at_once_and_stays_for_staff_to_see(world, north, database):
    queued_only(world)
    phone = Phone(Refused("twilio_21211"))
    tick = sender(database, phone).tick()
    failed = stored(database, tick.failed)
    assert (failed.status, failed.why, failed.phone, failed.body is not None) == (
        "failed", "twilio_21211", None, True)  # fmt: skip
    assert sender(database, phone).tick().rest == IDLE and phone.delivered == []


def test_a_text_the_provider_keeps_turning_away_is_failed_after_the_last_try(
    world, north, database
):
    queued_only(world)
    phone = Phone(*(TryLater("http_500") for _ in range(rules.MAX_ATTEMPTS)))
    now, last = utcnow(), None
    for attempt in range(rules.MAX_ATTEMPTS):
        # Each try made due again at once (the pauses are tested below), and the text kept
        # fresh, so it is the retries that end it, not its age.
        tick = sender(database, phone).tick(now + timedelta(seconds=attempt))
        last = tick.failed or tick.retried
        with database.session() as s:
            s.execute(update(Message).values(next_attempt_at=now, created_at=now))
            s.commit()
    failed = stored(database, last)
    assert (failed.status, failed.why) == ("failed", "http_500")
    assert failed.attempts == rules.MAX_ATTEMPTS
    assert phone.delivered == []


def test_the_pause_between_tries_grows_to_ten_minutes():
    assert [rules.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 6, 12)] == [
        30, 60, 120, 240, 480, 600, 600]  # fmt: skip


def test_one_sending_number_sends_about_one_text_a_second(world, north, database):
    queued_only(world, which=0)
    queued_only(world, which=1)
    phone, now = Phone(), utcnow()
    paced = sender(database, phone, pace=timedelta(seconds=1))
    assert paced.tick(now).sent is not None
    held = paced.tick(now + timedelta(milliseconds=400))
    assert held.sent is None and held.rest == timedelta(milliseconds=600)
    assert paced.tick(now + timedelta(seconds=1)).sent is not None
    assert len(phone.delivered) == 2


def test_too_many_requests_slows_every_sender_of_that_number(world, north, database):
    queued_only(world)
    phone, now = Phone(TryLater("http_429", slow_down=True)), utcnow()
    paced = sender(database, phone, pace=timedelta(seconds=1))
    paced.tick(now)
    with database.session() as s:
        pace = s.get(SmsPace, phone.sender)
        assert pace.pace_ms == 2000 and pace.next_at >= now + timedelta(seconds=2)
    later = now + timedelta(seconds=31)
    assert paced.tick(later).sent is not None
    with database.session() as s:
        assert s.get(SmsPace, phone.sender).pace_ms == 1600  # back towards one a second


def test_a_text_no_longer_true_when_its_turn_comes_is_suppressed_not_sent_late(
    world, north, outbox, database
):
    manager = world.reload(world.staff(on_duty_at="north", desk="3"))
    ticket = queued_only(world)
    with database.session() as s:
        queue.transition(s, manager, MoveTicket(ticket.id, Action.CALL))
    phone = Phone()
    while sender(database, phone).tick().rest != IDLE:
        pass
    by_kind = {t.kind: t for t in outbox(ticket.id)}
    assert (by_kind["checked_in"].status, by_kind["checked_in"].why) == (
        "suppressed", "no_longer_true")  # fmt: skip
    assert by_kind["checked_in"].phone is None
    assert phone.delivered == [(ticket.phone, by_kind["called"].body)]


def test_a_person_who_stopped_texts_while_waiting_gets_nothing_more(world, north, outbox, database):
    ticket = queued_only(world)
    with database.session() as s:
        s.execute(update(Ticket).where(Ticket.id == ticket.id).values(sms_opt_in=False))
        s.commit()
    phone = Phone()
    sender(database, phone).tick()
    assert [(t.status, t.why) for t in outbox(ticket.id) if t.kind == "checked_in"] == [
        ("suppressed", "opted_out")]  # fmt: skip
    assert phone.delivered == []


def test_a_place_in_line_that_could_not_go_out_for_ten_minutes_is_not_sent(
    world, north, outbox, database
):
    ticket = queued_only(world)
    phone = Phone()
    sender(database, phone).tick(utcnow() + rules.STALE_AFTER + timedelta(seconds=1))
    assert [t.why for t in outbox(ticket.id) if t.kind == "checked_in"] == ["stale"]
    assert phone.delivered == []


def test_a_text_whose_sender_died_mid_send_is_failed_never_sent_again(world, north, database):
    queued_only(world)

    class Crashes(Phone):
        def send(self, to: str, body: str) -> Sent:
            raise RuntimeError("the process died here")

    now = utcnow()
    with pytest.raises(RuntimeError):
        sender(database, Crashes()).tick(now)
    with database.session() as s:
        [text] = s.scalars(select(Message).where(Message.status == "sending")).all()
    phone = Phone()
    sender(database, phone).tick(now + timedelta(minutes=1))
    assert stored(database, text.id).status == "sending"  # its sender may still be at it
    sender(database, phone).tick(now + timedelta(minutes=3))
    gone = stored(database, text.id)
    assert (gone.status, gone.why, gone.phone) == ("failed", "interrupted", None)
    assert phone.delivered == []


def test_two_senders_taking_from_one_outbox_send_each_text_once(
    world, north, database, outbox, all_at_once
):
    for i in range(12):
        queued_only(world, which=i % 4)
    due = [t.id for t in outbox() if t.status == "queued"]
    assert len(due) == 12
    phone = Phone(delay=0.01)

    def drain(_: int) -> None:
        mine = Sender(database, phone, secret_key="test-secret-key", pace=timedelta(0))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and mine.tick().rest != IDLE:
            pass

    all_at_once(2, drain)
    bodies = Counter(body for _, body in phone.delivered)
    assert len(phone.delivered) == 12 and set(bodies.values()) == {1}
    assert {t.id for t in outbox() if t.status == "sent"} == set(due)


def test_the_log_backend_sends_nothing_and_logs_neither_number_nor_words(
    world, north, outbox, database, caplog, private_details
):
    ticket = queued_only(world)
    with caplog.at_level(logging.INFO, logger="frontdoor.sms"):
        tick = Sender(database, LogTransport(), secret_key=SECRET, pace=timedelta(0)).tick()
    text = stored(database, tick.sent)
    assert text.status == "sent" and text.provider_sid.startswith("LOG")
    assert "would be sent" in caplog.text
    assert private_details.phones[0] not in caplog.text and text.body not in caplog.text
    assert ticket.code not in caplog.text


# A sender in a process of its own, as each `frontdoor serve` runs one: it records each text
# it sends (its process id and the text's ticket code) and stops once nothing is due.
SENDER_PROCESS = """
import os, re, sys, time
from datetime import timedelta
from queue_service.notifications.sender import IDLE, Sender
from queue_service.notifications.transports import Sent
from queue_service.persistence.database import Database

url, record, start = sys.argv[1], sys.argv[2], float(sys.argv[3])

class Recorder:
    sender = "+16175550000"

    def send(self, to, body):
        code = re.search(r"[A-Z]-[0-9]{3}", body).group(0)
        with open(record, "a") as f:
            f.write(f"{os.getpid()} {code}\\n")
        time.sleep(0.02)
        return Sent(f"SM{os.getpid()}-{time.monotonic_ns()}")

sender = Sender(Database(url), Recorder(), secret_key="test-secret-key", pace=timedelta(0))
time.sleep(max(start - time.time(), 0))
while sender.tick().rest != IDLE:
    pass
"""


def test_two_sender_processes_on_one_database_send_each_text_once(
    world, north, database_url, outbox, tmp_path
):
    for i in range(30):
        queued_only(world, which=i % 4)
    due = {t.id for t in outbox() if t.status == "queued"}
    record = tmp_path / "sent.txt"
    start = time.time() + 8  # both processes are up by then, and begin together
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SENDER_PROCESS, database_url, str(record), str(start)]
        )
        for _ in range(2)
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0
    lines = [line.split() for line in record.read_text().splitlines()]
    codes = Counter(code for _, code in lines)
    assert len(codes) == 30 and set(codes.values()) == {1}
    assert len({pid for pid, _ in lines}) == 2  # both took part
    assert {t.id for t in outbox() if t.status == "sent"} == due
