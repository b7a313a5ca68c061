"""The translation catalogs, read with plain Babel (no Flask): a text is written in the
ticket's language inside the transaction that calls for it, whoever made the change."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.support import NullTranslations, Translations

_ROOT = Path(__file__).resolve().parents[2]
# Installed, the catalogs ride inside the frontdoor package (pyproject's force-include);
# in a checkout they are at its top.
PLACES = (_ROOT / "frontdoor" / "translations", _ROOT / "translations")


def translations_dir() -> Path:
    for place in PLACES:
        if place.is_dir():
            return place
    return PLACES[-1]


@cache
def _catalog(language: str) -> NullTranslations:
    return Translations.load(str(translations_dir()), [language])


def gettext_for(language: str):  # type: ignore[no-untyped-def]
    """`language`'s gettext; English (the source words) for a language without a catalog."""
    return _catalog(language).gettext


def clock_time(moment: datetime, timezone: str, language: str) -> str:
    """A time of day as `language` writes it (5:00 PM, 17:00), in the site's zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    try:
        words = format_time(local, format="short", locale=Locale.parse(language))
    except (UnknownLocaleError, ValueError):
        return local.strftime("%H:%M")
    # CLDR puts a narrow no-break space before "PM": outside GSM-7, it alone would make an
    # English text UCS-2 and cost it a second segment.
    return words.replace("\u202f", " ").replace("\u00a0", " ")


def weekday_name(moment: datetime, timezone: str, language: str) -> str:
    """The day of the week of `moment` in the site's zone, in `language`'s own word."""
    local = moment.astimezone(ZoneInfo(timezone))
    try:
        return format_date(local, format="EEEE", locale=Locale.parse(language))
    except (UnknownLocaleError, ValueError):
        return local.strftime("%A")
