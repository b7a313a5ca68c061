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


@dataclass(frozen=True)
class Visit:
    """What the call says about the caller's visit."""

    code: str
    callback: bool  # a call-back (phoned) or a walk-in (called at the office)
    place: int | None  # None: no longer waiting (called, or with a manager)
    minutes: int | None
    desk: str | None
    offer_texts: bool  # they do not take texts yet


def in_line(language: str, visit: Visit, staffing: Staffing, *, joined: bool) -> Script:
    """Their code and place, then the keys: "I do not feel safe" first, then texts."""
    lines = [_line(words.JOINED if joined else words.ALREADY, code=spell(visit.code))]
    if visit.place is None:
        lines.append(_your_turn(visit))
    elif staffing != Staffing.STAFFED or visit.minutes is None:
        lines.append(_line(words.PLACE_UNSTAFFED, place=visit.place))
    elif visit.minutes == 0:
        lines.append(_line(words.PLACE_SOON, place=visit.place))
    else:
        lines.append(_line(words.PLACE_WAIT, place=visit.place, minutes=visit.minutes))
    return Script(
        _say(language, *lines), ask=keys(language, visit), after=ending(language, visit, staffing)
    )


def _your_turn(visit: Visit) -> Line:
    if visit.callback:
        return _line(words.YOUR_TURN)
    return _line(words.COME_TO_DESK, desk=visit.desk) if visit.desk else _line(words.COME_TO_FRONT)


def keys(language: str, visit: Visit, *, again: bool = False) -> Ask:
    lines = [_line(words.UNSAFE_KEY, digit=UNSAFE_DIGIT)]
    if visit.offer_texts:
        lines.append(_line(words.TEXTS_KEY, digit=TEXTS_DIGIT))
    params = {"language": language, **({"again": "1"} if again else {})}
    return Ask(CallStep.CHOICES, _say(language, *lines), params)


def ending(language: str, visit: Visit | None, staffing: Staffing) -> tuple[Say, ...]:
    """How the call ends: the truth about how they will be reached (no visit: not at all)."""
    if visit is None:
        return _say(language, _line(words.GOODBYE))
    if not visit.callback:
        return _say(language, _line(words.AT_THE_OFFICE))
    if staffing == Staffing.STAFFED:
        return _say(language, _line(words.CALL_BACK))
    return _say(language, _line(words.CALL_BACK_LATER))


def wrong_choice(language: str, visit: Visit, staffing: Staffing, *, again: bool) -> Script:
    """A key that is not a choice: the choices once more, then the end of the call."""
    says = _say(language, _line(words.NOT_A_KEY))
    if again:
        return Script(says + ending(language, visit, staffing))
    ask = keys(language, visit, again=True)
    return Script(says, ask=ask, after=ending(language, visit, staffing))


def goodbye(language: str, visit: Visit | None, staffing: Staffing) -> Script:
    return Script(ending(language, visit, staffing))


def texts_on(language: str, visit: Visit, staffing: Staffing) -> Script:
    return Script(_say(language, _line(words.TEXTS_ON)) + ending(language, visit, staffing))


def unsafe(language: str, told: Staffing, visit: Visit | None, staffing: Staffing) -> Script:
    """The crisis lines, 911, what the office is really doing, and how they will be reached
    (`told`: what to say the office is doing; `staffing`: the office now)."""
    lines = crisis_lines(language, told)
    return Script(_say(language, *lines) + ending(language, visit, staffing))
