"""Ticket codes: short, spoken aloud in a lobby, unique per site and day.

The n-th ticket of a site's day is A-001 … A-999, then B-001 … Z-999, five characters
for the first 25,974 tickets of a day (then A1-001 …); the dash makes a code easy to read
out. Codes carry nothing about the person.
"""

from __future__ import annotations

import string

PER_LETTER = 999


def ticket_code(number: int) -> str:
    if number < 1:
        raise ValueError("ticket numbers start at 1")
    block, offset = divmod(number - 1, PER_LETTER)
    letters = string.ascii_uppercase
    prefix = letters[block % len(letters)] + ("" if block < len(letters) else str(block // 26))
    return f"{prefix}-{offset + 1:03d}"
