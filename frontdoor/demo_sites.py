"""The offices a demo history is made for: the demo site, then Massachusetts site offices of
different sizes, languages and hours; their staff; and the state's holidays."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

Weights = tuple[tuple[str, float], ...]

# Languages by the people an office serves (en, es, pt, ht, zh, vi: the kiosk's six).
BOSTON: Weights = (("en", 52), ("es", 22), ("ht", 9), ("pt", 5), ("zh", 7), ("vi", 5))
DORCHESTER: Weights = (("en", 50), ("es", 14), ("ht", 14), ("pt", 9), ("vi", 10), ("zh", 3))
METRO: Weights = (("en", 64), ("es", 15), ("pt", 8), ("ht", 6), ("zh", 4), ("vi", 3))
LATINO: Weights = (("en", 44), ("es", 46), ("pt", 4), ("ht", 3), ("zh", 1), ("vi", 2))
LUSOPHONE: Weights = (("en", 57), ("es", 11), ("pt", 25), ("ht", 3), ("zh", 1), ("vi", 3))
HAITIAN: Weights = (("en", 53), ("es", 12), ("ht", 21), ("pt", 9), ("zh", 2), ("vi", 3))
ASIAN: Weights = (("en", 58), ("es", 8), ("zh", 21), ("vi", 9), ("ht", 2), ("pt", 2))
MERRIMACK: Weights = (("en", 62), ("es", 14), ("pt", 8), ("vi", 9), ("zh", 4), ("ht", 3))
WESTERN: Weights = (("en", 62), ("es", 32), ("pt", 1), ("ht", 1), ("zh", 1), ("vi", 3))
RURAL: Weights = (("en", 88), ("es", 7), ("pt", 3), ("ht", 0.5), ("zh", 0.5), ("vi", 1))

NINE_TO_FIVE = "mon-fri 09:00-17:00"


@dataclass(frozen=True)
class Office:
    slug: str
    name: str
    size: int  # visits on an ordinary Wednesday
    languages: Weights
    hours: str = NINE_TO_FIVE
    # Hours from about the middle of the history on (a second SiteHours row).
    later_hours: str | None = None
    timezone: str = "America/New_York"

    @property
    def managers(self) -> int:
        return 2 if self.size < 40 else 3 if self.size < 60 else 4


# The demo site is open around the clock (so it can be tried at any hour); its history
# still follows an office's working week.
DEMO = Office("demo", "Demo Site Office", 36, BOSTON, hours="always")
DEMO_PATTERN = NINE_TO_FIVE

OFFICES = (
    Office("boston-north", "Boston North Site Office", 72, BOSTON,
           later_hours="mon-fri 08:30-18:00"),
    Office("dorchester", "Dorchester Site Office", 64, DORCHESTER),
    Office("worcester", "Worcester Site Office", 76, MERRIMACK,
           hours="mon-thu 08:30-12:00 13:00-17:00, fri 09:00-13:00"),
    Office("springfield", "Springfield Site Office", 80, WESTERN, hours="mon-fri 08:30-16:30"),
    Office("brockton", "Brockton Site Office", 58, HAITIAN),
    Office("lowell", "Lowell Site Office", 55, MERRIMACK, hours="mon-fri 08:00-16:00"),
    Office("lawrence", "Lawrence Site Office", 60, LATINO,
           hours="mon-fri 09:00-17:00, sat 10:00-13:00"),
    Office("new-bedford", "New Bedford Site Office", 52, LUSOPHONE, hours="mon-fri 08:30-16:30",
           later_hours=NINE_TO_FIVE),
    Office("quincy", "Quincy Site Office", 48, ASIAN),
    Office("cambridge", "Cambridge Site Office", 50, METRO, hours="mon-fri 08:30-16:30"),
    Office("fall-river", "Fall River Site Office", 45, LUSOPHONE),
    Office("jamaica-plain", "Jamaica Plain Site Office", 45, LATINO),
    Office("lynn", "Lynn Site Office", 46, LATINO),
    Office("framingham", "Framingham Site Office", 44, LUSOPHONE),
    Office("holyoke", "Holyoke Site Office", 42, LATINO,
           later_hours="mon-thu 08:30-12:00 13:00-17:00, fri 08:30-12:00"),
    Office("chelsea", "Chelsea Site Office", 42, LATINO),
    Office("east-boston", "East Boston Site Office", 40, LATINO),
    Office("somerville", "Somerville Site Office", 38, LUSOPHONE),
    Office("malden", "Malden Site Office", 36, ASIAN),
    Office("pittsfield", "Pittsfield Site Office", 35, RURAL),
    Office("hyannis", "Cape Cod Site Office", 34, LUSOPHONE,
           later_hours="mon-thu 09:00-17:00, fri 09:00-13:00"),
    Office("salem", "Salem Site Office", 33, METRO),
    Office("taunton", "Taunton Site Office", 32, METRO),
    Office("northampton", "Northampton Site Office", 32, RURAL),
    Office("fitchburg", "Fitchburg Site Office", 31, WESTERN),
    Office("haverhill", "Haverhill Site Office", 30, METRO),
    Office("plymouth", "Plymouth Site Office", 30, RURAL),
    Office("westfield", "Westfield Site Office", 30, RURAL),
    Office("greenfield", "Greenfield Site Office", 30, RURAL,
           hours="mon 09:00-16:00, wed-thu 09:00-16:00"),
)  # fmt: skip


def offices(count: int) -> list[Office]:
    """The demo site and the first `count` - 1 others; past the list, numbered satellites."""
    found = [DEMO, *OFFICES[: max(count - 1, 0)]]
    for n in range(len(found) + 1, count + 1):
        found.append(Office(f"satellite-{n}", f"Satellite Office {n}", 30, METRO))
    return found


# ---- holidays: the Commonwealth's, observed on the Friday or Monday of a weekend ----


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_monday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _holidays_of(year: int) -> list[tuple[date, str]]:
    return [
        (_observed(date(year, 1, 1)), "New Year's Day"),
        (_nth_weekday(year, 1, 0, 3), "Martin Luther King Jr. Day"),
        (_nth_weekday(year, 2, 0, 3), "Washington's Birthday"),
        (_nth_weekday(year, 4, 0, 3), "Patriots' Day"),
        (_last_monday(year, 5), "Memorial Day"),
        (_observed(date(year, 6, 19)), "Juneteenth"),
        (_observed(date(year, 7, 4)), "Independence Day"),
        (_nth_weekday(year, 9, 0, 1), "Labor Day"),
        (_nth_weekday(year, 10, 0, 2), "Indigenous Peoples' Day"),
        (_observed(date(year, 11, 11)), "Veterans Day"),
        (_nth_weekday(year, 11, 3, 4), "Thanksgiving"),
        (_observed(date(year, 12, 25)), "Christmas Day"),
    ]


def holidays(first: date, last: date) -> list[dict[str, str]]:
    """The state holidays from `first` to `last`, as a site's closures."""
    return [
        {"date": day.isoformat(), "reason": reason}
        for year in range(first.year, last.year + 1)
        for day, reason in _holidays_of(year)
        if first <= day <= last
    ]


