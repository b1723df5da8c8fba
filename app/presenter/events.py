"""Socket events of the projector page, authorised by the run's unguessable screen token."""
from __future__ import annotations

from flask import session
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import db
from ..i18n import select_locale
from ..models import Run
from ..realtime import audiences, error, room_all, room_screen
from ..realtime.broadcast import room_screen_lang
from ..services import runs, snapshots


def connect_presenter(token: object) -> bool:
    run = runs.by_screen_token(token) if isinstance(token, str) else None
    if run is None:
        raise ConnectionRefusedError("unknown_screen")
    session.update(gps_role="presenter", gps_run=run.id, gps_presenter_locale=select_locale())
    join_room(room_screen(run.id))
    join_room(room_screen_lang(run.id, session["gps_presenter_locale"]))  # where its pushed state arrives
    join_room(room_all(run.id))
    emit("presenter:snapshot", snapshots.presenter_snapshot(run, session["gps_presenter_locale"]))
    return True


def presenter_sync() -> dict:
    run = db.session.get(Run, session.get("gps_run"))
    if run is None:
        return error("unknown_run")
    return {"ok": True, "snapshot": snapshots.presenter_snapshot(run, session.get("gps_presenter_locale", "nl"))}


# Its auth key stays "screen": it names the token it brings (`Run.screen_token`, the /screen/<token> address).
audiences.register(audiences.Audience(
    "presenter", auth_key="screen", identity_key="gps_run",
    connect=lambda token, _auth: connect_presenter(token), sync=lambda _data: presenter_sync()))
