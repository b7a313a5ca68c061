"""Who comes to an office on a day, and who is on duty there: the day's volume (weekday,
season, the office's size and hours), arrivals by hour, each visit's channel, language,
needs and urgency, and the case managers' shifts with their lunches and late mornings.

Times are seconds after the local midnight of the service day."""

from __future__ import annotations

import functools
import math
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any

from queue_service.domain.lifecycle import CrisisReferral, Outcome

from .demo_sites import Office

MIN, HOUR = 60.0, 3600.0
NEVER = math.inf
# Busiest on Monday, quieter on Friday; per open hour, so a short Saturday is not empty.
WEEKDAY = (1.22, 1.06, 1.0, 0.96, 0.8, 0.9, 0.9)
# Arrivals per local hour: a morning peak, a dip at lunch, a quiet late afternoon.
HOURLY = {7: 0.4, 8: 0.9, 9: 1.45, 10: 1.5, 11: 1.25, 12: 0.7, 13: 0.95, 14: 1.0, 15: 0.75,
          16: 0.45, 17: 0.3, 18: 0.25}  # fmt: skip
CHANNELS = (("kiosk", 58), ("phone", 25), ("web", 10), ("sms", 7))
NEEDS = (("housing", 30), ("food", 15), ("benefits", 20), ("health", 12), ("legal", 6),
         ("transport", 5), ("talk", 10), ("other", 2))  # fmt: skip
# Who gives a number and agrees to texts, by how they check in.
TEXTS = {"kiosk": 0.35, "web": 0.6, "phone": 0.45, "sms": 0.92}
NO_SHOW = {"kiosk": 0.06, "web": 0.16}
URGENT = 0.04
# How a session ends (case_opened only where a case is opened: demo_cases), and where a
# person in crisis was sent.
OUTCOMES = ((Outcome.RESOLVED, 40), (Outcome.REFERRED, 31), (Outcome.FOLLOW_UP, 22),
            (Outcome.OTHER, 6), (Outcome.CRISIS, 0.6))  # fmt: skip
REFERRALS = ((CrisisReferral.LIFELINE_988, 30), (CrisisReferral.MOBILE_CRISIS, 35),
             (CrisisReferral.EMERGENCY_DEPARTMENT, 25),
             (CrisisReferral.CALLED_911, 10))  # fmt: skip


class Visit:
    """One person's visit as it is planned (arrival, who they are) and as it went (steps)."""

    __slots__ = (
        "ack_at",
        "ack_by",
        "arrived",
        "cancels",
        "channel",
        "end_reason",
        "escalated_at",
        "language",
        "needs",
        "no_show",
        "number",
        "outcome",
        "patience",
        "ready_at",
        "referral",
        "session",
        "sms",
        "state",
        "steps",
        "texts",
        "told",
        "tries",
        "unstaffed",
        "urgent_at",
        "via",
        "visitor",
    )  # fmt: skip

    def __init__(self, arrived: float) -> None:
        self.number = 0
        self.arrived = arrived
        self.urgent_at: float | None = None
        self.via: str | None = None
        self.visitor: int | None = None
        self.steps: list[tuple[str, float, int | None]] = []
        self.texts: list[tuple[str, float, str | None]] = []
        self.tries, self.ready_at, self.state, self.told = 0, 0.0, "coming", False
        self.outcome: str | None = None
        self.referral: str | None = None
        self.end_reason: str | None = None
        self.ack_at: float | None = None
        self.ack_by: int | None = None
        self.escalated_at: float | None = None
        self.unstaffed = False

    def urgent(self, at: float) -> bool:
        return self.urgent_at is not None and self.urgent_at <= at


def pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    """One of the values, by their weights (random.choices, its running totals kept)."""
    values, totals = _totals(weighted)
    return values[bisect(totals, rng.random() * totals[-1], 0, len(totals) - 1)]


@functools.lru_cache(maxsize=256)
def _totals(weighted: tuple[tuple[Any, float], ...]) -> tuple[tuple[Any, ...], list[float]]:
    values, weights = zip(*weighted, strict=True)
    return values, list(accumulate(weights))


