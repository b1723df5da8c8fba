"""Languages: Dutch by default, French and English complete (DESIGN.md §7)."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, request, session

from .catalogs import compile_catalogs
from .extensions import babel
from .languages import choices as language_choices
from .refusals import texts as refusal_texts

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def init_app(app: Flask) -> None:
    compile_missing_catalogs()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["language_choices"] = language_choices
    app.jinja_env.globals["refusal_texts"] = refusal_texts  # the `errors` of every page's strings


def select_locale() -> str:
    """Her own choice (the switch on every page, or the language she joined in), then Accept-Language, then Dutch."""
    languages = current_languages()
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "nl"


def current_languages() -> tuple[str, ...]:
    from flask import current_app

    return tuple(current_app.config["LANGUAGES"])


def current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "nl")


def compile_missing_catalogs(translations: Path = TRANSLATIONS) -> None:
    """The build compiles the .mo files (setup.py); a fresh clone or an edited .po gets them here.

    Never fatal: on a read-only install the built .mo files serve as they are, and a missing one only
    means that language shows the English source texts, which is better than no server.
    """
    try:
        compile_catalogs(translations)
    except OSError as error:
        logging.getLogger(__name__).warning(
            "The translations in %s could not be compiled (%s); pages may show English texts.", translations,
            error.strerror or error)
