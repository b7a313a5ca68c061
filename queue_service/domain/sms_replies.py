"""What the office texts back when a person texts it (sms_commands.py reads what they sent).

The same rules as every text (sms_wording.py): the sender's neutral name first, a code and a
place, never a name, a need or a word that says what kind of office this is. A reply never
promises what the office cannot give at that moment: with nobody on duty it says so, and
with the office closed it says nobody there can answer. The crisis line comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .crisis_words import DANGER, talk_now
from .office import OfficeNow
from .sms_commands import Command, word_for
from .sms_wording import N_, Gettext, compose


class Staffing(StrEnum):
    """The office as a reply must describe it."""

    STAFFED = "staffed"  # a case manager is on duty
    UNSTAFFED = "unstaffed"  # open (or someone is past hours), nobody on duty yet
    CLOSED = "closed"  # closed, and nobody on duty
    UNKNOWN = "unknown"  # the text reached no site (several share the number)


def staffing_of(office: OfficeNow | None) -> Staffing:
    """`office`: None when the person reached no site."""
    if office is None:
        return Staffing.UNKNOWN
    if office.staffed_now:
        return Staffing.STAFFED
    return Staffing.UNSTAFFED if office.accepts_check_ins else Staffing.CLOSED


# Translators: SMS reply to the STATUS word. %(code)s is a ticket code such as A-042;
# %(cancel)s is the reply word for leaving the line, in capitals.
STATUS_WAIT = N_(
    "Code %(code)s: place in line %(place)s, wait about %(minutes)s min. "
    "Reply %(cancel)s to leave the line."
)
# Translators: as above, when a case manager is free now.
STATUS_SOON = N_(
    "Code %(code)s: place in line %(place)s, wait a few minutes. "
    "Reply %(cancel)s to leave the line."
)
# Translators: as above, when no case manager is on duty yet (so nobody can say how long).
STATUS_UNSTAFFED = N_(
    "Code %(code)s: place in line %(place)s. No case manager is on duty yet, so we cannot say "
    "how long. Reply %(cancel)s to leave the line."
)
# Translators: SMS reply to STATUS when a case manager has called the person or is with them.
STATUS_YOUR_TURN = N_("Code %(code)s: it is your turn now. A case manager is ready for you.")
# Translators: SMS reply to the CANCEL word from someone already with a case manager.
CANNOT_LEAVE = N_(
    "Code %(code)s: you are with a case manager now. Please tell them if you need to go."
)
# Translators: SMS reply from a number that is not in the line today.
NOT_IN_LINE = N_("You are not in the line now. To join it, come to the office or call us.")
# Translators: as above, at an office that lets people join by text. %(join)s is the word
# to send, in capitals.
NOT_IN_LINE_JOIN = N_("You are not in the line now. Reply %(join)s to join it.")
# Translators: SMS reply to the HELP word. The words in capitals are reply words.
HELP = N_(
    "Reply %(status)s for your place in line, %(cancel)s to leave it, %(stop)s for no more texts."
)
# Translators: SMS reply to STOP: the last text this number gets until it sends START.
STOPPED = N_("You will get no more texts from us. Reply %(start)s to get them again.")
# Translators: SMS reply to START.
STARTED = N_("Texts are on again. Reply %(stop)s to stop them.")
# Translators: SMS reply to a text that is no command word (their words are kept for the
# office's message log).
RECEIVED = N_(
    "We got your message. Reply %(status)s for your place in line, %(cancel)s to leave it."
)
# Translators: SMS reply to someone who wrote that they may be in danger, after the crisis
# lines: the case managers on duty were alerted.
CRISIS_STAFFED = N_(
    "We have told the case managers on duty. Someone will contact you as soon as they can."
)
# Translators: as above, when the office is open but no case manager is on duty: say
# nothing that suggests someone is coming.
CRISIS_UNSTAFFED = N_("We are alerting the office, but no case manager is on duty right now.")
# Translators: as above, when the office is closed and nobody is there.
CRISIS_CLOSED = N_("The office is closed now, and nobody there can answer.")
# Translators: SMS reply to JOIN (or a crisis text) when the office is closed and nobody is
# on duty.
CLOSED = N_("The office is closed now, and nobody is on duty.")


@dataclass(frozen=True)
class Line:
    """One sentence of a reply: source words and what fills them in."""

    words: str
    values: dict[str, object]


def _reply_words(language: str) -> dict[str, object]:
    """The reply words an answer may name besides STATUS and CANCEL."""
    return {
        "stop": word_for(Command.STOP, language),
        "start": word_for(Command.START, language),
        "join": word_for(Command.JOIN, language),
    }


def status_lines(
    code: str, place: int | None, minutes: int | None, staffing: Staffing
) -> list[Line]:
    """STATUS: `place` None when the person is no longer waiting (called, with someone)."""
    values: dict[str, object] = {"code": code, "place": place}
    if place is None:
        return [Line(STATUS_YOUR_TURN, values)]
    if staffing != Staffing.STAFFED or minutes is None:
        return [Line(STATUS_UNSTAFFED, values)]
    if minutes == 0:
        return [Line(STATUS_SOON, values)]
    return [Line(STATUS_WAIT, {**values, "minutes": minutes})]


def crisis_lines(language: str, staffing: Staffing) -> list[Line]:
    """The crisis line first, 911, then what the office is really doing about it."""
    words, interpreter = talk_now(language)
    lines = [Line(words, dict(interpreter)), Line(DANGER, {})]
    after = {
        Staffing.STAFFED: CRISIS_STAFFED,
        Staffing.UNSTAFFED: CRISIS_UNSTAFFED,
        Staffing.CLOSED: CRISIS_CLOSED,
    }.get(staffing)
    return lines + ([Line(after, {})] if after else [])


def help_lines() -> list[Line]:
    """HELP: the reply words only. Anyone may read the phone, so nothing here says what kind
    of office this is (no 988: a person in crisis who writes so gets the lines at once)."""
    return [Line(HELP, {})]


def simple(words: str, **values: object) -> list[Line]:
    return [Line(words, values)]


def render_reply(lines: Sequence[Line], language: str, gettext: Gettext, sender: str | None) -> str:
    """The whole answer in `language` (`gettext` is that language's catalog)."""
    sentences = [(line.words, line.values) for line in lines]
    return compose(sentences, language, gettext, sender, _reply_words(language))
