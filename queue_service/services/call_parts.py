"""What every step of a call shares: the call as the provider describes it, the caller's
number, and their visit as the call speaks of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain import voice_script as script
from ..domain.callbacks import CALLBACK_CHANNELS
from ..domain.checkin import normalise_phone
from ..domain.lifecycle import Channel
from ..models import Site, Ticket
from . import checkins
from .checkins import CheckedIn
from .views import PlaceInLine

# What callers' phones send when the number is withheld (Twilio's and the carriers' words).
HIDDEN = {"anonymous", "restricted", "unknown", "private", "blocked", "+266696687"}


@dataclass(frozen=True)
class IncomingCall:
    sid: str  # the provider's id for the call (Twilio's CallSid): the same at every step
    from_number: str
    to_number: str
    step: script.CallStep
    digits: str = ""
    language: str = ""  # chosen at an earlier step
    again: bool = False  # this step's question was already asked once


def caller_number(raw: str) -> str | None:
    """The caller's number, or None when it is withheld or no number anyone can call."""
    if raw.strip().lower() in HIDDEN:
        return None
    try:
        return normalise_phone(raw)
    except ValueError:
        return None


def join_as_call_back(
    session: Session, site: Site, call: IncomingCall, phone: str, language: str, *,
    urgent: bool, secret_key: str, now: datetime,
) -> CheckedIn:  # fmt: skip
    """Put the caller in the line as a call-back, keyed by the call (and what they asked):
    the provider sending the step again makes no second ticket. Raises OfficeClosed and
    ValidationFailed as a check-in does."""
    person = {"language": language, "phone": phone, "sms_opt_in": False, "urgent": urgent}
    joined = checkins.check_in(
        session, site.slug, person, channel=Channel.PHONE,
        idempotency_key=f"call-{call.sid}" + ("-unsafe" if urgent else ""),
        secret_key=secret_key, now=now,
    )  # fmt: skip
    assert isinstance(joined, CheckedIn)  # no origin: never coalesced
    return joined


def visit_of(ticket: Ticket, place: PlaceInLine) -> script.Visit:
    return script.Visit(
        code=ticket.code, callback=ticket.channel in CALLBACK_CHANNELS, place=place.position,
        minutes=place.wait, desk=ticket.desk, offer_texts=not ticket.sms_opt_in,
    )  # fmt: skip
