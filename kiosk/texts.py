"""Words the public sees that do not sit in one template: need labels, ticket statuses."""

from __future__ import annotations

from flask_babel import force_locale, gettext, lazy_gettext

NEED_LABELS = {
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
    "waiting": lazy_gettext("You are in line."),
    "called": lazy_gettext("It is your turn. Please come to the desk now."),
    "in_session": lazy_gettext("You are with a case manager."),
    "completed": lazy_gettext("Your visit is done. Thank you for coming."),
    "no_show": lazy_gettext(
        "We called your number but did not see you. Please ask at the front desk."
    ),
    "cancelled": lazy_gettext("You left the line."),
    "left": lazy_gettext("You left the line."),
}

# Shown in every language at once, so kept as plain source strings and looked up per locale.
WELCOME = "Welcome. Choose your language."
NEED_HELP = "I don't feel safe. I need to talk to someone now."
_MARK_FOR_EXTRACTION = (lazy_gettext("Welcome. Choose your language."),)


def need_label(slug: str) -> str:
    label = NEED_LABELS.get(slug)
    return str(label) if label else slug.replace("-", " ").capitalize()


def status_texts() -> dict[str, str]:
    return {status: str(text) for status, text in STATUS_TEXT.items()}


def in_each_language(message: str, codes: list[str]) -> dict[str, str]:
    """The same words in every language on the screen (the language screen shows all)."""
    texts = {}
    for code in codes:
        with force_locale(code):
            texts[code] = gettext(message)
    return texts
