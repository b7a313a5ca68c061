"""Words the public sees that do not sit in one template: need labels, ticket statuses, and
how the pages word the office's state. The crisis lines are in crisis_lines.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_babel import force_locale, gettext, lazy_gettext

from queue_service.domain.desks import desk_names_itself  # noqa: F401  (the pages' desk rule)

# The pages read the crisis lines and the standard needs' words from here, beside every
# other public word.
from web_kernel.need_words import NEED_LABELS, need_label  # noqa: F401

from .crisis_lines import crisis  # noqa: F401

T = TypeVar("T")


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


def status_texts() -> dict[str, str]:
    texts = {status: str(text) for status, text in STATUS_TEXT.items()}
    texts["day_closed"] = str(DAY_CLOSED)
    return texts


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
