"""Knowing a person again without knowing who they are: the recognition keys and the
repeat-visit rule.

Open access collects no identity at the door. A returning person is recognised only by
something they chose to give or keep: the mobile number they gave for texts or a call-back,
or their personal return code (shown on their ticket, typed or scanned at the kiosk next
time). Neither is stored as itself: each becomes a keyed hash (HMAC with the secret key),
so the table of visitors gives nothing back to someone who hashes every number of an area
code. Blank and placeholder values (0000000000, 1234567890, the office's own number) are
never keys: they would join strangers into one "visitor".
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import phonenumbers


class KeyKind(StrEnum):
    PHONE = "phone"
    RETURN_CODE = "return_code"


def keyed_hash(secret_key: str, purpose: str, value: str) -> str:
    """The one keyed hash of a personal value; `purpose` keeps each use's keys apart."""
    return hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def recognition_key(secret_key: str, kind: KeyKind, value: str) -> str:
    return keyed_hash(secret_key, f"visitor-{kind.value}", value)


# A return code: eight characters a person can read off a ticket and type on a tablet.
# No 0/O, 1/I/L, 5/S or 2/Z: nothing to confuse when typed back. 27^8 ≈ 2.8e11 codes.
RETURN_CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
RETURN_CODE_LENGTH = 8
QR_PREFIX = "FD"  # what the return code's QR carries before the code (kiosk/qr.py)


def new_return_code() -> str:
    return "".join(secrets.choice(RETURN_CODE_ALPHABET) for _ in range(RETURN_CODE_LENGTH))


def return_code_display(code: str) -> str:
    """K7QM3XPD → K7QM-3XPD: two halves are easier to read out and copy."""
    half = RETURN_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


class InvalidReturnCode(ValueError):
    pass


def normalise_return_code(typed: str) -> str:
    """What a person typed or scanned, as the code itself: case, spaces and dashes do not
    matter. InvalidReturnCode when it cannot be a code at all (never matched, so a typo
    can never land on someone else's history)."""
    cleaned = re.sub(r"[\s\-_.]", "", typed.upper())
    if len(cleaned) == len(QR_PREFIX) + RETURN_CODE_LENGTH and cleaned.startswith(QR_PREFIX):
        cleaned = cleaned[len(QR_PREFIX) :]  # scanned: the QR carries the prefix
    if len(cleaned) != RETURN_CODE_LENGTH or any(c not in RETURN_CODE_ALPHABET for c in cleaned):
        raise InvalidReturnCode(
            f"A return code is {RETURN_CODE_LENGTH} letters and numbers, like "
            f"{return_code_display('K7QM3XPD')}."
        )
    return cleaned


def number_recognises(channel: str) -> bool:
    """Whether a number given on this channel may recognise the person: only where they
    typed it themselves under words that say so (the kiosk's phone step, on a tablet or
    their phone). A caller's ID, a texter's number, a number a manager typed for a
    call-back: none was given for that, so none is used (staff can link a visit by hand)."""
    return channel in ("kiosk", "web")


def recognisable_number(e164: str | None, office_numbers: frozenset[str] = frozenset()) -> bool:
    """Whether a (normalised) number may recognise a person: never a placeholder someone
    types for "no phone", and never one of the office's own numbers."""
    if not e164 or e164 in office_numbers:
        return False
    try:
        national = str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return False
    subscriber = national[-7:]
    if len(set(national)) <= 2 or len(set(subscriber)) == 1:
        return False  # 000 000 0000, 617 111 1111, 999 999 9999
    return not any(run in national for run in ("1234567", "7654321", "0123456", "9876543"))


@dataclass(frozen=True)
class RepeatRule:
    """A visitor "keeps coming back" at a site when, within the last `window_days` local
    days (today included), they came on `visits` different days, or on `urgent_visits`
    different days saying they did not feel safe (three check-ins one morning, cancelled
    and made again, are one visit). A site setting; these defaults follow the issue's brief."""

    visits: int = 3
    urgent_visits: int = 2
    window_days: int = 30

    def window_start(self, today: date) -> date:
        """The first service day inside the window: local days, so a daylight-saving change
        moves no edge."""
        return today - timedelta(days=self.window_days - 1)

    def met_by(self, visits: int, urgent_visits: int) -> bool:
        return visits >= self.visits or urgent_visits >= self.urgent_visits

    def label(self, visits: int, urgent_visits: int) -> str | None:
        """The console's flag, e.g. "3rd visit in 30 days"; None when the rule is not met."""
        if not self.met_by(visits, urgent_visits):
            return None
        days = f"in {self.window_days} days"
        if visits >= self.visits:
            words = f"{ordinal(visits)} visit {days}"
            if urgent_visits >= self.urgent_visits:
                words += f", {urgent_visits} urgent"
            return words
        return f"{ordinal(urgent_visits)} urgent visit {days}"


REPEAT_LIMITS = {"visits": (2, 50), "urgent_visits": (1, 50), "window_days": (7, 365)}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
