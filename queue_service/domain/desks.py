"""How a desk label is said to the person called there, on every screen and in every text."""

from __future__ import annotations

import re

# A desk label staff typed that already says what it is ("Window B", "Sala 2") is shown as
# typed; a bare number or letter ("3", "B") gets the screen's or the text's own word for a
# desk, in the person's language.
_WORD_IN_LABEL = re.compile(r"[^\W\d_]{3,}")


def desk_names_itself(desk: str | None) -> bool:
    return bool(desk and _WORD_IN_LABEL.search(desk))
