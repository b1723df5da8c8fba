"""Socket events of a girl's phone. Every event is checked against her own run."""
from __future__ import annotations

from flask import request, session
from flask_socketio import ConnectionRefusedError, emit, join_room
from sqlalchemy.orm import joinedload

from ..realtime.guard import handles
from ..realtime.schemas import AnswerIn, SignalIn
from ..extensions import db, socketio
from ..languages import LANGUAGES
from ..models import Participant, Run, RunState, utcnow
from ..realtime import OK, audiences, broadcast, error, role, room_all, room_lang, room_participant
from ..realtime import attention as attention_live
from ..refusals import Refused
from ..services import answers, participants, runs, signals, snapshots


def connect_participant(token: object) -> bool:
    participant = participants.by_token(token) if isinstance(token, str) else None
    if participant is None:
        raise ConnectionRefusedError("unknown_token")
    if participant.removed:
        raise ConnectionRefusedError("removed")
    _follow_language_choice(participant)
    run = participant.run
    session.update(gps_role="participant", gps_participant=participant.id, gps_run=run.id)
    # An ended run broadcasts nothing more to the group: she rereads, and her own room tells her of a deletion.
    shared = () if run.state is RunState.ENDED else (room_all(run.id), room_lang(run.id, participant.locale))
    for room in (*shared, room_participant(participant.id)):
        join_room(room)
    emit("snapshot", snapshots.participant_snapshot(run, participant))
    mark_presence(participant, online=True)
    return True


def mark_presence(participant: Participant, *, online: bool) -> None:
    """Online or offline on the dashboard (issue 15). A girl with the page open twice stays online until
    her last connection here closes (request.sid is the one that is going)."""
    if not online and _other_connections(participant):
        return
    participant.connected, participant.last_seen_at = online, utcnow()
    db.session.commit()
    broadcast.presence_changed(participant)


def _other_connections(participant: Participant) -> bool:
    room = room_participant(participant.id)
    return any(sid != request.sid for sid, _eio in socketio.server.manager.get_participants("/", room))


def disconnect_participant() -> None:
    participant = db.session.get(Participant, session.get("gps_participant"))
    if participant is not None and not participant.removed:
        mark_presence(participant, online=False)


def _follow_language_choice(participant: Participant) -> None:
    """She may have switched language on the page; the broadcast room follows her choice."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        participants.set_locale(participant, chosen)


def _me() -> tuple[Run, Participant] | None:
    if role() != "participant":
        return None
    # Her run and its squad in the same statement: every answer needs both (issue 16: 3 statements -> 1).
    participant = db.session.get(Participant, session.get("gps_participant"),
                                 options=[joinedload(Participant.run).joinedload(Run.squad)])
    if participant is None or participant.removed:
        return None
    return participant.run, participant


@handles("phone:answer", AnswerIn, audience="participant", formerly=("answer",))
def on_answer(data):
    """{item, client_id, payload} -> ack {ok, answer} or {ok: false, error}."""
    mine = _me()
    if mine is None:
        return error("not_allowed")
    if not isinstance(data, dict):
        return error("wrong_shape")
    run, participant = mine
    current = runs.current_item(run)  # read before the commit expires the run (saves a query per answer)
    answer, changed = answers.submit(run, participant, data.get("item"), data.get("payload"), data.get("client_id"))
    if changed:
        counts = answers.counts(run, current, participants.count_active(run))
        broadcast.answer_arrived(run, answer, counts)
        attention_live.checkin_answered(run, participant, answer)  # only check-ins: her coach's attention view
        if run.self_paced:
            _next_at_her_pace(run, participant, answer.item_id)
    return {"ok": True, "item": answer.item_id, "answer": answer.value}


def _next_at_her_pace(run: Run, participant: Participant, item_id: str) -> None:
    """Offline individual, self-paced (issue 5): her answer shows the info and brings the next message."""
    from ..services import pacing

    try:
        run = runs.change(run.id, pacing.after_answer(item_id))
    except Refused:
        return
    broadcast.run_changed(run)
    emit("snapshot", snapshots.participant_snapshot(run, participant), to=room_participant(participant.id))


@handles("phone:signal", SignalIn, audience="participant", formerly=("signal",))
def on_signal(data):
    """{kind: talk|break|talk_after} -> ack {ok}. Reaches staff only."""
    mine = _me()
    if mine is None:
        return error("not_allowed")
    run, participant = mine
    signal, is_new = signals.send(run, participant, data.get("kind") if isinstance(data, dict) else None)
    if is_new:
        broadcast.signal_arrived(run, signals.signal_row(signal))
        attention_live.signal_stored(run, participant, signal)  # every staff page of her counsellor (issue 13)
    return OK


def participant_sync(_data) -> dict:
    mine = _me()
    return {"ok": True, "snapshot": snapshots.participant_snapshot(*mine)} if mine else error("removed")


audiences.register(audiences.Audience(
    "participant", auth_key="token", identity_key="gps_participant",
    connect=lambda token, _auth: connect_participant(token), sync=participant_sync,
    disconnect=disconnect_participant))

from . import track_events  # noqa: E402,F401  (her phone in her personal track: the same blueprint)
