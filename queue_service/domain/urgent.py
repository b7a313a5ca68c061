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

URGENT_WINDOW = timedelta(minutes=10)
URGENT_ALLOWANCE = 3
BURST_ALERT_EVERY = timedelta(minutes=1)


def over_allowance(recent_urgent_from_origin: int) -> bool:
    return recent_urgent_from_origin >= URGENT_ALLOWANCE
