"""What each text says, in the person's language.

A text can be read by anyone who picks up the phone: it carries the ticket code, the place,
the wait, the desk and the office's neutral sender name, never a name, a need, or a word
that says what kind of office this is. Short plain sentences, so most languages fit one or
two segments (domain/segments.py; tests/test_sms_wording.py counts them).

The words are marked with N_ for the catalogs (pybabel's default keywords) and translated
by the caller's gettext for the ticket's language: plain Python, no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .desks import desk_names_itself
from .messages import MessageKind
from .segments import Encoding, encoding_of

Gettext = Callable[[str], str]


# pybabel's default keyword for "translate later": the catalogs find these words.
def N_(message: str) -> str:
    return message


DEFAULT_SENDER = "Front Door"
# Every text starts with it: longer would push texts into a second segment, and one letter
# outside GSM-7 would make every text of the site UCS-2 (70 to a segment, not 160).
SENDER_MAX = 20
# Words a sender name must not hold: it is read by whoever picks up the phone.
REVEALING = re.compile(r"(?i)mental|psych|behavio|crisis|dmh|therap|counsel|health|clinic")


class InvalidSender(ValueError):
    """A sender name the texts cannot carry."""


def check_sender_name(value: object) -> str | None:
    """The site's sender name as texts will carry it (None: the default), or InvalidSender
    saying why. For the site settings (API, page, command line)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidSender("must be text")
    name = " ".join(value.split())
    if len(name) > SENDER_MAX:
        raise InvalidSender(f"at most {SENDER_MAX} characters")
    if encoding_of(name) != Encoding.GSM7:
        raise InvalidSender("plain letters only (accents beyond é, è, ñ, ü make texts longer)")
    if REVEALING.search(name):
        raise InvalidSender("a neutral name: it must not say what kind of office this is")
    return name


# The words a person may answer with, shown in each language's text. English always works
# too. The inbound side (STATUS, CANCEL) must read these same words: this is their one source.
REPLY_WORDS: dict[str, tuple[str, str]] = {
    "en": ("STATUS", "CANCEL"),
    "es": ("ESTADO", "CANCELAR"),
    "pt": ("STATUS", "CANCELAR"),
    "ht": ("ESTATI", "ANILE"),
    "zh": ("状态", "取消"),
    "vi": ("TRẠNG THÁI", "HỦY"),
}

# Translators: every SMS starts "SENDER: " (the office's neutral name, set by the site).
# Keep each text short: one SMS is 160 plain letters, or 70 once any letter is accented
# beyond é/è/ñ/ü (Spanish á, Portuguese ã/ç) or not Latin. %(code)s is a ticket code such as
# A-042 (never a phone number); %(status)s and %(cancel)s are the reply words, in capitals.
# Never add a name, a need, or a word that says what kind of office this is.
CHECKED_IN_WAIT = N_(
    "You are checked in, code %(code)s. Place in line: %(place)s, wait about %(minutes)s min. "
    "Reply %(status)s for an update, %(cancel)s to leave the line."
)
# Translators: as above, when a case manager is free now (the ticket page's "a few minutes").
CHECKED_IN_SOON = N_(
    "You are checked in, code %(code)s. Place in line: %(place)s, wait a few minutes. "
    "Reply %(status)s for an update, %(cancel)s to leave the line."
)
# Translators: as above, when nobody can say how long the wait is (no case manager yet).
CHECKED_IN = N_(
    "You are checked in, code %(code)s. Place in line: %(place)s. "
    "Reply %(status)s for an update, %(cancel)s to leave the line."
)
# Translators: SMS to a person in the lobby. %(ahead)s is how many people are before them.
ALMOST_TURN_WALK_IN = N_(
    "Almost your turn (code %(code)s). People ahead of you: %(ahead)s. "
    "Please stay near the waiting area."
)
# Translators: SMS to a caller who waits for our call back.
ALMOST_TURN_CALLBACK = N_(
    "Almost your turn (code %(code)s). People ahead of you: %(ahead)s. "
    "Please keep your phone near you."
)
# Translators: SMS. %(desk)s is a desk number or letter, e.g. 2 ("the desk": the counter
# or window where a case manager sees people, a lobby sign's word).
CALLED_DESK = N_("It is your turn, code %(code)s. Please come to desk %(desk)s now.")
# Translators: SMS. %(desk)s is a label staff typed that already says what it is, such as
# "Window B": keep it as it is.
CALLED_PLACE = N_("It is your turn, code %(code)s. Please come to %(desk)s now.")
# Translators: SMS, when the case manager has no desk number.
CALLED_NO_DESK = N_("It is your turn, code %(code)s. Please come to the front desk now.")
# Translators: SMS to a caller. %(number)s is the office's phone number we call from.
CALLED_CALLBACK = N_("It is your turn, code %(code)s. We are calling you now from %(number)s.")
# Translators: SMS to a caller, when the office's number is not known.
CALLED_CALLBACK_NO_NUMBER = N_("It is your turn, code %(code)s. We are calling you now.")
# Translators: SMS after a person did not come when called ("code": their ticket code).
NO_SHOW = N_(
    "We called code %(code)s but did not see you. If you are still here, please ask at the "
    "front desk."
)
# Translators: SMS confirming the person left the line (by their own choice).
LEFT = N_("You left the line (code %(code)s). We will not text you about this visit again.")
# Translators: SMS from 30 minutes before closing. %(time)s is the closing time, e.g. 17:00.
CLOSING = N_(
    "We close at %(time)s and may not see everyone today. Code %(code)s, place in line: %(place)s."
)
# Translators: how every SMS starts: the sender's name (the site's own setting), a colon and
# the text. Change only the punctuation if your language writes it differently.
WITH_SENDER = N_("%(sender)s: %(text)s")


