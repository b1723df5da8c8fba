"""Languages: Dutch by default, French and English complete (DESIGN.md §7)."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, render_template, request, session
from markupsafe import Markup

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
    app.jinja_env.globals["once_per_language"] = once_per_language
    app.extensions["gps_fragments"] = {}


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


def once_per_language(template: str) -> Markup:
    """A fragment that depends on nothing but the language (a page script's words), rendered once per language
    and process. The join page's words are some forty translations: rendering them on every join cost about a
    fifth of the page (cProfile, /j/<token>). Only for templates that use no request, form or user."""
    from flask import current_app

    if current_app.debug:  # a template being edited shows its changes at once
        return Markup(render_template(template))
    cache = current_app.extensions["gps_fragments"]
    key = (template, current_locale())
    if key not in cache:
        cache[key] = Markup(render_template(template))
    return cache[key]


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
