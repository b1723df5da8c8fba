"""The coach's attention view live (issue 13): events to every open page of one staff member, and to no one else
(the room `staff:<id>` that each staff connection joins).

- `notify(owner_id)`: `facilitator:attention_changed` with the whole state (four statements, computed once for
  all her open pages, and only when one of them listens to this process). After a girl's message, messages read,
  a track's signal or its acknowledgement (the track handlers call it), a check-in seen.
- On the hot path nothing is read: a run's new signal, its acknowledgement and a check-in answer send a delta
  built from the rows the event already holds, `facilitator:attention_added` {item} or
  `facilitator:attention_removed` {key}. A check-in answered 30 times at the start of a module costs no statement
  more than any other answer (issue 16's budget).
"""
from __future__ import annotations

from ..extensions import socketio
from ..models import Answer, Participant, Run, Signal
from ..services import attention
from . import push, room_staff_member


def notify(owner_id: int) -> None:
    room = room_staff_member(owner_id)
    if push.listening(room):  # nobody of hers here: the state is not even computed (her pages sync on connect)
        socketio.emit("facilitator:attention_changed", attention.state_for(owner_id), to=room)


def signal_stored(run: Run, participant: Participant, signal: Signal) -> None:
    row = attention.signal_item(signal.id, signal.kind, signal.created_at, run.id, run.track_id, run.module_number,
                                participant.pseudonym, run.squad.name)
    socketio.emit("facilitator:attention_added", {"item": row}, to=room_staff_member(run.squad.owner_id))


def signal_seen(run: Run, signal: Signal) -> None:
    _removed(run.squad.owner_id, attention.signal_key(signal.id))


def checkin_answered(run: Run, participant: Participant, answer: Answer) -> None:
    """Her check-in, new or changed: low, it is on the list; not low, it is not (a changed one leaves)."""
    if not attention.is_checkin(answer.item_id):
        return
    owner_id = run.squad.owner_id
    if answer.skipped or not attention.is_low_checkin(answer.item_id, answer.value):
        _removed(owner_id, attention.checkin_key(answer.id))
        return
    row = attention.checkin_item(answer.id, answer.item_id, answer.value["value"], answer.updated_at, run.id,
                                 run.track_id, run.module_number, participant.pseudonym, run.squad.name)
    socketio.emit("facilitator:attention_added", {"item": row}, to=room_staff_member(owner_id))


def checkin_seen(owner_id: int, answer_id: int) -> None:
    _removed(owner_id, attention.checkin_key(answer_id))


def _removed(owner_id: int, key: str) -> None:
    socketio.emit("facilitator:attention_removed", {"key": key}, to=room_staff_member(owner_id))
