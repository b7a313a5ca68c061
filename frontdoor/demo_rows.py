"""A simulated visit (demo_day) as the rows Front Door would hold for it once its retention
period has run: the ticket with every timestamp its steps set (replayed through
domain.lifecycle, so no status is reached by a move the rules refuse), its history, and
its texts, none with a name, a number, words or a note."""

from __future__ import annotations

import functools
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from queue_service.domain.codes import ticket_code
from queue_service.domain.lifecycle import STAMP_FOR, Action, EndReason, Outcome, Status
from queue_service.domain.lifecycle import next_status as moved
from queue_service.domain.messages import MessageKind
from queue_service.domain.segments import count_segments
from queue_service.domain.sms_wording import Facts, render
from queue_service.notifications.catalogs import gettext_for

from .demo_day import ESCALATE
from .demo_people import HOUR, MIN, Visit, pick

# Steps that keep the status (an alert's, a call-back try's, a lead's follow-up).
KEEPS_STATUS = frozenset({"urgent", "acknowledge", "escalated", "call_reached", "call_no_answer",
                          "call_voicemail", "followed_up"})  # fmt: skip
DAY_CLOSE = {Status.WAITING: Action.LEFT, Status.CALLED: Action.NO_SHOW,
             Status.IN_SESSION: Action.COMPLETE}  # fmt: skip
# How the texts went: mostly delivered; some never reported back; a few refused.
TEXT_FATES = (("delivered", 90), ("sent", 7), ("undelivered", 1.5), ("failed", 1.5))
WHY = {"undelivered": "twilio_30003", "failed": "twilio_30006"}


class DayClock:
    """Seconds after a service day's local midnight as UTC instants (whole seconds)."""

    def __init__(self, day: date, zone: ZoneInfo) -> None:
        # Offices open after the clock changes at 2 a.m., so one offset serves the day.
        offset = datetime.combine(day, time(12), zone).utcoffset() or timedelta(0)
        self.base = datetime(day.year, day.month, day.day, tzinfo=UTC) - offset

    def at(self, seconds: float) -> datetime:
        return self.base + timedelta(seconds=int(seconds))


@dataclass
class Context:
    site_id: int
    day: date
    clock: DayClock
    desks: dict[int, str]
    lead_id: int | None
    now: datetime  # nothing happens after it: a follow-up not yet due is still pending