# ---- staff: made-up names, none of them one the log check looks for ----

FIRST = (
    "Adriana", "Beatriz", "Carlos", "Chloe", "Daniel", "Diego", "Elena", "Emily", "Fabiola",
    "Gabriel", "Grace", "Hoa", "Isabel", "Jean", "Joana", "Jonathan", "Kelly", "Kenia",
    "Lauren", "Mei", "Michael", "Minh", "Nadia", "Nicole", "Olivia", "Patrick", "Paulo",
    "Rachel", "Ricardo", "Samuel", "Sofia", "Stephanie", "Thanh", "Valeria", "Wei", "Yves",
)  # fmt: skip
LAST = (
    "Alves", "Baptiste", "Brennan", "Cabral", "Chen", "Costa", "Doherty", "Duarte", "Fitzgerald",
    "Gomes", "Guzman", "Ho", "Jean-Louis", "Kelley", "Le", "Lin", "McCarthy", "Medeiros",
    "Murphy", "Nguyen", "O'Brien", "Ortiz", "Pereira", "Phan", "Reyes", "Rivera", "Sullivan",
    "Tavares", "Toussaint", "Tran", "Vargas", "Walsh", "Wong", "Zhang",
)  # fmt: skip


@dataclass(frozen=True)
class Member:
    email: str
    name: str
    role: str
    languages: tuple[str, ...]


def team(office: Office, rng: random.Random) -> list[Member]:
    """The office's case managers (languages as its visitors speak them) and its site lead."""
    total = sum(weight for _, weight in office.languages)
    share = {code: weight / total for code, weight in office.languages}
    members: list[Member] = []
    taken: set[str] = set()
    for n in range(office.managers + 1):
        role = "site_lead" if n == office.managers else "case_manager"
        languages = ["en"]
        for code in ("es", "pt", "ht", "zh", "vi"):
            # The office's main second language always has a speaker on the team.
            must = n == 0 and code == "es" and share["es"] >= 0.15
            if must or rng.random() < min(0.9, share[code] * 2.4):
                languages.append(code)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = "lead" if role == "site_lead" else _email_part(f"{first}.{last}")
        while local in taken:
            local += str(len(taken))
        taken.add(local)
        members.append(
            Member(f"{local}@{office.slug}.frontdoor", f"{first} {last}", role, tuple(languages))
        )
    return members


def _email_part(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c in ".-")
