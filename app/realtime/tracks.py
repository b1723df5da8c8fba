"""Rooms and broadcasts of individual tracks (issue 5), after the change is committed.

Rooms: track:<id>:phone:<token hash prefix> (the connections of her current phone token: after a takeover
the old phone's connections no longer get anything but `track:revoked`), track:<id>:coach (the coach's views).
"""
from __future__ import annotations

from ..extensions import socketio
from ..models_tracks import Track
from ..programme import programme
from ..services import track_views, tracks


def room_girl(track: Track) -> str:
    """Her phone as it is now: the room of the track's current token."""
    return room_phone(track.id, track.token_hash or "")


def room_phone(track_id: int, token_hash: str) -> str:
    return f"track:{track_id}:phone:{token_hash[:16]}"


def room_coach(track_id: int) -> str:
    return f"track:{track_id}:coach"


def girl_changed(track: Track) -> None:
    """Her phone gets a fresh snapshot (modules opened or locked, track closed, her own answer)."""
    socketio.emit("track:snapshot", track_views.girl_snapshot(track), to=room_girl(track))


def facilitator_track_changed(track: Track) -> None:
    facilitator_track_changed_id(track.id)


def facilitator_track_changed_id(track_id: int) -> None:
    socketio.emit("facilitator:track_changed", {"track": track_id}, to=room_coach(track_id))


def _needs_attention(track: Track) -> None:
    """Her coach's attention view (on every staff page) hears of a signal, a message or a low check-in."""
    from . import attention

    attention.notify(track.squad.owner_id)


def answer_arrived(track: Track, answer) -> None:
    """Staff only: her answer and her progress, so the coach follows live."""
    payload = {"track": track.id, "answer": {"item": answer.item_id, "value": answer.value,
                                             "skipped": answer.skipped, "at": answer.created_at.isoformat() + "Z"},
               "progress": tracks.progress(track)}
    socketio.emit("facilitator:track_answer", payload, to=room_coach(track.id))
    item = programme().item(answer.item_id)
    if item is not None and item.role == "checkin":  # a low check-in needs her; a track answers rarely
        _needs_attention(track)


def message_sent(track: Track, message) -> None:
    row = track_views.message_row(message)
    socketio.emit("track:message", row, to=room_girl(track))
    socketio.emit("facilitator:track_message", {"track": track.id, **row}, to=room_coach(track.id))
    if message.sender == "girl":
        _needs_attention(track)


def signal_arrived(track: Track, signal) -> None:
    """Only the coach's room: never anyone else."""
    socketio.emit("facilitator:track_signal", track_views.signal_row(signal, track), to=room_coach(track.id))
    _needs_attention(track)


def signal_seen(track: Track, signal) -> None:
    socketio.emit("track:signal_seen", {"kind": signal.kind}, to=room_girl(track))
    facilitator_track_changed(track)
    _needs_attention(track)


def phone_replaced(track: Track, old_hash: str | None) -> None:
    """A new invitation was accepted: the old phone is told, and forgets its token."""
    if old_hash:
        socketio.emit("track:revoked", {"track": track.id}, to=room_phone(track.id, old_hash))
        socketio.close_room(room_phone(track.id, old_hash))
    facilitator_track_changed(track)


def track_deleted(track: Track) -> None:
    """Her phone is told and forgets the track; open coach views are told too (realtime/channels.py)."""
    from . import channels

    channels.track_deleted(track)
