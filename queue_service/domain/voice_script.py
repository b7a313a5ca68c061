"""A call to the office, step by step, as plain data: what is said, which keys are offered
and where each answer goes. The webhook renders it as TwiML with the provider's library.

The steps of a call: the language menu (each language in its own words), then the caller's
place in line (or the truth: the office is closed, or their number is hidden), then the keys
for texts and for "I do not feel safe". Each step's state rides in its URL, signed by the
provider like every webhook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from . import voice_words as words
from .crisis_words import DANGER, talk_now
from .sms_commands import Command, word_for
from .sms_replies import Line, Staffing, crisis_lines
from .sms_wording import Gettext

TEXTS_DIGIT = "1"
UNSAFE_DIGIT = "9"
MENU_DIGITS = "123456789"


class CallStep(StrEnum):
    MENU = "menu"  # the call has just come in: which language?
    LANGUAGE = "language"  # a language was chosen (or none: the site's first)
    CHOICES = "choices"  # in line: texts, or "I do not feel safe"


@dataclass(frozen=True)
class Say:
    language: str
    line: Line


@dataclass(frozen=True)
class Ask:
    """Wait for one key; what was pressed goes to `step` with `params`."""

    step: CallStep
    says: tuple[Say, ...]
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Script:
    says: tuple[Say, ...] = ()
    ask: Ask | None = None
    # Said when no key was pressed.
    after: tuple[Say, ...] = ()
    # Then go to this step, or hang up (None).
    then: tuple[CallStep, dict[str, str]] | None = None


def _say(language: str, *lines: Line) -> tuple[Say, ...]:
    return tuple(Say(language, line) for line in lines)


def _line(source: str, **values: object) -> Line:
    return Line(source, values)


def spell(code: str) -> str:
    """A code read one character at a time: "A-042" as "A, 0, 4, 2"."""
    return ", ".join(char for char in code if char.isalnum())


def spoken(say: Say, gettext: Gettext) -> str:
    """One sentence in its language (`gettext` is that language's catalog)."""
    fill = {"stop": word_for(Command.STOP, say.language)}
    return gettext(say.line.words) % {**fill, **say.line.values}


def _crisis(language: str) -> tuple[Say, ...]:
    source, interpreter = talk_now(language)
    return _say(language, _line(source, **interpreter), _line(DANGER))


def language_menu(languages: Sequence[str], *, again: bool) -> Script:
    """Each language says its own choice; no key twice gives the site's first language."""
    says = tuple(
        Say(language, _line(words.CHOOSE, digit=digit))
        for digit, language in zip(MENU_DIGITS, languages, strict=False)
    )
    retry = (CallStep.LANGUAGE, {}) if again else (CallStep.MENU, {"again": "1"})
    return Script(ask=Ask(CallStep.LANGUAGE, says), then=retry)


def not_a_key(language: str) -> Script:
    return Script(_say(language, _line(words.NOT_A_KEY)), then=(CallStep.MENU, {"again": "1"}))


def no_office() -> Script:
    return Script(_say("en", _line(words.NO_OFFICE)) + _crisis("en"))


def closed(language: str, opens_at: datetime | None, day: str, time: str) -> Script:
    """Closed, with nobody on duty: when it opens, and the crisis lines. No ticket is made."""
    lines = [_line(words.CLOSED)]
    if opens_at is not None:
        lines.append(
            _line(words.OPENS_ON, day=day, time=time)
            if day
            else _line(words.OPENS_TODAY, time=time)
        )
    return Script(_say(language, *lines) + _crisis(language))


def hidden_number(language: str) -> Script:
    return Script(_say(language, _line(words.HIDDEN_NUMBER)) + _crisis(language))


def try_again(language: str) -> Script:
    return Script(_say(language, _line(words.TRY_AGAIN)) + _crisis(language))


def in_line(
    language: str,
    code: str,
    *,
    place: int | None,
    minutes: int | None,
    staffing: Staffing,
    joined: bool,
    offer_texts: bool,
) -> Script:
    """Their code and place, then the keys: "I do not feel safe" first, then texts."""
    lines = [_line(words.JOINED if joined else words.ALREADY, code=spell(code))]
    if place is None:
        lines.append(_line(words.YOUR_TURN))
    elif staffing != Staffing.STAFFED or minutes is None:
        lines.append(_line(words.PLACE_UNSTAFFED, place=place))
    elif minutes == 0:
        lines.append(_line(words.PLACE_SOON, place=place))
    else:
        lines.append(_line(words.PLACE_WAIT, place=place, minutes=minutes))
    keys = [_line(words.UNSAFE_KEY, digit=UNSAFE_DIGIT)]
    if offer_texts:
        keys.append(_line(words.TEXTS_KEY, digit=TEXTS_DIGIT))
    ask = Ask(CallStep.CHOICES, _say(language, *keys), {"language": language})
    return Script(_say(language, *lines), ask=ask, after=_say(language, _line(words.CALL_BACK)))


def goodbye(language: str, *, wrong_key: bool = False) -> Script:
    lines = [_line(words.NOT_A_KEY)] if wrong_key else []
    return Script(_say(language, *lines, _line(words.CALL_BACK)))


def texts_on(language: str) -> Script:
    return Script(_say(language, _line(words.TEXTS_ON), _line(words.CALL_BACK)))


def unsafe(language: str, staffing: Staffing) -> Script:
    """The crisis lines, 911, what the office is really doing, and that we will call back."""
    lines = crisis_lines(language, staffing)
    return Script(_say(language, *lines, _line(words.CALL_BACK)))