def ticket_rows(
    visit: Visit, ctx: Context, rng: random.Random
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The ticket, its history steps and its texts (their ticket_id filled in on writing)."""
    steps = _settled(visit, ctx, rng)
    clock = ctx.clock
    row = _blank(visit, ctx)
    events: list[dict[str, Any]] = []
    status: Status | None = None
    for action, seconds, staff in steps:
        at = clock.at(seconds)
        before = status
        if action == "check_in":
            status = Status.WAITING
        elif action not in KEEPS_STATUS:
            assert status is not None
            move = DAY_CLOSE[status] if action == "day_closed" else Action(action)
            if action == "day_closed" and status == Status.IN_SESSION:
                row["outcome"], row["end_reason"] = Outcome.NOT_RECORDED.value, "session_left_open"
            status = moved(status, move)
            stamp = STAMP_FOR.get(status)
            if stamp:
                row[stamp] = at
            if move == Action.CALL:
                row["first_called_at"] = row["first_called_at"] or at
                row["assigned_staff_id"], row["desk"] = staff, ctx.desks.get(staff or 0)
                if visit.urgent(seconds) and row["alert_acknowledged_at"] is None:
                    # Calling the urgent person is seeing their alert (Ticket.apply).
                    row["alert_acknowledged_at"], row["alert_acknowledged_by_id"] = at, staff
            elif status == Status.WAITING:
                row["assigned_staff_id"] = row["desk"] = None
        events.append({"action": action, "from_status": before and before.value,
                       "to_status": status and status.value, "staff_id": staff,
                       "reason": None, "at": at})  # fmt: skip
        row["updated_at"], row["updated_by_id"] = at, staff
        if action == "acknowledge":
            row["alert_acknowledged_at"], row["alert_acknowledged_by_id"] = at, staff
        elif action == "followed_up":
            row["followed_up_at"], row["followed_up_by_id"] = at, staff
            if row["alert_acknowledged_at"] is None:
                row["alert_acknowledged_at"], row["alert_acknowledged_by_id"] = at, staff
        elif action == "escalated":
            row["alert_escalated_at"], row["alert_escalated_to"] = at, 0  # no on-call numbers
    assert status is not None
    row["status"] = status.value
    row["version"] = len(events)
    if status == Status.COMPLETED and row["outcome"] is None:
        row["outcome"], row["crisis_referral"] = visit.outcome, visit.referral
    if visit.end_reason == "day_closed":
        row["end_reason"] = EndReason.DAY_CLOSED.value
    texts = [_text(visit, kind, clock.at(s), why, ctx, rng) for kind, s, why in visit.texts]
    return row, events, texts


def _settled(visit: Visit, ctx: Context, rng: random.Random) -> list[tuple[str, float, int | None]]:
    """The steps with the alert's own: seen (by a look, or by the call), escalated when
    nobody saw it in time, followed up by the lead when nobody saw the person."""
    steps = list(visit.steps)
    if visit.urgent_at is None:
        return steps
    raised, ended = visit.urgent_at, steps[-1][1]
    call = next(((s, by) for a, s, by in steps if a == "call" and s >= raised), None)
    seen = visit.ack_at
    if call is not None and (seen is None or call[0] <= seen):
        seen = call[0]
    elif seen is not None and seen <= ended + 30 * MIN:
        steps.append(("acknowledge", seen, visit.ack_by))
    else:
        seen = None
    if (seen is None or seen - raised > ESCALATE) and ended > raised + ESCALATE:
        steps.append(("escalated", raised + ESCALATE, None))
    if ctx.lead_id is not None and _needs_follow_up(steps):
        day_after = 1 + (2 if ctx.day.weekday() == 4 else 1 if ctx.day.weekday() == 5 else 0)
        followed = day_after * 24 * HOUR + 9.5 * HOUR + rng.uniform(0, 150) * MIN
        if ctx.clock.at(followed) < ctx.now:
            steps.append(("followed_up", followed, ctx.lead_id))
    steps.sort(key=lambda step: step[1])
    return steps


def _needs_follow_up(steps: list[tuple[str, float, int | None]]) -> bool:
    """Nobody saw them, or the day's close ended a session nobody recorded (the lead's
    list: models.ticket_alerts)."""
    actions = {a for a, _, _ in steps}
    if "day_closed" in actions:
        return True
    return "start" not in actions and bool(actions & {"left", "cancel", "no_show"})


def _blank(visit: Visit, ctx: Context) -> dict[str, Any]:
    arrived = ctx.clock.at(visit.arrived)
    urgent = visit.urgent_at is not None
    return {
        "site_id": ctx.site_id, "visitor_id": None, "token": secrets.token_urlsafe(24),
        "service_day": ctx.day, "number": visit.number, "code": ticket_code(visit.number),
        "channel": visit.channel, "status": None, "urgent": urgent, "needs": visit.needs,
        "language": visit.language,
        # Not here, so NULL: the personal values and the visit's keys (name, phone,
        # request_fingerprint, return_code, outcome_detail, follow_up_note, idempotency_key,
        # call_key), gone once the visit closed and its period ran; next_try_at and
        # linked_from_visitor_id, which a closed visit does not have.
        "sms_opt_in": False,
        "created_at": arrived, "queued_at": arrived, "called_at": None, "first_called_at": None,
        "started_at": None, "completed_at": None, "no_show_at": None, "cancelled_at": None,
        "left_at": None, "updated_at": arrived, "updated_by_id": None, "assigned_staff_id": None,
        "desk": None, "outcome": None, "crisis_referral": None, "end_reason": None,
        "call_attempts": visit.tries, "alert_acknowledged_at": None,
        "alert_acknowledged_by_id": None,
        "alert_raised_at": ctx.clock.at(visit.urgent_at) if urgent else None,  # type: ignore[arg-type]
        "alert_via": visit.via if urgent else None, "alert_escalated_at": None,
        "alert_escalated_to": None, "alert_unstaffed": urgent and visit.unstaffed,
        "followed_up_at": None, "followed_up_by_id": None, "version": 1,
    }  # fmt: skip


def _text(
    visit: Visit, kind: str, at: datetime, why: str | None, ctx: Context, rng: random.Random
) -> dict[str, Any]:
    encoding, segments = _size(kind, visit.language, visit.channel in ("phone", "sms"))
    if why:
        fate, sent, settled = "suppressed", None, at
    else:
        fate = pick(rng, TEXT_FATES)
        sent = None if fate == "failed" else at + timedelta(seconds=rng.randint(1, 6))
        settled = (sent or at) + timedelta(seconds=rng.randint(2, 40) if fate != "sent" else 0)
    return {
        "site_id": ctx.site_id, "ticket_id": None, "direction": "outbound", "kind": kind,
        # No phone, phone_masked or body (NULL): purged with the visit.
        "language": visit.language, "segments": segments, "encoding": encoding, "status": fate,
        "attempts": 0 if why else 1, "next_attempt_at": None if why else at,
        "why": why or WHY.get(fate),
        "provider_sid": f"SM{rng.getrandbits(128):032x}" if sent else None,
        "created_at": at, "updated_at": settled, "sent_at": sent,
    }  # fmt: skip


@functools.lru_cache(maxsize=128)
def _size(kind: str, language: str, callback: bool) -> tuple[str, int]:
    """The encoding and segments of such a text, from its real words (with a typical code,
    place and desk): the words themselves are not kept."""
    facts = Facts(MessageKind(kind), "A-012", callback, place=4, minutes=20, desk="2")
    counted = count_segments(render(facts, language, gettext_for(language), None))
    return counted.encoding.value, counted.count
