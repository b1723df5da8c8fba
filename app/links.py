"""Addresses phones use: built on PUBLIC_URL, never on localhost."""
from __future__ import annotations

from flask import current_app, url_for

from .models import Run


def public(path: str) -> str:
    return current_app.config["PUBLIC_URL"] + path


def join_link(run: Run) -> str:
    return public(url_for("participant.join", token=run.join_token))


def code_link() -> str:
    return public(url_for("participant.enter_code"))


def screen_link(run: Run) -> str:
    return url_for("presenter.screen", token=run.screen_token)
