"""Languages: the catalogs in translations/, and which one a request is answered in.

The kiosk and ticket pages name their language in the URL (the person chose it, or it
travels with their ticket); anything else falls back to the browser's preference.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel

# Each language named in itself, in the order the kiosk offers them.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "ht": "Kreyòl ayisyen",
    "zh": "简体中文",
    "vi": "Tiếng Việt",
}
# The HTML lang attribute for each catalog (screen readers pick their voice from it).
HTML_LANG = {"en": "en", "es": "es", "pt": "pt-BR", "ht": "ht", "zh": "zh-Hans", "vi": "vi"}

babel = Babel()


def select_locale() -> str:
    chosen = g.get("lang")
    if chosen in LANGUAGE_NAMES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGE_NAMES)) or "en"


def use_language(lang: str) -> str:
    """Answer this request in `lang` (falls back to English for a language we lack)."""
    g.lang = lang if lang in LANGUAGE_NAMES else "en"
    return g.lang


def init_i18n(app: Flask, translations: str) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=translations)

    @app.context_processor
    def _languages() -> dict:
        lang = select_locale()
        return {
            "lang": lang,
            "html_lang": HTML_LANG.get(lang, lang),
            "html_langs": HTML_LANG,
            "language_names": LANGUAGE_NAMES,
        }
