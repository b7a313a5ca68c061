"""The catalog's words for the standard need categories: the kiosk shows them where a site
has no words of its own, and the site settings page shows them as each field's placeholder."""

from __future__ import annotations

from flask_babel import force_locale, lazy_gettext

from queue_service.domain.needs import DEFAULT_NEEDS

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


def need_label(slug: str) -> str:
    label = NEED_LABELS.get(slug)
    return str(label) if label else slug.replace("-", " ").capitalize()


def standard_need_words(languages: list[str]) -> dict[str, dict[str, str]]:
    """{slug: {language: the catalog's words}} for every standard need."""
    words: dict[str, dict[str, str]] = {slug: {} for slug in DEFAULT_NEEDS}
    for code in languages:
        with force_locale(code):
            for slug in DEFAULT_NEEDS:
                words[slug][code] = need_label(slug)
    return words
