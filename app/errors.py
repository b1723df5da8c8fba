"""Friendly error pages in the visitor's language: never a traceback."""
from __future__ import annotations

import traceback

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in that request was not right"), _("Go back and try again.")),
        403: (_("This page is not for you"), _("You do not have access to this page.")),
        404: (_("Page not found"), _("Check the address, or go back.")),
        405: (_("That did not work"), _("Go back and try again.")),
        410: (_("This link no longer works"), _("Ask your counsellor for a new one.")),
        413: (_("That was too much at once"), _("Make it shorter and try again.")),
        429: (_("Slow down a little"), _("Too many tries in a short time. Wait a minute and try again.")),
    }


def _http_error(error: HTTPException):
    title, text = _messages().get(error.code or 500, (_("Something went wrong"), _("Try again in a moment.")))
    return render_template("errors/error.html", title=title, text=text, code=error.code), error.code


def _unexpected(error: Exception):
    from flask import current_app

    current_app.logger.error("Unexpected error %s on %s %s\n%s", type(error).__name__, request.method,
                             request.url_rule.rule if request.url_rule else "(no route)", where(error))
    title, text = _("Something went wrong"), _("Try again in a moment. Nothing you already sent is lost.")
    return render_template("errors/error.html", title=title, text=text, code=500), 500


def where(error: BaseException) -> str:
    """The traceback's frames without the exception's message: a message can quote what was sent (a girl's
    answer, a pseudonym) and the request line or headers would name her address; neither belongs in a log."""
    frames = traceback.extract_tb(error.__traceback__)
    return "".join(traceback.format_list(frames)).rstrip()
