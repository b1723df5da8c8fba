"""Socket events of a girl's phone in her personal track (issue 5). Every event is checked against the
token she connected with: after a takeover, the old phone's events are refused."""
from __future__ import annotations

from flask import session
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..realtime.guard import handles
from ..realtime.schemas import AnswerIn, Empty, ReplyIn, SignalIn
from ..extensions import db
from ..languages import LANGUAGES
from ..models_tracks import Track
from ..realtime import OK, audiences, error, role
from ..realtime import tracks as rt
from ..refusals import Refused
from ..services import support, track_access, track_views, tracks


def connect_track(token: object, key: object) -> bool:
    """auth {track: <her token>, key: <track key of the page>}; refused: unknown_token, wrong_track."""
    track = track_access.by_token(token)
    if track is None:
        raise ConnectionRefusedError("unknown_token")
    if isinstance(key, str) and key and key != track.key:
        raise ConnectionRefusedError("wrong_track")  # a token of another track on this page
    chosen = session.get("lang")
    if chosen in LANGUAGES and chosen != track.locale:
        track.locale = chosen
        db.session.commit()
    session.update(gps_role="track", gps_track=track.id, gps_track_token=track.token_hash)
    join_room(rt.room_girl(track))  # also when closed: her page must still hear of a deletion
    emit("track:snapshot", track_views.girl_snapshot(track))
    return True


def _my_track() -> Track | None:
    """Her track, while the token this connection was opened with is still the track's token."""
    if role() != "track":
        return None
    track = db.session.get(Track, session.get("gps_track"), populate_existing=True)
    if track is None or track.token_hash != session.get("gps_track_token"):
        return None
    return track


def _guarded(data, need_dict: bool = True):
    track = _my_track()
    if track is None:
        return None, error("token_revoked" if role() == "track" else "not_allowed")
    if need_dict and not isinstance(data, dict):
        return None, error("wrong_shape")
    return track, None


@handles("track:answer", AnswerIn, audience="track")
def on_answer(data):
    """{item, payload, client_id} -> ack {ok, item, answer, snapshot}; then the coach gets coach:answer."""
    track, refused = _guarded(data)
    if refused:
        return refused
    answer, is_new = tracks.submit_answer(track, data.get("item"), data.get("payload"), data.get("client_id"))
    if is_new:
        rt.answer_arrived(track, answer)
    return {"ok": True, "item": answer.item_id, "answer": answer.value, "snapshot": track_views.girl_snapshot(track)}


@handles("track:reply", ReplyIn, audience="track")
def on_reply(data):
    """{text ≤ 280, client_id} -> ack {ok, message}; her coach gets it at once."""
    track, refused = _guarded(data)
    if refused:
        return refused
    message, is_new = support.send_message(track, "girl", data.get("text"), data.get("client_id"))
    if is_new:
        rt.message_sent(track, message)
    return {"ok": True, "message": track_views.message_row(message)}


@handles("track:signal", SignalIn, audience="track")
def on_signal(data):
    """{kind: talk|break|talk_after} -> ack {ok}. Reaches the coach of this track only."""
    track, refused = _guarded(data, need_dict=False)
    if refused:
        return refused
    signal, is_new = support.send_signal(track, data.get("kind") if isinstance(data, dict) else None)
    if is_new:
        rt.signal_arrived(track, signal)
    return OK


@handles("track:sync", Empty, audience="track")
def on_sync(_data):
    track = _my_track()
    if track is None:
        return error("token_revoked" if role() == "track" else "not_allowed")
    return {"ok": True, "snapshot": track_views.girl_snapshot(track)}


audiences.register(audiences.Audience(
    "track", auth_key="track", identity_key="gps_track",
    connect=lambda token, auth: connect_track(token, auth.get("key"))))
