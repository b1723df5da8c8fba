"""Socket events of a girl's phone: the audience `participant` (issue 14), in every way of working.

In a run (group or one-to-one) her phone connects with her participant token (`auth.token`); in her online track
with her track's token (`auth.track`, and `auth.key`, the page's track). Each event has one handler: it loads her
way in (`InRun`, `InTrack`: whatever this connection was opened with, refused once it no longer counts: a removed
girl, a token another phone replaced), and the way calls its services, then broadcasts what they committed.
"""
from __future__ import annotations

from flask import request, session
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import db, socketio
from ..languages import LANGUAGES
from ..models import Participant, RunState, utcnow
from ..models_tracks import Track
from ..realtime import OK, audiences, broadcast, room_all, room_lang, room_participant
from ..realtime import attention as attention_live
from ..realtime import tracks as rt
from ..realtime.guard import handles
from ..realtime.schemas import AnswerIn, Empty, ReplyIn, SignalIn
from ..refusals import Refused
from ..services import answers, commit_keeping_loaded, participants, runs, signals, snapshots, support, track_access, track_views, tracks


class InRun:
    """Her participant in one run: a group, or one-to-one with her counsellor."""

    def __init__(self, participant: Participant):
        self.participant, self.run = participant, participant.run

    def snapshot(self) -> dict:
        return snapshots.participant_snapshot(self.run, self.participant)

    def answer(self, data: dict) -> dict:
        run, participant = self.run, self.participant
        answer, changed, counts = answers.submit(run, participant, data["item"], data["payload"], data["client_id"],
                                                 count=runs.current_item(run))
        if changed:
            broadcast.answer_arrived(run, answer, counts)
            attention_live.checkin_answered(run, participant, answer)  # only check-ins: her coach's attention view
            if run.self_paced:
                self._next_at_her_pace(answer.item_id)
        return {"ok": True, "item": answer.item_id, "answer": answer.value}

    def _next_at_her_pace(self, item_id: str) -> None:
        """Offline individual, self-paced (issue 5): her answer shows the info and brings the next message."""
        from ..services import pacing

        try:
            self.run = runs.change(self.run.id, pacing.after_answer(item_id))
        except Refused:
            return
        broadcast.run_changed(self.run)
        emit("snapshot", self.snapshot(), to=room_participant(self.participant.id))

    def signal(self, kind: str) -> dict:
        signal, is_new = signals.send(self.run, self.participant, kind)
        if is_new:
            broadcast.signal_arrived(self.run, signals.signal_row(signal))
            attention_live.signal_stored(self.run, self.participant, signal)  # her counsellor's pages (issue 13)
        return OK

    def reply(self, _data: dict) -> dict:
        raise Refused("not_allowed")  # messages with a coach belong to a track


class InTrack:
    """Her online track: each module a self-paced run of its own (services/tracks.py), and her coach."""

    def __init__(self, track: Track):
        self.track = track

    def snapshot(self) -> dict:
        return track_views.girl_snapshot(self.track)

    def answer(self, data: dict) -> dict:
        answer, is_new = tracks.submit_answer(self.track, data["item"], data["payload"], data["client_id"])
        if is_new:
            rt.answer_arrived(self.track, answer)
        return {"ok": True, "item": answer.item_id, "answer": answer.value, "snapshot": self.snapshot()}

    def signal(self, kind: str) -> dict:
        signal, is_new = support.send_signal(self.track, kind)
        if is_new:
            rt.signal_arrived(self.track, signal)
        return OK

    def reply(self, data: dict) -> dict:
        message, is_new = support.send_message(self.track, "girl", data["text"], data["client_id"])
        if is_new:
            rt.message_sent(self.track, message)
        return {"ok": True, "message": track_views.message_row(message)}


def her_way(_data: dict | None = None) -> InRun | InTrack:
    """What this connection was opened with, while it still counts."""
    if "gps_track" in session:
        track = db.session.get(Track, session["gps_track"], populate_existing=True)
        if track is None or track.token_hash != session.get("gps_track_token"):
            raise Refused("token_revoked")  # another phone took her track over, or it was forgotten
        return InTrack(track)
    participant = participants.with_her_run(session.get("gps_participant"))  # every answer needs all three
    if participant is None:
        raise Refused("not_allowed")
    if participant.removed:
        raise Refused("removed")
    return InRun(participant)


