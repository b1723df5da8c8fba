"""Socket events of the facilitator's run dashboard. Every event names its run and is checked against its owner."""
from __future__ import annotations

from flask import session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from ..realtime.guard import handles
from ..realtime.schemas import AckSignalIn, ApproveAllIn, ApproveIn, CommandIn, HideIn, RemoveIn, RunIn, ScreenIn
from ..extensions import db
from ..extensions import socketio
from ..i18n import select_locale
from ..models import Participant, Run
from ..realtime import OK, attention, audiences, broadcast, channels, error, push, role, room_all, room_participant, room_staff
from ..refusals import Refused
from ..services import answers, pacing, participants, runs, signals, snapshots, timers
from ..services import moderation
from ..services import screen_state

COMMANDS = {
    "start": lambda data: runs.start,
    "next": lambda data: runs.step(+1),
    "previous": lambda data: runs.step(-1),
    "goto": lambda data: runs.go_to(data.get("index") if isinstance(data.get("index"), int) else -1),
    "reveal_results": lambda data: runs.reveal("results"),
    "reveal_info": lambda data: runs.reveal("info"),
    "hide_results": lambda data: runs.conceal("results", data.get("item")),  # undo a reveal (issue 15)
    "hide_info": lambda data: runs.conceal("info", data.get("item")),
    "timer_start": lambda data: timers.start(data.get("seconds"), data.get("close")),
    "timer_stop": lambda data: timers.stop,
    "lock": lambda data: runs.set_door(False),
    "unlock": lambda data: runs.set_door(True),
    "end": lambda data: runs.end,
    "self_paced": lambda data: pacing.set_self_paced(True),  # offline individual only (issue 5)
    "staff_paced": lambda data: pacing.set_self_paced(False),
}


def _owned_run(data) -> Run | None:
    """The run named in the event, if this staff member may steer it (owner or admin)."""
    if role() != "facilitator" or not current_user.is_authenticated or not isinstance(data, dict):
        return None
    run_id = data.get("run")
    run = runs.with_squad(run_id) if isinstance(run_id, int) else None  # the squad says whose it is
    if run is None or not (run.squad.owner_id == current_user.id or current_user.is_admin):
        return None
    return run


def connect_facilitator(_value, _auth) -> bool:
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("not_authenticated")
    session["gps_role"] = "facilitator"
    return True


def facilitator_sync(data) -> dict:
    run = _owned_run(data)
    if run is None:
        return error("not_allowed")
    return {"ok": True, "snapshot": snapshots.facilitator_snapshot(run, select_locale())}


@handles("facilitator:join", RunIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:join",))
def on_join(data, run):
    """{run} -> ack {ok, snapshot}; the dashboard now receives this run's facilitator events."""
    join_room(room_staff(run.id))  # also for an ended run: its dashboard hears of a deletion
    join_room(push.room_staff_lang(run.id, select_locale()))  # where moves push its snapshot (issue 16)
    return facilitator_sync(data)


@handles("facilitator:command", CommandIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:command",))
def on_command(data, run):
    """{run, action, index?} -> ack {ok, snapshot} or {ok: false, error}."""
    if run.track_id is not None:  # a module of a girl's track is hers to pace; the coach steers the track
        return error("track_run")
    make_move = COMMANDS.get(data.get("action"))
    if make_move is None:
        return error("unknown_action")
    run = runs.change(run.id, make_move(data))
    snapshot = broadcast.run_changed(run, select_locale())  # the one pushed to her language's dashboards
    if data.get("action") == "end":
        socketio.emit("ended", {"run": run.id}, to=room_all(run.id))
        channels.run_ended(run.id, [p.id for p in run.participants])
    return {"ok": True, "snapshot": snapshot}


@handles("facilitator:remove", RemoveIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:remove",))
def on_remove(data, run):
    """{run, participant, lock?} -> ack {ok}. Her phone is told, her connections close and her token stops
    working; with lock, the door closes too (a fresh browser could otherwise join under a new nickname)."""
    if run.track_id is not None:
        return error("track_run")
    person = db.session.get(Participant, data["participant"])
    if person is None or person.run_id != run.id:
        return error("unknown_participant")
    participants.remove(person)
    channels.participant_removed(run.id, person.id)
    if data.get("lock") and run.door_open:
        run = runs.change(run.id, runs.set_door(False))
        broadcast.run_changed(run)
    else:
        broadcast.facilitator_and_presenter_changed(run.id)
    return OK


@handles("facilitator:hide", HideIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:hide",))
def on_hide(data, run):
    """{run, answer, hidden} -> ack {ok}. Hidden answers never reach the projector."""
    answers.set_hidden(run, data.get("answer"), bool(data.get("hidden")))
    broadcast.facilitator_and_presenter_changed(run.id)
    if run.track_id is not None:  # a module of her track: every open page of the track follows
        from ..realtime import tracks as track_rooms

        track_rooms.facilitator_track_changed_id(run.track_id)
    return OK


@handles("facilitator:ack_signal", AckSignalIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:ack_signal",))
def on_ack_signal(data, run):
    """{run, signal} -> ack {ok}: staff saw it; it leaves the highlighted list."""
    signal = signals.acknowledge(run, data.get("signal"))
    socketio.emit("signal:seen", {"kind": signal.kind}, to=room_participant(signal.participant_id))
    broadcast.facilitator_and_presenter_changed(run.id)
    attention.signal_seen(run, signal)  # off her attention list, on every page she has open (issue 13)
    return OK


# --- the projector and moderation (issue 15) ------------------------------------------------------

SCREEN_ACTIONS = {
    "info_part": lambda data: screen_state.step_info_part(data.get("step")),
    "theme": lambda data: screen_state.set_theme(data.get("theme")),
    "moderated": lambda data: moderation.set_moderated(data.get("on")),
}


@handles("facilitator:screen", ScreenIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:screen",))
def on_screen(data, run):
    """{run, action: info_part (step ±1) | theme (theme: dark|light) | moderated (on: bool)} -> ack {ok}.
    Only the projector and the dashboards follow; phones are not told."""
    make_move = SCREEN_ACTIONS.get(data.get("action"))
    if make_move is None:
        return error("unknown_action")
    runs.change(run.id, make_move(data))
    broadcast.facilitator_and_presenter_changed(run.id)
    return OK


@handles("facilitator:approve", ApproveIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:approve",))
def on_approve(data, run):
    """{run, answer} -> ack {ok}: one open or word answer of the live message may go on the projector."""
    moderation.approve(run, data.get("answer"))
    broadcast.facilitator_and_presenter_changed(run.id)
    return OK


@handles("facilitator:approve_all", ApproveAllIn, audience="facilitator", loads=_owned_run,
         formerly=("staff:approve_all",))
def on_approve_all(data, run):
    """{run, item} -> ack {ok, approved: n}: every answer of the live message not hidden goes on the projector."""
    approved = moderation.approve_all(run, data.get("item"))
    broadcast.facilitator_and_presenter_changed(run.id)
    return {"ok": True, "approved": approved}


audiences.register(audiences.Audience("facilitator", auth_key=None, identity_key=None,
                                      connect=connect_facilitator, sync=facilitator_sync))

from . import attention_events, track_events  # noqa: E402,F401  (the coach's track view and attention view)
