"""Broadcasts after a change has been committed (the database is the truth; events only follow it)."""
from __future__ import annotations

from flask import current_app

from ..extensions import db, socketio
from ..models import Run
from ..services import snapshots
from . import push, room_participant, room_screen, room_staff, room_lang


def run_changed(run: Run, ack_locale: str | None = None) -> dict | None:
    """After a staff move: every phone gets the run and current item in her language, the dashboards their
    snapshot inside `facilitator:changed` (issue 16: no pull), the projector its own. Returns the staff snapshot in
    `ack_locale` for the commander's acknowledgement."""
    for locale in current_app.config["LANGUAGES"]:
        socketio.emit("update", snapshots.participant_update(run, locale), to=room_lang(run.id, locale))
    staff = push.facilitator_moved(run, ack_locale)
    presenter_changed(run.id)
    return staff


def participant_joined(run: Run, participant) -> None:
    """A girl joined: the staff get her row and the counts (`facilitator:joined`), the projector its new state."""
    tallies = snapshots.presenter_tallies(run)
    push.facilitator_joined(run, participant, tallies)
    presenter_changed(run.id, tallies)


def facilitator_and_presenter_changed(run_id: int) -> None:
    socketio.emit("facilitator:changed", {"run": run_id}, to=room_staff(run_id))
    presenter_changed(run_id)


def room_screen_lang(run_id: int, locale: str) -> str:
    return f"run:{run_id}:screen:{locale}"


def presenter_changed(run_id: int, tallies: tuple | None = None) -> None:
    """Push the projector its new state at once (issue 15): a hidden answer leaves the wall in the time of one
    message, with no round trip; each projector gets it in the language it was opened in."""
    run = db.session.get(Run, run_id)
    if run is None:
        return
    # Issue 16: counted once for all languages, and built only for the languages a projector listens in.
    languages = [code for code in current_app.config["LANGUAGES"] if push.listening(room_screen_lang(run_id, code))]
    if not languages:
        return
    tallies = tallies or snapshots.presenter_tallies(run)
    for locale in languages:
        socketio.emit("presenter:snapshot", snapshots.presenter_snapshot(run, locale, tallies),
                      to=room_screen_lang(run_id, locale))


def answer_arrived(run: Run, answer, counts: dict) -> None:
    socketio.emit("facilitator:answer", {"answer": snapshots.answer_row(answer), "counts": counts},
                  to=room_staff(run.id))
    socketio.emit("presenter:counts", {"counts": counts}, to=room_screen(run.id))
    push.answers_changed(run, counts)  # the spread follows, coalesced per run


def participant_removed(run: Run, participant_id: int) -> None:
    socketio.emit("removed", {"run": run.id}, to=room_participant(participant_id))
    facilitator_and_presenter_changed(run.id)


def signal_arrived(run: Run, row: dict) -> None:
    """Only the staff room: never the projector, never another phone."""
    socketio.emit("facilitator:signal", row, to=room_staff(run.id))


def presence_changed(participant) -> None:
    """Online/offline of one girl, to staff only; the dashboard updates her row without a new snapshot."""
    socketio.emit("facilitator:presence",
                  {"participant": participant.id, "presence": snapshots.presence_of(participant)},
                  to=room_staff(participant.run_id))


def next_module_started(run: Run) -> None:
    """One-to-one (issue 13): her phone, still open on an earlier module, is offered the one just started."""
    from ..services import enrolments, snapshots

    girl = enrolments.the_girl(run)
    if girl is None:
        return
    for earlier in enrolments.earlier_runs(run):
        for participant in earlier.participants:
            if participant.track_id == girl.track_id:
                socketio.emit("next_module", snapshots.next_module_view(participant),
                              to=room_participant(participant.id))
