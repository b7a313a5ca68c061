"""The crisis lines, true for each language separately: what the 988 Suicide & Crisis
Lifeline can really do for a person reading that language, and 911 for immediate danger."""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from queue_service.domain import crisis_words
from queue_service.domain.crisis_words import INTERPRETER_WORDS


class Crisis(NamedTuple):
    """What the 988 Suicide & Crisis Lifeline can really do for a person reading this language.

    988 answers calls in English and Spanish (press 2), and with an interpreter for 240+
    other languages when the caller names their language in English; texts and chat are in
    English and Spanish only. So every language has its own message, never the Spanish one
    translated, and none suggests texting in a language 988 does not text in.
    """

    footer: LazyString  # one quiet line at the foot of every kiosk screen (crisis_words)
    call: LazyString  # how to call, on the help and closed screens and the ticket page
    text: LazyString  # what texting can and cannot do, in this language
    sms: LazyString  # the ticket page's tap-to-text link


_PT, _HT, _ZH, _VI = (INTERPRETER_WORDS[code] for code in ("pt", "ht", "zh", "vi"))


def _talk_now(language: str) -> LazyString:
    """The footer: the one-sentence crisis line the texts say too (domain.crisis_words)."""
    words, values = crisis_words.talk_now(language)
    return lazy_gettext(words, **values)


# Translators: a tap-to-text link on the person's phone (under 30 characters). 988 answers
# texts in English and Spanish only; keep that clear in your language.
_SMS_ENGLISH_OR_SPANISH = lazy_gettext("Text 988 (English or Spanish)")

CRISIS = {
    "en": Crisis(
        footer=_talk_now("en"),
        # Translators: shown only in English. "988 Suicide & Crisis Lifeline" is the name.
        call=lazy_gettext("Call 988, the 988 Suicide & Crisis Lifeline, any time, day or night."),
        # Translators: shown only in English.
        text=lazy_gettext("You can also text 988, or chat at 988lifeline.org."),
        # Translators: shown only in English; a tap-to-text link (under 30 characters).
        sms=lazy_gettext("Text 988"),
    ),
    "es": Crisis(
        footer=_talk_now("es"),
        # Translators: shown only in Spanish (other catalogs may copy the English). Name the
        # service as SAMHSA does in Spanish ("988 Línea de Prevención del Suicidio y Crisis").
        call=lazy_gettext(
            "Call 988, the 988 Suicide & Crisis Lifeline, any time. Press 2 to talk in Spanish."
        ),
        # Translators: shown only in Spanish; AYUDA stays as it is (the word to text).
        text=lazy_gettext("You can also text AYUDA to 988 to write in Spanish."),
        # Translators: shown only in Spanish; a tap-to-text link (under 30 characters).
        sms=lazy_gettext("Text AYUDA to 988"),
    ),
    "pt": Crisis(
        footer=_talk_now("pt"),
        # Translators: shown only in Portuguese. %(language)s is the English word
        # "Portuguese" that the caller says: keep it in English, inside quotes.
        call=lazy_gettext(
            "Call 988, the 988 Suicide & Crisis Lifeline, any time. When someone answers, say "
            "“%(language)s” in English and stay on the line: a Portuguese interpreter will "
            "join you.",
            **_PT,
        ),
        # Translators: shown only in Portuguese (other catalogs may copy the English).
        text=lazy_gettext(
            "Texts and chat at 988 are in English and Spanish only, not in Portuguese."
        ),
        sms=_SMS_ENGLISH_OR_SPANISH,
    ),
    "ht": Crisis(
        footer=_talk_now("ht"),
        # Translators: shown only in Haitian Creole. %(language)s is the English words
        # "Haitian Creole" that the caller says: keep them in English, inside quotes.
        call=lazy_gettext(
            "Call 988, the 988 Suicide & Crisis Lifeline, any time. When someone answers, say "
            "“%(language)s” in English and stay on the line: a Haitian Creole interpreter "
            "will join you.",
            **_HT,
        ),
        # Translators: shown only in Haitian Creole (other catalogs may copy the English).
        text=lazy_gettext(
            "Texts and chat at 988 are in English and Spanish only, not in Haitian Creole."
        ),
        sms=_SMS_ENGLISH_OR_SPANISH,
    ),
    "zh": Crisis(
        footer=_talk_now("zh"),
        # Translators: shown only in Chinese. %(mandarin)s and %(cantonese)s are the English
        # words "Mandarin" and "Cantonese" that the caller says: keep them in English.
        call=lazy_gettext(
            "Call 988, the 988 Suicide & Crisis Lifeline, any time. When someone answers, say "
            "“%(mandarin)s” or “%(cantonese)s” in English and stay on the line: a Chinese "
            "interpreter will join you.",
            **_ZH,
        ),
        # Translators: shown only in Chinese (other catalogs may copy the English).
        text=lazy_gettext("Texts and chat at 988 are in English and Spanish only, not in Chinese."),
        sms=_SMS_ENGLISH_OR_SPANISH,
    ),
    "vi": Crisis(
        footer=_talk_now("vi"),
        # Translators: shown only in Vietnamese. %(language)s is the English word
        # "Vietnamese" that the caller says: keep it in English, inside quotes.
        call=lazy_gettext(
            "Call 988, the 988 Suicide & Crisis Lifeline, any time. When someone answers, say "
            "“%(language)s” in English and stay on the line: a Vietnamese interpreter will "
            "join you.",
            **_VI,
        ),
        # Translators: shown only in Vietnamese (other catalogs may copy the English).
        text=lazy_gettext(
            "Texts and chat at 988 are in English and Spanish only, not in Vietnamese."
        ),
        sms=_SMS_ENGLISH_OR_SPANISH,
    ),
}
DANGER = lazy_gettext(crisis_words.DANGER)


def crisis(lang: str) -> dict[str, str]:
    """The crisis lines for `lang`, in `lang` (the request's language must be `lang`)."""
    lines = CRISIS.get(lang, CRISIS["en"])
    return {**{part: str(text) for part, text in lines._asdict().items()}, "danger": str(DANGER)}
