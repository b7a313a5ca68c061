"""Urgent requests from one place, bounded without silencing anyone who needs help.

The rule: from one address (a kiosk, a phone), the first URGENT_ALLOWANCE urgent check-ins
within URGENT_WINDOW each become an urgent ticket and alert every console at once, as
always. Past that, within the same window, a further urgent check-in from that address
makes no new ticket: it is answered with the crisis lines at once (the kiosk shows them
before it even asks the office), counted, and summarised to the consoles as one burst
alert ("N more urgent requests from one kiosk"), at most once a minute. So one tablet, or
one script, cannot bury the line and the consoles under alerts, the first alert is never
delayed, and a real person at a flooded kiosk still sees the crisis lines and staff still
see that the kiosk needs a look. Someone already holding a ticket is never counted here:
their "I don't feel safe" escalates their own ticket.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from .callbacks import CALLBACK_CHANNELS
from .lifecycle import Channel

URGENT_WINDOW = timedelta(minutes=10)
URGENT_ALLOWANCE = 3
BURST_ALERT_EVERY = timedelta(minutes=1)


def over_allowance(recent_urgent_from_origin: int) -> bool:
    return recent_urgent_from_origin >= URGENT_ALLOWANCE


class AlertSource(StrEnum):
    """Where a person said they feel unsafe, which tells staff how to reach them."""

    KIOSK = "kiosk"  # the lobby tablet: they are in the lobby
    TICKET_PAGE = "ticket_page"  # their ticket page, on their own phone
    TEXT = "text"  # a text to the office: they may be anywhere
    CALL = "call"  # a call to the office (or a caller put in line by staff): call them back


class Reach(StrEnum):
    GO = "go"  # go to them: they are at the office
    CALL = "call"  # call them: they wrote from elsewhere, or wait for a call back


def source_of_check_in(channel: Channel) -> AlertSource:
    if channel == Channel.SMS:
        return AlertSource.TEXT
    return AlertSource.CALL if channel == Channel.PHONE else AlertSource.KIOSK


def how_to_reach(channel: str, source: str | None) -> Reach:
    """A caller waiting for a call back, or anyone who wrote by text, is called; a person
    who asked at the kiosk or on their ticket page as a walk-in is gone to."""
    if channel in CALLBACK_CHANNELS or source in (AlertSource.TEXT, AlertSource.CALL):
        return Reach.CALL
    return Reach.GO
