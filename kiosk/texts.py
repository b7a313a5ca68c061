"""Words the public sees that do not sit in one template: need labels, ticket statuses, and
the crisis lines, which are true for each language separately."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from flask_babel import force_locale, gettext, lazy_gettext
from flask_babel.speaklater import LazyString

T = TypeVar("T")

NEED_LABELS = {
    # Translators: need categories, on tiles of about 20 characters; plain words.
    "housing": lazy_gettext("A place to live"),
    "food": lazy_gettext("Food"),
    "benefits": lazy_gettext("Benefits and money"),
    "health": lazy_gettext("Health care"),
    "legal": lazy_gettext("Legal help"),
    "transport": lazy_gettext("Getting around"),
    "talk": lazy_gettext("Someone to talk to"),
    "other": lazy_gettext("Something else"),
}

STATUS_TEXT = {
    # Translators: on the person's own phone, under their ticket code.
    "waiting": lazy_gettext("You are in line."),
    # Translators: "the desk" is the counter or window where a case manager sees people (a
    # lobby sign's word: Spanish "mesa" or "ventanilla", Haitian Creole "gichè"), not furniture.
    "called": lazy_gettext("It is your turn. Please come to the desk now."),
    "in_session": lazy_gettext("You are with a case manager."),
    "completed": lazy_gettext("Your visit is done. Thank you for coming."),
    # Translators: "your number" is the ticket code such as A-042, not a phone number.
    "no_show": lazy_gettext(
        "We called your number but did not see you. Please ask at the front desk."
    ),
    "cancelled": lazy_gettext("You left the line."),
    "left": lazy_gettext("You left the line."),
}
# Translators: on the person's phone when the office's day ended before anyone could see
# them (they did not leave: the office closed). The next line says when it opens again.
DAY_CLOSED = lazy_gettext("The office closed before we could see you today.")

# Shown in every language at once, so kept as plain source strings and looked up per locale.
WELCOME = "Welcome. Choose your language."
NEED_HELP = "I don't feel safe. I need to talk to someone now."
# Shown on the language screen when the office computer cannot be reached (kiosk.js has
# the same words on the check-in screens).
OFFLINE = "We could not reach the office computer. Please ask at the front desk."
# Translators: the first words on the kiosk, shown in every language at once.
_MARK_FOR_EXTRACTION = (lazy_gettext("Welcome. Choose your language."),)


class Crisis(NamedTuple):
    """What the 988 Suicide & Crisis Lifeline can really do for a person reading this language.

    988 answers calls in English and Spanish (press 2), and with an interpreter for 240+
    other languages when the caller names their language in English; texts and chat are in
    English and Spanish only. So every language has its own message, never the Spanish one
    translated, and none suggests texting in a language 988 does not text in.
    """

    footer: LazyString  # one quiet line at the foot of every kiosk screen
    call: LazyString  # how to call, on the help and closed screens and the ticket page
    text: LazyString  # what texting can and cannot do, in this language
    sms: LazyString  # the ticket page's tap-to-text link


# The word a caller says, in English, to be given an interpreter. Never translated.
INTERPRETER_WORDS = {
    "pt": {"language": "Portuguese"},
    "ht": {"language": "Haitian Creole"},
    "zh": {"mandarin": "Mandarin", "cantonese": "Cantonese"},
    "vi": {"language": "Vietnamese"},
}
_PT, _HT, _ZH, _VI = (INTERPRETER_WORDS[code] for code in ("pt", "ht", "zh", "vi"))

# Translators: a tap-to-text link on the person's phone (under 30 characters). 988 answers
# texts in English and Spanish only; keep that clear in your language.
_SMS_ENGLISH_OR_SPANISH = lazy_gettext("Text 988 (English or Spanish)")

CRISIS = {
    "en": Crisis(
        # Translators: shown only in English, at the foot of every kiosk screen.
        footer=lazy_gettext("Need to talk now? Call or text 988, any time."),
        # Translators: shown only in English. "988 Suicide & Crisis Lifeline" is the name.
        call=lazy_gettext("Call 988, the 988 Suicide & Crisis Lifeline, any time, day or night."),
        # Translators: shown only in English.
        text=lazy_gettext("You can also text 988, or chat at 988lifeline.org."),
        # Translators: shown only in English; a tap-to-text link (under 30 characters).
        sms=lazy_gettext("Text 988"),
    ),
    "es": Crisis(
        # Translators: shown only in Spanish (other catalogs may copy the English), at the
        # foot of every kiosk screen. AYUDA stays as it is: it is the word to text.
        footer=lazy_gettext(
            "Need to talk now? Call 988 and press 2 for Spanish, or text AYUDA to 988."
        ),
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
        # Translators: shown only in Portuguese (other catalogs may copy the English).
        # %(language)s is the English word "Portuguese", which the caller says to get an
        # interpreter: keep it in English, inside quotes.
        footer=lazy_gettext(
            "Need to talk now? Call 988 and say “%(language)s” in English for a "
            "Portuguese interpreter.",
            **_PT,
        ),
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
        # Translators: shown only in Haitian Creole (other catalogs may copy the English).
        # %(language)s is the English words "Haitian Creole", which the caller says to get an
        # interpreter: keep them in English, inside quotes.
        footer=lazy_gettext(
            "Need to talk now? Call 988 and say “%(language)s” in English for a "
            "Haitian Creole interpreter.",
            **_HT,
        ),
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
        # Translators: shown only in Chinese (other catalogs may copy the English).
        # %(mandarin)s and %(cantonese)s are the English words "Mandarin" and "Cantonese",
        # which the caller says to get an interpreter: keep them in English, inside quotes.
        footer=lazy_gettext(
            "Need to talk now? Call 988 and say “%(mandarin)s” or “%(cantonese)s” "
            "in English for a Chinese interpreter.",
            **_ZH,
        ),
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
        # Translators: shown only in Vietnamese (other catalogs may copy the English).
        # %(language)s is the English word "Vietnamese", which the caller says to get an
        # interpreter: keep it in English, inside quotes.
        footer=lazy_gettext(
            "Need to talk now? Call 988 and say “%(language)s” in English for a "
            "Vietnamese interpreter.",
            **_VI,
        ),
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
# Translators: the last crisis line, in every language: 911 is for immediate danger.
DANGER = lazy_gettext("If you are in danger right now, call 911.")


# A desk label staff typed that already says what it is ("Window B", "Sala 2") is shown as
# typed; a bare number or letter ("3", "B") gets the screen's own word for a desk.
_WORD_IN_LABEL = re.compile(r"[^\W\d_]{3,}")


def desk_names_itself(desk: str | None) -> bool:
    return bool(desk and _WORD_IN_LABEL.search(desk))


def need_label(slug: str) -> str:
    label = NEED_LABELS.get(slug)
    return str(label) if label else slug.replace("-", " ").capitalize()


def status_texts() -> dict[str, str]:
    texts = {status: str(text) for status, text in STATUS_TEXT.items()}
    texts["day_closed"] = str(DAY_CLOSED)
    return texts


def crisis(lang: str) -> dict[str, str]:
    """The crisis lines for `lang`, in `lang` (the request's language must be `lang`)."""
    lines = CRISIS.get(lang, CRISIS["en"])
    return {**{part: str(text) for part, text in lines._asdict().items()}, "danger": str(DANGER)}


def in_each_language(words: Callable[[str], T], codes: list[str]) -> dict[str, T]:
    """`words(code)` in each language, for the screens that show them all at once."""
    found = {}
    for code in codes:
        with force_locale(code):
            found[code] = words(code)
    return found


def office_strings() -> dict[str, object]:
    """How the pages word the office's state (kiosk/static/common.js fills the placeholders)."""
    return {
        "days": [
            # Translators: day names, Monday to Sunday, for the office hours ("Monday -
            # Friday: 9:00 - 17:00") and for "We open %(day)s at %(time)s.".
            gettext("Monday"),
            gettext("Tuesday"),
            gettext("Wednesday"),
            gettext("Thursday"),
            gettext("Friday"),
            gettext("Saturday"),
            gettext("Sunday"),
        ],
        # Translators: the office is closed now; %(time)s is the opening time, such as 9:00.
        "opensToday": gettext("We open today at %(time)s.", time="{time}"),
        # Translators: %(time)s is the opening time tomorrow, such as 9:00.
        "opensTomorrow": gettext("We open tomorrow at %(time)s.", time="{time}"),
        # Translators: %(day)s is a day name such as "Monday" (with a date such as 12/29 when
        # more than a week away); %(time)s is the opening time, such as 9:00.
        "opensOn": gettext("We open %(day)s at %(time)s.", day="{day}", time="{time}"),
        # Translators: a site open day and night is closed today (a holiday, a training
        # day); it opens again at midnight and stays open the whole day.
        "opensTomorrowAllDay": gettext("We open again tomorrow, all day."),
        # Translators: a site open day and night is closed until then; it opens again at
        # midnight and stays open the whole day. %(day)s is a day name such as "Friday"
        # (with a date such as 12/29 when more than a week away).
        "opensOnAllDay": gettext("We open again %(day)s, all day.", day="{day}"),
        # Translators: from 30 minutes before closing; %(time)s is the closing time, such as
        # 17:00. Some people still waiting may not be seen today: say so plainly.
        "closingSoon": gettext(
            "We close at %(time)s. We may not see everyone today.", time="{time}"
        ),
        # Translators: the office is open but no case manager is on duty yet; the person can
        # still check in.
        "unstaffed": gettext("We are getting a case manager. You can still check in."),
        # Translators: on the phone of someone waiting, while no case manager is on duty.
        "waitingUnstaffed": gettext("No case manager is on duty yet. We are getting one."),
        # Translators: after the office's usual hours a case manager is still on duty, so
        # check-ins are taken; some people may still not be seen today: say so plainly.
        "pastHours": gettext(
            "We are past our usual hours. A case manager is still here, but we may not see "
            "everyone today."
        ),
        # Translators: the office hours of a site open day and night.
        "always": gettext("Open 24 hours, every day."),
        "closedNow": gettext("We are closed now."),
        # Translators: the office is closed all day today (a holiday, a training day…);
        # %(reason)s is the reason exactly as staff typed it, such as "Training".
        "closedTodayWhy": gettext("Closed today: %(reason)s", reason="{reason}"),
        # Translators: the office is closed all day today, and staff gave no reason.
        "closedToday": gettext("Closed today."),
    }


def help_strings() -> dict[str, str]:
    """The safety screen's words: each true for the office's state at that moment."""
    return {
        # Translators: after "I don't feel safe", only while a case manager is on duty.
        "helpStaffed": gettext("We are getting someone for you now."),
        # Translators: heading over the crisis lines (988, 911) when nobody may be coming
        # at once; ends with a colon: the lines follow.
        "talkNow": gettext("You can talk to someone right now:"),
        # Translators: the office is open but nobody is on duty yet: the alert is being sent
        # to the office. Promise no person.
        "alerting": gettext("We are alerting the office."),
        # Translators: this kiosk already sent the office an alert a moment ago.
        "alreadyAlerted": gettext("We have already alerted the office."),
        # Translators: after "I don't feel safe", until the office computer has answered
        # (or while it cannot be reached): promise no person, send them to the desk.
        "askDesk": gettext("Please ask at the front desk now."),
        # Translators: the kiosk reached the office computer, but it cannot save anything
        # just now (its database is down): on the form and on the safety screen.
        "unavailable": gettext(
            "We cannot save your check-in right now. Please see the front desk."
        ),
    }


def board_words(_lang: str = "") -> dict[str, object]:
    """The lobby screen's fixed words, which take turns in each of the site's languages."""
    return {
        **office_strings(),
        # Translators: the lobby TV's biggest label, over the code being called.
        "nowCalling": gettext("Now calling"),
        # Translators: the lobby TV, over the codes called a little earlier.
        "calledBefore": gettext("Called before"),
        # Translators: the lobby TV; "desk" is the counter or window where a case manager
        # sees people, %(desk)s its number or name, such as 3 (short).
        "desk": gettext("Desk %(desk)s", desk="{desk}"),
        # Translators: the lobby TV; %(n)s is how many people wait, such as 4.
        "waiting": gettext("People waiting: %(n)s", n="{n}"),
        # Translators: the lobby TV lost touch with the office computer: what it shows may
        # be out of date until it is back (short).
        "reconnecting": gettext("Reconnecting…"),
        # Translators: a button on the lobby TV that staff press once to turn the chime on.
        "soundOn": gettext("Turn sound on"),
        # Translators: the same button once the chime is on.
        "soundOff": gettext("Turn sound off"),
    }
