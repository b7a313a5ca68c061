"""The shortest true crisis line for each language: one sentence of what the 988 Suicide &
Crisis Lifeline can really do for a person reading it, and 911 for immediate danger. The
kiosk's footer and the texts that answer a person in crisis say these same words.

988 answers calls in English and Spanish (press 2), and with an interpreter for 240+ other
languages when the caller names their language in English; texts and chat are in English
and Spanish only. So every language has its own message, never the Spanish one translated,
and none suggests texting in a language 988 does not text in.
"""

from __future__ import annotations


# pybabel's default keyword for "translate later": the catalogs find these words.
def N_(message: str) -> str:
    return message


# The word a caller says, in English, to be given an interpreter. Never translated.
INTERPRETER_WORDS: dict[str, dict[str, str]] = {
    "en": {},
    "es": {},
    "pt": {"language": "Portuguese"},
    "ht": {"language": "Haitian Creole"},
    "zh": {"mandarin": "Mandarin", "cantonese": "Cantonese"},
    "vi": {"language": "Vietnamese"},
}

TALK_NOW = {
    # Translators: shown only in English, at the foot of every kiosk screen.
    "en": N_("Need to talk now? Call or text 988, any time."),
    # Translators: shown only in Spanish (other catalogs may copy the English), at the
    # foot of every kiosk screen. AYUDA stays as it is: it is the word to text.
    "es": N_("Need to talk now? Call 988 and press 2 for Spanish, or text AYUDA to 988."),
    # Translators: shown only in Portuguese (other catalogs may copy the English).
    # %(language)s is the English word "Portuguese", which the caller says to get an
    # interpreter: keep it in English, inside quotes.
    "pt": N_(
        "Need to talk now? Call 988 and say “%(language)s” in English for a Portuguese interpreter."
    ),
    # Translators: shown only in Haitian Creole (other catalogs may copy the English).
    # %(language)s is the English words "Haitian Creole", which the caller says to get an
    # interpreter: keep them in English, inside quotes.
    "ht": N_(
        "Need to talk now? Call 988 and say “%(language)s” in English for a "
        "Haitian Creole interpreter."
    ),
    # Translators: shown only in Chinese (other catalogs may copy the English).
    # %(mandarin)s and %(cantonese)s are the English words "Mandarin" and "Cantonese",
    # which the caller says to get an interpreter: keep them in English, inside quotes.
    "zh": N_(
        "Need to talk now? Call 988 and say “%(mandarin)s” or “%(cantonese)s” "
        "in English for a Chinese interpreter."
    ),
    # Translators: shown only in Vietnamese (other catalogs may copy the English).
    # %(language)s is the English word "Vietnamese", which the caller says to get an
    # interpreter: keep it in English, inside quotes.
    "vi": N_(
        "Need to talk now? Call 988 and say “%(language)s” in English for a Vietnamese interpreter."
    ),
}
# Translators: the last crisis line, in every language: 911 is for immediate danger.
DANGER = N_("If you are in danger right now, call 911.")


def talk_now(language: str) -> tuple[str, dict[str, str]]:
    """The crisis line's source words for `language` and what fills them in."""
    if language not in TALK_NOW:
        language = "en"
    return TALK_NOW[language], INTERPRETER_WORDS[language]
