"""How many SMS segments a text costs, and in which encoding.

A text that uses only the GSM-7 alphabet goes as 7-bit characters: 160 to a single
segment, 153 to each part of a longer one (the rest of each part carries the header that
joins them). One character outside it (Chinese, most Vietnamese letters, "á" or "ç")
turns the whole text into UCS-2: 70 UTF-16 units to a single segment, 67 to each part.
Characters of GSM-7's extension table (€, [, ] …) cost two septets, and neither an escape
pair nor a surrogate pair is ever split across two parts, so long texts are counted the
way a phone network packs them.

Plain Python: the wording tests and the outbox (which stores each text's count) share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# GSM 03.38, basic character set (the escape 0x1B itself left out) and extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

SINGLE = {"gsm7": 160, "ucs2": 70}
PART = {"gsm7": 153, "ucs2": 67}


class Encoding(StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True)
class Segments:
    encoding: Encoding
    count: int
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)


def encoding_of(text: str) -> Encoding:
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        return Encoding.GSM7
    return Encoding.UCS2


def _unit_sizes(text: str, encoding: Encoding) -> list[int]:
    if encoding == Encoding.GSM7:
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def count_segments(text: str) -> Segments:
    """The encoding a network uses for `text`, and the segments it is billed as."""
    encoding = encoding_of(text)
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return Segments(encoding, 1 if units else 0, units)
    part, count, used = PART[encoding], 1, 0
    for size in sizes:
        # A character that does not fit whole starts the next part.
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return Segments(encoding, count, units)
