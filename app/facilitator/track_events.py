"""Socket events of the coach's view of one track (issue 5). Every event names its track and is checked
against the coach: the owner of the track's squad, or an admin."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import join_room

from ..realtime.guard import handles
from ..realtime.schemas import TrackAckSignalIn, TrackMessageIn, ModuleIn, PauseIn, TrackIn
from ..extensions import socketio
from ..i18n import select_locale
from ..models_tracks import Track
from ..programme import programme
from ..realtime import OK, error, role
from ..realtime import tracks as rt
from ..refusals import Refused
from ..services import support, track_views, tracks


def _coached(data) -> Track | None:
    if role() != "facilitator" or not current_user.is_authenticated or not isinstance(data, dict):
        return None
    return tracks.owned_track(current_user, data.get("track"))


def _snapshot(track: Track) -> dict:
    return {"ok": True, "snapshot": track_views.facilitator_snapshot(track, select_locale())}


@handles("facilitator:track_join", TrackIn, audience="facilitator", loads=_coached,
         formerly=("coach:join",))
def on_join(data, track):
    """{track} -> ack {ok, snapshot}; the view now receives the facilitator:track_* events of this track."""
    join_room(rt.room_coach(track.id))
    return _snapshot(track)


@handles("facilitator:track_sync", TrackIn, audience="facilitator", loads=_coached,
         formerly=("coach:sync",))
def on_sync(_data, track):
    return _snapshot(track)


@handles("facilitator:track_module", ModuleIn, audience="facilitator", loads=_coached,
         formerly=("coach:module",))
def on_module(data, track):
    """{track, module, open: bool} -> ack {ok, snapshot}; her phone gets a fresh snapshot."""
    try:
        tracks.set_module_open(track, data.get("module"), bool(data.get("open")),
                               note_confirmed=bool(data.get("confirm_note")))
    except Refused as why:
        if why.code == "content_note_required":  # the page shows the note and asks her to confirm
            return {**error(why.code), "note": programme().module(data["module"]).text("content_note", select_locale())}
        return error(why.code)
    rt.girl_changed(track)
    rt.facilitator_track_changed(track)
    return _snapshot(track)


@handles("facilitator:track_message", TrackMessageIn, audience="facilitator", loads=_coached,
         formerly=("coach:message",))
def on_message(data, track):
    """{track, text ≤ 500, client_id} -> ack {ok, message}; it arrives in her inbox, from her coach."""
    message, is_new = support.send_message(track, "coach", data.get("text"), data.get("client_id"),
                                           author=current_user)
    if is_new:
        rt.message_sent(track, message)
    return {"ok": True, "message": track_views.message_row(message)}


@handles("facilitator:track_ack_signal", TrackAckSignalIn, audience="facilitator", loads=_coached,
         formerly=("coach:ack_signal",))
def on_ack_signal(data, track):
    """{track, signal} -> ack {ok}: the coach saw it; it stops being highlighted and she is told."""
    signal = support.acknowledge(track, data.get("signal"))
    rt.signal_seen(track, signal)
    return OK


@handles("facilitator:track_pause", PauseIn, audience="facilitator", loads=_coached,
         formerly=("coach:pause",))
def on_pause(data, track):
    """{track, paused: bool} -> ack {ok, snapshot}: she is held where she is (she can still write and signal)."""
    tracks.set_paused(track, data["paused"])
    rt.girl_changed(track)
    rt.facilitator_track_changed(track)
    return _snapshot(track)


@handles("facilitator:track_close", TrackIn, audience="facilitator", loads=_coached,
         formerly=("coach:close",))
def on_close(data, track):
    """{track} -> ack {ok, snapshot}: no more answers or messages; she can still reread."""
    tracks.close(track)
    rt.girl_changed(track)
    rt.facilitator_track_changed(track)
    return _snapshot(track)
