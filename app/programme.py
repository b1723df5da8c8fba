"""The loaded programme content (sessions/), checked once when the app is created."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .content import Programme, load_programme

SESSIONS = Path(__file__).resolve().parent.parent / "sessions"


def init_app(app: Flask) -> None:
    directory = app.config.get("SESSIONS_DIR") or SESSIONS
    app.extensions["gps_programme"] = load_programme(directory)


def programme() -> Programme:
    return current_app.extensions["gps_programme"]
