"""Who is connecting: a phone (participant token), staff (login session) or a projector (screen token)."""
from __future__ import annotations

from flask import session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError

from ..extensions import socketio
from . import forget_connection


@socketio.on("connect")
def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    if "token" in auth:
        from ..participant.events import connect_participant

        return connect_participant(auth.get("token"))
    if "track" in auth:  # a girl's phone in her personal track (issue 5)
        from ..participant.track_events import connect_track

        return connect_track(auth.get("track"), auth.get("key"))
    if "screen" in auth:
        from ..presenter.events import connect_screen

        return connect_screen(auth.get("screen"))
    if current_user.is_authenticated:
        session["gps_role"] = "staff"
        return True
    raise ConnectionRefusedError("not_authenticated")


@socketio.on("disconnect")
def on_disconnect(*_reason):
    forget_connection()
    if session.get("gps_role") == "participant":  # presence on the dashboard (issue 15)
        from ..participant.events import disconnect_participant

        disconnect_participant()
