"""One service day's line, simulated event by event: people arrive, case managers on duty call
them by the real rule (domain.assignment: urgent first, then the longest wait, a person's
own language within the window), call-backs ring out and are tried again, people who wait
too long give up, and the day's close ends what is left. Waits come out of the load and
the cover, not out of a table: long at the morning peak and over a lunch nobody covers,
longer for a language only one manager speaks.

Each visit's steps are recorded as (history action, seconds after local midnight, staff id);
demo_rows turns them into the ticket, its history and its texts."""

from __future__ import annotations

import heapq
import random
from datetime import UTC, datetime, timedelta

from queue_service.domain.assignment import LANGUAGE_WINDOW, call_order
from queue_service.domain.callbacks import DEFAULT_ATTEMPT_LIMIT
from queue_service.domain.escalation import DEFAULT_ESCALATE_MINUTES
from queue_service.domain.lifecycle import Outcome
from queue_service.domain.messages import DEFAULT_ALMOST_TURN_AHEAD
from queue_service.domain.ordering import QueuedTicket

from .demo_people import MIN, NEVER, OUTCOMES, REFERRALS, Manager, Visit, pick, source

WINDOW = LANGUAGE_WINDOW.total_seconds()
RETRY = 15 * MIN  # services.visits: a call-back's pause before its next try
ESCALATE = DEFAULT_ESCALATE_MINUTES * MIN
FIRST_TOLD = DEFAULT_ALMOST_TURN_AHEAD + 1  # places in line that hear "almost your turn"
MIDNIGHT = 24 * 3600.0
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
ARRIVE, RAISE, LEAVE, READY, FREE, BACK = range(6)