@dataclass(frozen=True)
class Facts:
    """What a text may say about a visit, read in the transaction that writes it."""

    kind: MessageKind
    code: str
    callback: bool
    place: int | None = None
    minutes: int | None = None
    desk: str | None = None
    callback_number: str | None = None
    closes_at: str | None = None  # already in the person's language's time format


def template(facts: Facts) -> tuple[str, dict[str, object]]:
    """The source words for `facts` and their placeholders (before translation)."""
    kind, values = facts.kind, {"code": facts.code}
    if kind == MessageKind.CHECKED_IN:
        values["place"] = facts.place
        if facts.minutes is None:
            return CHECKED_IN, values
        if facts.minutes == 0:  # a manager is free: as the ticket page says, not "0 min"
            return CHECKED_IN_SOON, values
        return CHECKED_IN_WAIT, {**values, "minutes": facts.minutes}
    if kind == MessageKind.ALMOST_TURN:
        values["ahead"] = max((facts.place or 1) - 1, 0)
        return (ALMOST_TURN_CALLBACK if facts.callback else ALMOST_TURN_WALK_IN), values
    if kind == MessageKind.CALLED:
        if facts.callback:
            if facts.callback_number:
                return CALLED_CALLBACK, {**values, "number": facts.callback_number}
            return CALLED_CALLBACK_NO_NUMBER, values
        if not facts.desk:
            return CALLED_NO_DESK, values
        chosen = CALLED_PLACE if desk_names_itself(facts.desk) else CALLED_DESK
        return chosen, {**values, "desk": facts.desk}
    if kind == MessageKind.NO_SHOW:
        return NO_SHOW, values
    if kind == MessageKind.LEFT:
        return LEFT, values
    return CLOSING, {**values, "time": facts.closes_at, "place": facts.place}


def render(facts: Facts, language: str, gettext: Gettext, sender: str | None) -> str:
    """The whole text, in `language` (`gettext` is that language's catalog)."""
    return compose([template(facts)], language, gettext, sender)


def compose(
    sentences: Sequence[tuple[str, Mapping[str, object]]],
    language: str,
    gettext: Gettext,
    sender: str | None,
    words: Mapping[str, object] | None = None,
) -> str:
    """Sentences (source words and their values) as one text in `language`, after the
    sender's name; %(status)s and %(cancel)s are the language's reply words, and `words`
    any other reply words the sentences name."""
    status, cancel = REPLY_WORDS.get(language, REPLY_WORDS["en"])
    fill = {"status": status, "cancel": cancel, **(words or {})}
    text = " ".join(gettext(source) % {**fill, **values} for source, values in sentences)
    return gettext(WITH_SENDER) % {"sender": sender or DEFAULT_SENDER, "text": text}


def compose_free(words: str, gettext: Gettext, sender: str | None) -> str:
    """A case manager's own words after the sender's name, as every text begins."""
    return gettext(WITH_SENDER) % {"sender": sender or DEFAULT_SENDER, "text": words}
