"""State pushed to the staff on the hot path (issue 16): write in a transaction, then broadcast the new state.

Before, every answer burst and every move told the dashboard "changed" and it fetched a whole staff snapshot to
use one part of it. Now:

- a **move** sends each staff language room the staff snapshot inside its `facilitator:changed` event
  (`snapshot`), built once per language that has a dashboard here; the commander's ack carries the same snapshot;
- a **join** sends the staff room `facilitator:joined` (her row and the counts), not a hint to pull;
- an **answer** still sends its own `facilitator:answer` row and counts at once (the dashboard shows her answer in the
  time of one message), and the group's spread follows as `facilitator:results` (counts and aggregate), **coalesced per
  run**: the first answer of a quiet run sends it at once, later ones within INTERVAL wait for one push at the end
  of the interval, which reads the database then, so the last push always carries the final state.

The coalescing is process-local (a timer per run in this process, started with socketio.start_background_task):
behind a message queue each process coalesces the answers it handled, so a dashboard may get one push per
process and interval; each carries the state of the database, which is the same for all.
"""
from __future__ import annotations

import logging
import time

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..extensions import db, socketio
from ..models import Run
from ..services import answers, runs, snapshots
from . import room_staff

log = logging.getLogger("gps.realtime")

INTERVAL = 0.25  # seconds: at most one `facilitator:results` per run and interval (the last one always comes)

_scheduled: set[int] = set()  # runs whose push at the end of the interval is already planned
_last_push: dict[int, float] = {}  # run id -> monotonic time of its last `facilitator:results`


def room_staff_lang(run_id: int, locale: str) -> str:
    """Dashboards of the run that read in `locale`: their pushed snapshot is in their own language."""
    return f"run:{run_id}:staff:{locale}"


# --- moves ----------------------------------------------------------------------------------------

def facilitator_moved(run: Run, ack_locale: str | None = None) -> dict | None:
    """After a committed move: each staff language room gets `facilitator:changed` with its snapshot in it (the
    dashboard needs no `sync`). Returns the snapshot in `ack_locale` (for the commander's ack), built even if no
    dashboard of that language listens here."""
    wanted = None
    for locale in current_app.config["LANGUAGES"]:
        room = room_staff_lang(run.id, locale)
        if locale != ack_locale and not listening(room):
            continue
        snapshot = snapshots.facilitator_snapshot(run, locale)
        socketio.emit("facilitator:changed", {"run": run.id, "snapshot": snapshot}, to=room)
        if locale == ack_locale:
            wanted = snapshot
    return wanted


def listening(room: str) -> bool:
    """Does anyone listen to this room? Only this process's members are known: behind a message queue every
    language is sent, as its dashboards may sit on another process."""
    manager = socketio.server.manager
    if isinstance(manager, _pubsub()):
        return True
    return bool(manager.rooms.get("/", {}).get(room))


def _pubsub():
    from socketio import PubSubManager

    return PubSubManager


# --- joins ----------------------------------------------------------------------------------------

def facilitator_joined(run: Run, participant, tallies: tuple[int, dict | None]) -> None:
    """Her row for the dashboard's list and the new counts: a small delta instead of a snapshot pull.
    `tallies` are the projector's (joined, counts), counted once for both."""
    joined, counts = tallies
    counts = counts or answers.counts(run, None, joined)  # no live message: nothing to count in SQL
    socketio.emit("facilitator:joined", {"run": run.id, "participant": snapshots.person_row(participant, {}),
                                   "counts": counts}, to=room_staff(run.id))


# --- answers --------------------------------------------------------------------------------------

def answers_changed(run: Run, counts: dict) -> None:
    """Called after every stored answer with the counts just taken: `facilitator:results` now, or once at the end of
    the current interval."""
    now = time.monotonic()
    if run.id in _scheduled:
        return  # the planned push reads the database after this answer's commit: it carries this one too
    wait = _last_push.get(run.id, float("-inf")) + INTERVAL - now
    if wait <= 0 or not _can_wait():
        _last_push[run.id] = now
        send_results(run, counts)
        return
    _scheduled.add(run.id)
    socketio.start_background_task(_push_later, current_app._get_current_object(), run.id, wait)


def _can_wait() -> bool:
    """A later push reads the database in its own task. With one connection shared by every thread (SQLite in
    memory, StaticPool) it would share the request's transaction, so there every answer pushes at once."""
    return not isinstance(db.engine.pool, StaticPool)


def _push_later(app, run_id: int, wait: float) -> None:
    socketio.sleep(wait)
    _scheduled.discard(run_id)  # before reading: an answer committed from now on plans its own push
    _last_push[run_id] = time.monotonic()
    _forget_quiet_runs()
    with app.app_context():
        try:
            run = runs.with_squad(run_id)
            if run is not None:
                send_results(run)
        except SQLAlchemyError as failure:  # the next answer or a sync brings the state; never the payload logged
            log.warning("staff results push failed: %s", type(failure).__name__)
        finally:
            db.session.remove()


def _forget_quiet_runs() -> None:
    """Keep the table small: a run quiet for a minute starts again with a push at once."""
    if len(_last_push) > 500:
        old = time.monotonic() - 60
        for run_id in [key for key, at in _last_push.items() if at < old]:
            _last_push.pop(run_id, None)


def send_results(run: Run, counts: dict | None = None) -> None:
    """The counts and the group's spread of the live message, to staff only (the projector has its own)."""
    current = runs.current_item(run)
    if current is None:
        return
    counts = counts or answers.counts(run, current)
    socketio.emit("facilitator:results", {"run": run.id, "item": current.id, "counts": counts,
                                    "aggregate": answers.group_aggregate(run, current)}, to=room_staff(run.id))


def reset() -> None:
    """Forget every planned push (tests)."""
    _scheduled.clear()
    _last_push.clear()
