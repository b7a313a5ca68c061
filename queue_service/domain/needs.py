"""A site's need categories: which lists are valid, and what a person sees for a need.

A site keeps an ordered list of needs. Visits record a need by its slug, so a slug never
changes: renaming changes labels, and a need nobody should pick any more is retired
(hidden from the kiosk and the phone-caller form, kept for history and reports) rather
than deleted. The eight default needs have words in the translation catalogs, which a
site may override; a site's own need has no catalog words, so it needs a label in every
language the site offers: a client must never be shown a slug.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from .checkin import DEFAULT_LANGUAGES as SUPPORTED_LANGUAGES
from .checkin import plain_text
from .errors import ValidationFailed

# The catalogs' English source words (kiosk/texts.py translates exactly these; a test pins
# the two together). Staff screens show them in English.
DEFAULT_NEED_NAMES: dict[str, str] = {
    "housing": "A place to live",
    "food": "Food",
    "benefits": "Benefits and money",
    "health": "Health care",
    "legal": "Legal help",
    "transport": "Getting around",
    "talk": "Someone to talk to",
    "other": "Something else",
}
DEFAULT_NEEDS = tuple(DEFAULT_NEED_NAMES)

SLUG_MAX = 30
SLUG = re.compile(rf"^[a-z][a-z0-9-]{{0,{SLUG_MAX - 1}}}$")
LABEL_MAX = 60
# The kiosk shows the offered needs as tiles on one screen; more would not fit a tablet.
OFFERED_MAX = 16
# Retired needs stay in the list for ever, so the whole list may grow past what is offered.
LIST_MAX = 100

EDITABLE = frozenset({"slug", "labels", "retired"})
# What the settings add to each need when read; a list read and sent back may carry them.
READ_ONLY = frozenset({"default", "label"})

# A default need's catalog words in a language: the surface that has the catalogs gives it.
Catalog = Callable[[str, str], str]


@dataclass(frozen=True)
class Need:
    slug: str
    labels: Mapping[str, str] = field(default_factory=dict)  # the site's own words
    retired: bool = False

    @property
    def is_default(self) -> bool:
        return self.slug in DEFAULT_NEED_NAMES

    def to_json(self) -> dict[str, Any]:
        return {"slug": self.slug, "labels": dict(self.labels), "retired": self.retired}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Need:
        return cls(data["slug"], dict(data.get("labels") or {}), bool(data.get("retired")))


def default_needs() -> list[Need]:
    return [Need(slug) for slug in DEFAULT_NEEDS]


def offered(needs: Sequence[Need]) -> list[Need]:
    """The needs a person may choose now, in the site's order."""
    return [n for n in needs if not n.retired]


def client_label(need: Need, lang: str, catalog: Catalog) -> str:
    """What a person reading `lang` sees for `need`: the site's words, else the catalog's.

    A custom need always has a label in each offered language (`check` sees to it); for a
    language the site no longer offers (an old ticket) another of its labels is shown.
    """
    own = need.labels.get(lang)
    if own:
        return own
    if need.is_default:
        return catalog(need.slug, lang)
    return _any_label(need)


def staff_label(need: Need) -> str:
    """The English words staff see: the site's English label, else the catalog's English."""
    return need.labels.get("en") or DEFAULT_NEED_NAMES.get(need.slug) or _any_label(need)


def staff_labels(needs: Sequence[Need], slugs: Sequence[str]) -> list[str]:
    """Staff labels for the slugs a visit recorded (a slug the site lacks shows as itself)."""
    by_slug = {n.slug: n for n in needs}
    return [staff_label(by_slug[s]) if s in by_slug else s for s in slugs]


def _any_label(need: Need) -> str:
    for lang in SUPPORTED_LANGUAGES:
        if need.labels.get(lang):
            return need.labels[lang]
    return need.slug  # unreachable for a list `check` accepted


def language_name(code: str) -> str:
    return Locale.parse(code).get_display_name("en") or code


def parse(data: object, errors: dict[str, str]) -> list[Need]:
    """The list as sent (`[{"slug", "labels", "retired"}]`, in order); problems go into
    `errors`, keyed like `needs.2.labels.ht`."""
    if not isinstance(data, list) or len(data) > LIST_MAX:
        errors["needs"] = f"A list of at most {LIST_MAX} needs, each {{slug, labels, retired}}."
        return []
    found: list[Need] = []
    seen: set[str] = set()
    for i, item in enumerate(data):
        where = f"needs.{i}"
        if not isinstance(item, dict) or set(item) - EDITABLE - READ_ONLY:
            errors[where] = "Each need is {slug, labels, retired}."
            continue
        slug = item.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            errors[f"{where}.slug"] = (
                "Use 1-30 lower-case letters, digits and dashes, starting with a letter."
            )
            continue
        if slug in seen:
            errors[f"{where}.slug"] = f"'{slug}' is in the list twice."
            continue
        seen.add(slug)
        retired = item.get("retired", False)
        if not isinstance(retired, bool):
            errors[f"{where}.retired"] = "true or false."
            continue
        labels = _labels(item.get("labels", {}), where, errors)
        found.append(Need(slug, labels, retired))
    return found


def _labels(data: object, where: str, errors: dict[str, str]) -> dict[str, str]:
    if not isinstance(data, dict):
        errors[f"{where}.labels"] = 'An object of labels by language, e.g. {"en": "Food"}.'
        return {}
    labels: dict[str, str] = {}
    for lang, text in data.items():
        if lang not in SUPPORTED_LANGUAGES:
            errors[f"{where}.labels"] = "Languages are: " + ", ".join(SUPPORTED_LANGUAGES) + "."
            continue
        cleaned = plain_text(text) if isinstance(text, str) else None
        if cleaned is None or len(cleaned) > LABEL_MAX:
            errors[f"{where}.labels.{lang}"] = f"Words of at most {LABEL_MAX} characters."
        elif cleaned:  # an empty label is no label: the catalog's words, if any
            labels[lang] = cleaned
    return labels


def check(
    needs: Sequence[Need],
    languages: Sequence[str],
    *,
    removed_in_use: Sequence[str] = (),
    languages_changed: bool = False,
) -> None:
    """Refuse a list a client could not read, or one that drops a need visits refer to.

    `removed_in_use`: slugs left out of the new list that visits still record.
    `languages_changed`: the site's languages are what changed, so a missing label is
    reported against the languages too (they are what the person just asked for).
    """
    errors: dict[str, str] = {}
    if removed_in_use:
        errors["needs"] = (
            f"Visits refer to {', '.join(removed_in_use)}: retire instead of removing."
        )
    elif len(offered(needs)) > OFFERED_MAX:
        errors["needs"] = f"At most {OFFERED_MAX} needs offered at once: retire some."
    lacking: dict[str, list[str]] = {}
    for i, need in enumerate(needs):
        if need.is_default:
            continue
        if need.retired:
            if not need.labels:  # hidden from people, but staff and reports still name it
                errors[f"needs.{i}.labels"] = f"Give '{need.slug}' a label."
            continue
        for lang in languages:
            if not need.labels.get(lang):
                lacking.setdefault(lang, []).append(need.slug)
                errors[f"needs.{i}.labels.{lang}"] = (
                    f"A label in {language_name(lang)} is needed: "
                    f"people must never see '{need.slug}'."
                )
    if languages_changed:
        for lang, slugs in lacking.items():
            errors["languages"] = (
                f"Before offering {language_name(lang)}, give these needs a label in it: "
                + ", ".join(slugs)
                + "."
            )
    if errors:
        raise ValidationFailed("The need categories are not right.", fields=errors)