@handles("participant:answer", AnswerIn, audience="participant", loads=her_way,
         formerly=("answer", "phone:answer", "track:answer"))
def on_answer(data, way):
    """{item, payload, client_id} -> {ok, item, answer} (a track adds her new snapshot) or {ok: false, error}."""
    return way.answer(data)


@handles("participant:signal", SignalIn, audience="participant", loads=her_way,
         formerly=("signal", "phone:signal", "track:signal"))
def on_signal(data, way):
    """{kind: talk|break|talk_after} -> {ok}. Reaches her counsellor or coach only."""
    return way.signal(data["kind"])


@handles("participant:reply", ReplyIn, audience="participant", loads=her_way, formerly=("track:reply",))
def on_reply(data, way):
    """Her track: {text ≤ 280, client_id} -> {ok, message}; her coach gets it at once."""
    return way.reply(data)


@handles("participant:sync", Empty, audience="participant", loads=her_way, formerly=("track:sync",))
def on_sync(_data, way):
    """Her snapshot again (the shared `sync` answers the same)."""
    return {"ok": True, "snapshot": way.snapshot()}


# --- connecting and leaving -------------------------------------------------------------------------

def connect(token: object, auth: dict) -> bool:
    """auth {token} in a run, {track, key} in her track; refused: unknown_token, removed, wrong_track."""
    if "token" in auth:
        return _connect_in_run(token)
    return _connect_in_track(token, auth.get("key"))


def _connect_in_run(token: object) -> bool:
    participant = participants.by_token(token) if isinstance(token, str) else None
    if participant is None:
        raise ConnectionRefusedError("unknown_token")
    if participant.removed:
        raise ConnectionRefusedError("removed")
    if session.get("lang") in LANGUAGES:  # she may have switched language on the page: her room follows
        participants.set_locale(participant, session["lang"])
    run = participant.run
    session.update(gps_role="participant", gps_who=f"run-{participant.id}", gps_participant=participant.id,
                   gps_run=run.id)
    # An ended run broadcasts nothing more to the group: she rereads, and her own room tells her of a deletion.
    shared = () if run.state is RunState.ENDED else (room_all(run.id), room_lang(run.id, participant.locale))
    for room in (*shared, room_participant(participant.id)):
        join_room(room)
    emit("snapshot", snapshots.participant_snapshot(run, participant))
    mark_presence(participant, online=True)
    return True


def _connect_in_track(token: object, key: object) -> bool:
    track = track_access.by_token(token)
    if track is None:
        raise ConnectionRefusedError("unknown_token")
    if isinstance(key, str) and key and key != track.key:
        raise ConnectionRefusedError("wrong_track")  # a token of another track on this page
    if session.get("lang") in LANGUAGES and session["lang"] != track.locale:
        track.locale = session["lang"]
        db.session.commit()
    session.update(gps_role="participant", gps_who=f"track-{track.id}", gps_track=track.id,
                   gps_track_token=track.token_hash)
    join_room(rt.room_girl(track))  # also when closed: her page must still hear of a deletion
    emit("track:snapshot", track_views.girl_snapshot(track))
    return True


def mark_presence(participant: Participant, *, online: bool) -> None:
    """Online or offline on the dashboard (issue 15). A girl with the page open twice stays online until
    her last connection here closes (request.sid is the one that is going)."""
    if not online and _other_connections(participant):
        return
    participant.connected, participant.last_seen_at = online, utcnow()
    commit_keeping_loaded()
    broadcast.presence_changed(participant)


def _other_connections(participant: Participant) -> bool:
    room = room_participant(participant.id)
    return any(sid != request.sid for sid, _eio in socketio.server.manager.get_participants("/", room))


def disconnect() -> None:
    participant = db.session.get(Participant, session["gps_participant"]) if "gps_participant" in session else None
    if participant is not None and not participant.removed:
        mark_presence(participant, online=False)


# Either token lets her in (a run's first, if a page ever sent both); `gps_who` counts both ways apart.
audiences.register(audiences.Audience("participant", auth_key=("token", "track"), identity_key="gps_who",
                                      connect=connect, sync=lambda data: on_sync(data, her_way()),
                                      disconnect=disconnect))
