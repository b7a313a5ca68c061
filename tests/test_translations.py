"""Every client-facing string is translated, in every language, and nothing is stale."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from web_kernel.i18n import LANGUAGE_NAMES

ROOT = Path(__file__).parent.parent
TRANSLATIONS = ROOT / "translations"


def catalog(language: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def template_ids() -> set[str]:
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_the_six_languages_have_catalogs():
    assert set(LANGUAGE_NAMES) == {"en", "es", "pt", "ht", "zh", "vi"}
    for language in LANGUAGE_NAMES:
        assert (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").is_file()


@pytest.mark.parametrize("language", sorted(LANGUAGE_NAMES))
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = [m for m in catalog(language) if m.id]
    assert {m.id for m in messages} == template_ids(), "run pybabel update (README)"
    assert [m.id for m in messages if not m.string] == [], "untranslated"
    assert [m.id for m in messages if m.fuzzy] == [], "fuzzy"


@pytest.mark.parametrize("language", sorted(LANGUAGE_NAMES))
def test_placeholders_survive_translation(language):
    c = catalog(language)
    assert [(m.id, str(e)) for m in c if m.id for e in m.check(c)] == []


def test_the_template_matches_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg",
         "-k", "lazy_gettext", "-o", str(fresh), "kiosk", "frontdoor", "web_kernel", "templates",
         "queue_service"],
        cwd=ROOT, check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    with fresh.open("rb") as f:
        in_source = {m.id for m in read_po(f) if m.id}
    assert in_source == template_ids(), "run pybabel extract (README)"