class Line:
    def __init__(self, rng: random.Random, managers: list[Manager], always_open: bool) -> None:
        self.rng, self.managers, self.always_open = rng, managers, always_open
        self.waiting: list[Visit] = []
        self.idle: list[Manager] = []
        self.events: list[tuple[float, int, int, object]] = []
        self.seq = 0
        self.cutoff = MIDNIGHT

    def run(self, visits: list[Visit], last_close: float) -> None:
        """`last_close`: when the office closes (or its last manager goes, if later)."""
        self.cutoff = last_close + 15 * MIN  # nobody waits on in a closed lobby for hours
        for visit in visits:
            self._push(visit.arrived, ARRIVE, visit)
        for manager in self.managers:
            if manager.parts:
                self._push(manager.parts[0][0], FREE, manager)
        handlers = (self._arrive, self._raise, self._leave, self._ready, self._free, self._back)
        while self.events:
            at, kind, _, what = heapq.heappop(self.events)
            handlers[kind](what, at)  # type: ignore[operator]
        self._close(last_close)

    def _push(self, at: float, kind: int, what: object) -> None:
        self.seq += 1
        heapq.heappush(self.events, (at, kind, self.seq, what))

    # ---- the person's side ----

    def _arrive(self, visit: Visit, at: float) -> None:
        visit.state = "waiting"
        visit.steps.append(("check_in", at, None))
        urgent = visit.urgent(at)
        place = 1 + (sum(w.urgent(at) for w in self.waiting) if urgent else len(self.waiting))
        self.waiting.append(visit)
        if urgent:
            visit.via = source(visit.channel, at_check_in=True)
            self._alert(visit, at)
        # Someone who joined by a text of crisis gets the crisis lines alone.
        if visit.sms and not (urgent and visit.via == "text"):
            visit.texts.append(("checked_in", at, None))
            if place <= FIRST_TOLD:
                visit.told = True  # their first text says it; kept, suppressed
                visit.texts.append(("almost_turn", at, "told_at_check_in"))
        if visit.urgent_at is not None and visit.urgent_at > at:
            self._push(visit.urgent_at, RAISE, visit)
        if at + visit.patience < self.cutoff:
            self._push(at + visit.patience, LEAVE, visit)
        self._wake(at)

    def _raise(self, visit: Visit, at: float) -> None:
        if visit.state != "waiting":
            visit.urgent_at = None  # seen before they said so: never urgent
            return
        visit.via = source(visit.channel, at_check_in=False, rng=self.rng)
        visit.steps.append(("urgent", at, None))
        visit.patience = NEVER
        self._alert(visit, at)

    def _alert(self, visit: Visit, at: float) -> None:
        """Someone on duty sees the alert within a minute or two; with nobody on duty, the
        first to come on does (the escalation to on-call is settled in demo_rows)."""
        on = [m for m in self.managers if m.on_duty(at)]
        visit.unstaffed = not on
        if on:
            visit.ack_at, visit.ack_by = at + self.rng.uniform(15, 140), self.rng.choice(on).id
            return
        starts = [(s, m.id) for m in self.managers if (s := m.next_start(at)) is not None]
        if starts:
            start, by = min(starts)
            visit.ack_at, visit.ack_by = start + self.rng.uniform(30, 150), by

    def _leave(self, visit: Visit, at: float) -> None:
        if visit.state != "waiting":
            return
        self.waiting.remove(visit)
        self._end(visit, "cancel" if visit.cancels else "left", at)
        self._tell_almost(at)

    def _end(self, visit: Visit, action: str, at: float, reason: str | None = None) -> None:
        visit.state = "done"
        visit.steps.append((action, at, None))
        visit.end_reason = reason
        if visit.sms and reason is None:
            visit.texts.append(("left", at, None))

    def _back(self, visit: Visit, at: float) -> None:
        """A call-back that did not get through is in line again (domain.callbacks)."""
        visit.state = "waiting"
        self.waiting.append(visit)
        self._push(visit.ready_at, READY, visit)

    def _ready(self, visit: Visit, at: float) -> None:
        self._wake(at)

    def _tell_almost(self, at: float) -> None:
        for visit in sorted(self.waiting, key=lambda w: _key(w, at))[:FIRST_TOLD]:
            if visit.sms and not visit.told:
                visit.told = True
                visit.texts.append(("almost_turn", at, None))

    # ---- the managers' side ----

    def _wake(self, at: float) -> None:
        while self.idle:
            manager = self.idle.pop(self.rng.randrange(len(self.idle)))
            if manager.on_duty(at):
                self._decide(manager, at)
                return
            start = manager.next_start(at)
            if start is not None:
                self._push(start, FREE, manager)

    def _free(self, manager: Manager, at: float) -> None:
        if manager.on_duty(at):
            self._decide(manager, at)
        elif (start := manager.next_start(at)) is not None:
            self._push(start, FREE, manager)

    def _decide(self, manager: Manager, at: float) -> None:
        ready = [w for w in self.waiting if w.ready_at <= at]
        if not ready:
            self.idle.append(manager)
            return
        visit = self._choose(manager, ready, at)
        self.waiting.remove(visit)
        self._call(manager, visit, at)
        self._tell_almost(at)

    def _choose(self, manager: Manager, ready: list[Visit], at: float) -> Visit:
        ready.sort(key=lambda w: _key(w, at))
        head = ready[0]
        if head.urgent(at) or at - head.arrived >= WINDOW or head.language in manager.languages:
            return head
        on = [m for m in self.managers if m is not manager and m.on_duty(at)]
        others = {language for m in on for language in m.languages}
        if head.language not in others:
            return head
        queued = [
            QueuedTicket(w.number, w.urgent(at), _EPOCH + timedelta(seconds=w.arrived), w.language)
            for w in ready
        ]
        first = call_order(
            queued,
            manager_languages=manager.languages,
            languages_of_other_managers=others,
            now=_EPOCH + timedelta(seconds=at),
        )[0]
        return next(w for w in ready if w.number == first)

    def _call(self, manager: Manager, visit: Visit, at: float) -> None:
        rng, me = self.rng, manager.id
        visit.state = "called"
        decided, interpreted = at, visit.language not in manager.languages
        if interpreted and not visit.urgent(at):
            at += rng.uniform(3, 10) * MIN  # the interpreter line first, then the call
        if visit.sms and not any(kind == "called" for kind, _, _ in visit.texts):
            visit.texts.append(("called", at, None))
        visit.steps.append(("call", at, me))
        session = visit.session + (6 * MIN if interpreted else 0)
        if visit.urgent(at) and rng.random() < 0.35:
            visit.outcome, visit.referral = Outcome.CRISIS, pick(rng, REFERRALS)
            session = rng.uniform(35, 70) * MIN
        if visit.channel in ("phone", "sms"):
            visit.tries += 1
            rang = at + rng.uniform(30, 100)
            if rng.random() < 0.8:
                visit.steps += [("call_reached", rang, me), ("start", rang, me)]
                busy = self._complete(visit, rang + session, me)
            else:
                visit.steps.append((rng.choice(("call_no_answer", "call_voicemail")), rang, me))
                busy = rang + rng.uniform(10, 40)
                if visit.tries >= DEFAULT_ATTEMPT_LIMIT:
                    visit.outcome, visit.referral = Outcome.UNREACHABLE, None
                    visit.steps.append(("complete", rang, me))
                    visit.state = "done"
                else:  # back in line, in their place, not to be tried for a while
                    visit.steps.append(("requeue", rang, me))
                    visit.ready_at = rang + RETRY
                    self._push(rang, BACK, visit)
        elif visit.no_show:
            busy = at + rng.uniform(180, 330)
            visit.steps.append(("no_show", busy, me))
            visit.state = "done"
            if visit.sms:
                visit.texts.append(("no_show", busy, None))
        else:
            started = at + rng.uniform(60, 240)
            visit.steps.append(("start", started, me))
            busy = self._complete(visit, started + session, me)
        self._stay_until(manager, decided, busy)
        self._push(busy, FREE, manager)

    def _complete(self, visit: Visit, at: float, by: int) -> float:
        if visit.outcome is None:
            visit.outcome = pick(self.rng, OUTCOMES)
            if visit.outcome == Outcome.CRISIS:
                visit.referral = pick(self.rng, REFERRALS)
        visit.steps.append(("complete", at, by))
        visit.state = "done"
        return at

    def _stay_until(self, manager: Manager, at: float, busy: float) -> None:
        """A session running past a stretch's end keeps the manager on duty (and moves their
        lunch later: it is still as long)."""
        for index, part in enumerate(manager.parts):
            if part[0] <= at < part[1] < busy:
                moved = busy + self.rng.uniform(0, 90) - part[1]
                part[1] += moved
                if index + 1 < len(manager.parts):
                    after = manager.parts[index + 1]
                    after[0] += moved
                    if after[0] >= after[1] - 10 * MIN:
                        part[1] = max(part[1], after[1])
                        del manager.parts[index + 1]
                return

    # ---- the day's end ----

    def _close(self, last_close: float) -> None:
        """Whoever is still in line when everyone has gone: most are told to come back and
        go; the rest are ended by the day's close at midnight (an office open around the
        clock has no such close: they go)."""
        for visit in sorted(self.waiting, key=lambda w: w.arrived):
            gone = max(last_close, visit.steps[-1][1]) + self.rng.uniform(1, 20) * MIN
            if self.always_open or (visit.channel == "kiosk" and self.rng.random() < 0.5):
                self._end(visit, "left", gone)
            else:
                self._end(visit, "day_closed", MIDNIGHT + self.rng.uniform(5, 59), "day_closed")
        self.waiting.clear()


def _key(visit: Visit, at: float) -> tuple[int, float, int]:
    """The queue order (domain.ordering): urgent first, then first come, first served."""
    return (0 if visit.urgent(at) else 1, visit.arrived, visit.number)
