"""Staff sessions that the server can end (issue 11).

A staff session carries the account's session version from the moment of login. Logging out, being
deactivated or getting a new password bumps the version: from then on every copy of the old cookie, on any
device, and every open socket of hers count as signed out, and her open pages are told at once.
"""
from __future__ import annotations

from flask import session
from flask_login import login_user

from ..extensions import db
from ..models import Facilitator

VERSION_KEY = "staff_version"


def sign_in(facilitator: Facilitator) -> None:
    login_user(facilitator)
    session[VERSION_KEY] = facilitator.session_version


def load(user_id: str) -> Facilitator | None:
    """Flask-Login's user loader: only a session of the account's current version counts."""
    facilitator = db.session.get(Facilitator, int(user_id)) if user_id.isdigit() else None
    if facilitator is None or session.get(VERSION_KEY) != facilitator.session_version:
        return None
    return facilitator


def end_all(facilitator: Facilitator) -> None:
    """Every session and open page of this account ends now."""
    from ..realtime import channels

    facilitator.session_version = (facilitator.session_version or 0) + 1
    db.session.commit()
    channels.staff_signed_out(facilitator.id)
