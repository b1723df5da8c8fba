"""Connecting and leaving: the audience a connection brings sorts it (realtime/audiences.py); each blueprint
registers its own audience, so nothing here knows a blueprint."""
from __future__ import annotations

from flask import request
from flask_socketio import ConnectionRefusedError, join_room

from ..extensions import socketio
from . import audiences, error, gate, room_staff_member
from .guard import handles
from .schemas import SyncIn


@socketio.on("connect")
def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    audience = audiences.by_auth(auth)
    if audience is None:
        raise ConnectionRefusedError("not_authenticated")
    key = audience.key_in(auth)
    accepted = audience.connect(auth[key] if key else None, auth)
    gate.bind(request.sid, audiences.identity())
    if audience.identity_key is None:  # staff: every tab of one account is signed out together
        from flask_login import current_user

        join_room(room_staff_member(current_user.id))
    return accepted


@socketio.on("disconnect")
def on_disconnect(*_reason):
    gate.forget(request.sid)
    audience = audiences.current()
    if audience is not None and audience.disconnect is not None:
        audience.disconnect()


@handles("sync", SyncIn)
def on_sync(data):
    """Any audience asks for its snapshot again (after a 'facilitator:changed' event or when in doubt)."""
    audience = audiences.current()
    if audience is None or audience.sync is None:
        return error("not_allowed")
    return audience.sync(data)
