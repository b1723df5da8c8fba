"""Who is connecting: a phone (participant token), staff (login session) or a projector (screen token)."""
from __future__ import annotations

from flask import request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from ..extensions import socketio
from . import gate, room_staff_member

# Which session key names the identity of each audience: the rate limit and sign-out count per identity.
IDENTITY_KEYS = {"participant": "gps_participant", "track": "gps_track", "screen": "gps_run"}


@socketio.on("connect")
def on_connect(auth=None):
    accepted = _sort(auth if isinstance(auth, dict) else {})
    role = session.get("gps_role")
    if role == "staff":
        gate.bind(request.sid, f"staff:{current_user.id}")
        join_room(room_staff_member(current_user.id))
    else:
        gate.bind(request.sid, f"{role}:{session.get(IDENTITY_KEYS[role])}")
    return accepted


def _sort(auth: dict) -> bool:
    """The audience of this connection, from what it brings; refused when it brings nothing valid."""
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
    gate.forget(request.sid)
    if session.get("gps_role") == "participant":  # presence on the dashboard (issue 15)
        from ..participant.events import disconnect_participant

        disconnect_participant()
