"""Channels follow the right to see, not a number (issue 11, DESIGN.md §4).

Whenever someone loses the right to see a run or a track (it was deleted; she was removed; a staff member
logged out or was deactivated), every open page concerned is told once and its connections leave the rooms at
once, so no later broadcast can reach them. An ended run closes its shared rooms at once; what stays open until
its deletion is only what tells each page of that deletion (her own room, the staff room; a closed track's
rooms are hers and her coach's alone). Connections that come back are sorted again
by their connect handler, which only lets in those still allowed.

In one process every connection is reached. Behind a message queue, rooms are closed on every process, and a
signed-out staff member's other-process connections are told to leave (her events are refused everywhere,
as her session no longer counts).
"""
from __future__ import annotations

from flask import current_app

from ..extensions import socketio
from . import gate, room_all, room_lang, room_participant, room_screen, room_staff, room_staff_member


def _close(*rooms: str) -> None:
    for room in rooms:
        socketio.close_room(room)


def _shared_rooms(run_id: int) -> list[str]:
    from .broadcast import room_screen_lang

    languages = current_app.config["LANGUAGES"]
    return [room_all(run_id), room_screen(run_id), *(room_lang(run_id, code) for code in languages),
            *(room_screen_lang(run_id, code) for code in languages)]


def run_ended(run_id: int, participant_ids) -> None:
    """After the "ended" broadcast the shared rooms close: an ended run broadcasts nothing more. Each girl's own
    room and the staff room stay, only so that a later deletion still reaches every open page."""
    _close(*_shared_rooms(run_id))


def run_deleted(run_id: int, participant_ids) -> None:
    """Every open page of the run is told (her inbox forgets its token, a dashboard stops), then nothing is left."""
    from .push import room_staff_lang

    rooms = [room_staff(run_id), room_all(run_id), *(room_participant(pid) for pid in participant_ids)]
    socketio.emit("run:deleted", {"run": run_id}, to=rooms)
    staff_languages = [room_staff_lang(run_id, code) for code in current_app.config["LANGUAGES"]]
    _close(*rooms, *_shared_rooms(run_id), *staff_languages)


def participant_removed(run_id: int, participant_id: int) -> None:
    """She is told, then her connections are closed: reconnecting, she is refused as removed."""
    room = room_participant(participant_id)
    socketio.emit("removed", {"run": run_id}, to=room)
    for sid in _local_members(room):
        socketio.server.disconnect(sid)
    _close(room)


def track_deleted(track) -> None:
    """Her phone and every coach view of the track are told, then leave its rooms."""
    from .tracks import room_coach, room_girl

    socketio.emit("track:deleted", {"track": track.id}, to=room_girl(track))
    socketio.emit("facilitator:track_deleted", {"track": track.id}, to=room_coach(track.id))
    _close(room_girl(track), room_coach(track.id))


def staff_signed_out(facilitator_id: int) -> None:
    """Logout, deactivation or a new password: every page of hers is told and her connections here closed."""
    room = room_staff_member(facilitator_id)
    socketio.emit("facilitator:signed_out", {}, to=room)
    for sid in gate.sids_of(f"facilitator:{facilitator_id}"):
        socketio.server.disconnect(sid)
    _close(room)


def _local_members(room: str) -> list[str]:
    return [sid for sid, _eio in socketio.server.manager.get_participants("/", room)]
