"""Counting SMS segments the way a phone network packs a text (domain/segments.py)."""

import pytest

from queue_service.domain.segments import Encoding, count_segments


@pytest.mark.parametrize(
    ("text", "encoding", "count", "units"),
    [
        ("", Encoding.GSM7, 0, 0),
        ("a" * 160, Encoding.GSM7, 1, 160),
        ("a" * 161, Encoding.GSM7, 2, 161),
        ("a" * 306, Encoding.GSM7, 2, 306),  # two parts of 153
        ("a" * 307, Encoding.GSM7, 3, 307),
        # GSM-7 has é, è, ñ, ü, Ç and ¿ of its own: Spanish and Creole letters stay 7-bit.
        ("¿Qué? Kreyòl, niño, Ç", Encoding.GSM7, 1, 21),
        # € and [ ] are in the extension table: two septets each.
        ("€" * 80, Encoding.GSM7, 1, 160),
        ("€" * 81, Encoding.GSM7, 2, 162),
        # One accented letter outside GSM-7 makes the whole text UCS-2.
        ("a" * 69 + "á", Encoding.UCS2, 1, 70),
        ("a" * 70 + "á", Encoding.UCS2, 2, 71),
        ("排" * 134, Encoding.UCS2, 2, 134),  # two parts of 67
        ("排" * 135, Encoding.UCS2, 3, 135),
        # A character beyond the BMP is two UTF-16 units.
        ("🙂" * 35, Encoding.UCS2, 1, 70),
    ],
)
def test_segments_by_encoding_and_length(text, encoding, count, units):
    found = count_segments(text)
    assert (found.encoding, found.count, found.units) == (encoding, count, units)


def test_an_escape_pair_is_never_split_across_two_parts():
    # 152 plain septets, then "€" (2 septets) cannot share the first part's last septet.
    assert count_segments("a" * 152 + "€" + "a" * 151).count == 2
    assert count_segments("a" * 152 + "€" + "a" * 152).count == 3


def test_a_surrogate_pair_is_never_split_across_two_parts():
    assert count_segments("排" * 66 + "🙂" + "排" * 66).count == 3
    assert count_segments("排" * 65 + "🙂" + "排" * 67).count == 2