@functools.lru_cache(maxsize=256)
def _profile(spans: tuple[tuple[float, float], ...]) -> tuple[list[float], list[float]]:
    """Each open minute's start, and the running total of its arrival weight."""
    starts = [float(s) for a, b in spans for s in range(int(a), int(b) - 59, 60)]
    weights = [HOURLY.get(int(s // HOUR), 0.15) for s in starts]
    return starts, list(accumulate(weights))


_STANDARD = _profile(((9 * HOUR, 17 * HOUR),))[1][-1]


def volume(rng: random.Random, office: Office, day: date, spans: tuple, years: float) -> int:
    """How many come: the office's size, its weekday, the season (a winter peak), a slow
    rise over the years, the day after a closure busier, and the day's own chance."""
    season = 1 + 0.07 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)
    mean = office.size * WEEKDAY[day.weekday()] * season * (1 + 0.05 * years)
    mean *= _profile(spans)[1][-1] / _STANDARD if spans else 0
    return max(0, round(rng.gauss(mean, mean * 0.1)))


def arrivals(
    rng: random.Random, office: Office, spans: tuple[tuple[float, float], ...], count: int
) -> list[Visit]:
    """The day's visits in order of arrival, numbered, each with who they are."""
    if not spans or count <= 0:
        return []
    starts, cumulative = _profile(spans)
    minutes = rng.choices(starts, cum_weights=cumulative, k=count)
    visits = [Visit(float(int(m + rng.random() * 60))) for m in sorted(minutes)]
    for number, visit in enumerate(visits, start=1):
        visit.number = number
        describe(rng, visit, office)
    return visits


def describe(rng: random.Random, visit: Visit, office: Office) -> None:
    visit.channel = pick(rng, CHANNELS)
    visit.language = pick(rng, office.languages)
    visit.needs = (
        []
        if rng.random() < 0.06
        else sorted({pick(rng, NEEDS) for _ in range(1 + (rng.random() < 0.35))})
    )
    callback = visit.channel in ("phone", "sms")
    visit.sms = rng.random() < TEXTS[visit.channel]
    visit.no_show = not callback and rng.random() < NO_SHOW[visit.channel]
    visit.cancels = rng.random() < (0.6 if visit.channel in ("web", "sms") else 0.25)
    if callback:
        visit.patience = 40 * MIN + rng.expovariate(1 / (300 * MIN))
        visit.session = max(4.0, rng.gauss(13, 5)) * MIN
    else:
        visit.patience = 15 * MIN + rng.expovariate(1 / (150 * MIN))
        visit.session = max(6.0, rng.gauss(19, 7)) * MIN
    if rng.random() < URGENT:
        # Most say so as they check in; some later, while they wait.
        later = rng.random() < 0.15
        visit.urgent_at = visit.arrived + (rng.uniform(3, 25) * MIN if later else 0)
        visit.patience = rng.uniform(5, 30) * MIN if rng.random() < 0.1 else NEVER


# ---- duty ----


@dataclass
class Manager:
    """A case manager on duty today: their stretches ([start, end]) and desk."""

    id: int
    languages: frozenset[str]
    desk: str
    parts: list[list[float]]

    def on_duty(self, at: float) -> bool:
        return any(start <= at < end for start, end in self.parts)

    def next_start(self, at: float) -> float | None:
        return next((start for start, _ in self.parts if start > at), None)


def duty(
    rng: random.Random, spans: tuple[tuple[float, float], ...], managers: int
) -> list[list[list[float]]]:
    """Each case manager's stretches on duty ([start, end] pairs; none if away that day).

    They come a few minutes either side of opening (now and then the whole team an hour
    late: a meeting), take lunch in turns (some days all at once), and stay a little past
    closing; some leave early for an appointment.
    """
    late_morning = rng.random() < 0.06
    lunch_together = rng.random() < 0.2
    plans: list[list[list[float]]] = []
    for n in range(managers):
        if rng.random() < 0.08:  # away: leave, sickness, training
            plans.append([])
            continue
        parts: list[list[float]] = []
        for index, (opens, closes) in enumerate(spans):
            start = opens + rng.gauss(3, 6) * MIN
            if index == 0 and (late_morning or rng.random() < 0.04):
                start = opens + rng.uniform(40, 80) * MIN
            end = closes + max(-15.0, rng.gauss(6, 7)) * MIN
            if index == len(spans) - 1 and rng.random() < 0.05:
                end = closes - rng.uniform(30, 90) * MIN
            if closes - opens >= 6 * HOUR:
                begins = 12 * HOUR + (rng.uniform(0, 15) if lunch_together else n * 40 - 15) * MIN
                begins += rng.uniform(-10, 10) * MIN
                back = begins + rng.uniform(30, 50) * MIN
                if start < begins and back < end:
                    parts += [[start, begins], [back, end]]
                    continue
            if start < end:
                parts.append([start, end])
        plans.append(parts)
    return plans


def source(channel: str, *, at_check_in: bool, rng: random.Random | None = None) -> str:
    """domain.urgent.AlertSource: where the person said they feel unsafe."""
    if channel == "sms":
        return "text"
    if channel == "phone":
        return "call"
    if at_check_in or rng is None:
        return "kiosk"
    return "ticket_page" if rng.random() < 0.7 else "kiosk"
