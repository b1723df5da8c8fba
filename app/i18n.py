"""Languages: Dutch by default, French and English complete (DESIGN.md §7)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session

from .extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def init_app(app: Flask) -> None:
    compile_catalogs()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_locale"] = current_locale


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


def compile_catalogs() -> None:
    """Compile .po to .mo when missing or stale, so a fresh clone shows translated pages.

    Written to a temporary file and renamed, because several server processes may start at once.
    """
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog)
        os.replace(tmp, mo_path)
