"""Individual online tracks: one girl, her coach, modules 0–5 at her own pace (issues 5, 13).

The track is her enrolment; each module she works through is a self-paced Run with her as its one
Participant, so her answers, signals, reveals, reports and hiding follow the run's rules (services/answers.py,
pacing.py, signals.py). Her next message is the next one of the module she is in (one she began, else the
first open one she has not finished): locking that module holds her there, it never moves her ahead. Her
answer shows the blogger's info at once. Invitations and her phone's token: services/track_access.py.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import item_types
from ..extensions import db
from ..models import Answer, Facilitator, Participant, Run, RunState, Squad, SquadMode, utcnow
from ..models_tracks import Track
from ..programme import programme
from ..refusals import Refused
from . import answers, lookalikes, pacing, runs
from .answers import CLIENT_ID


# --- the programme as one girl walks it ---------------------------------------------------------

def sequence() -> list:
    """Every item meant for individual work, modules 0–5 in order."""
    return [item for item in programme().items() if "individual" in item.modes]


def items_of_module(number: int) -> list:
    return [item for item in sequence() if item.module_number == number]


def default_open_modules() -> list[int]:
    """Modules without a content note are open from the start; the coach opens the others after a talk."""
    return sorted(n for n, module in programme().modules.items() if not module.content_note)


# --- creating, inviting, joining -----------------------------------------------------------------

def create_track(squad: Squad) -> tuple[Track, str]:
    """A new track in an online-individual squad; returns it with its first invitation token."""
    if squad.mode is not SquadMode.ONLINE_INDIVIDUAL:
        raise Refused("not_online_squad")
    if squad.archived_at is not None:
        raise Refused("squad_archived")
    track = Track(squad_id=squad.id, key=secrets.token_urlsafe(9), open_modules=default_open_modules())
    db.session.add(track)
    db.session.flush()
    from . import track_access  # invitations live there, and it needs Refused from here

    return track, track_access.issue_invitation(track)


# --- who may see it ------------------------------------------------------------------------------

def may_coach(facilitator: Facilitator, track: Track) -> bool:
    """The owner of the track's squad, or an admin; never another coach."""
    return facilitator.is_authenticated and (track.squad.owner_id == facilitator.id or facilitator.is_admin)


def owned_track(facilitator: Facilitator, track_id: object) -> Track | None:
    track = db.session.get(Track, track_id) if isinstance(track_id, int) else None
    return track if track is not None and may_coach(facilitator, track) else None


def tracks_of(squad: Squad) -> list[Track]:
    return list(db.session.scalars(select(Track).where(Track.squad_id == squad.id).order_by(Track.created_at)))


# --- the coach's moves ---------------------------------------------------------------------------

def set_module_open(track: Track, number: object, open_: bool, *, note_confirmed: bool = False) -> Track:
    """Open or lock a module for her. A module with a content note (module 5) opens only once the coach has
    seen the note and confirmed, as before a run of it (`content_note_required` otherwise)."""
    _require_open(track)
    if not isinstance(number, int) or programme().module(number) is None:
        raise Refused("unknown_module")
    if open_ and programme().module(number).content_note and not note_confirmed \
            and number not in (track.open_modules or []):
        raise Refused("content_note_required")
    modules = set(track.open_modules or [])
    modules = modules | {number} if open_ else modules - {number}
    track.open_modules, track.last_activity_at = sorted(modules), utcnow()
    _commit()
    return track


def set_paused(track: Track, paused: bool) -> Track:
    """A pause holds her where she is: she can still reread, write to her coach and signal."""
    _require_open(track)
    track.paused_at = (track.paused_at or utcnow()) if paused else None
    track.last_activity_at = utcnow()
    _commit()
    return track


def close(track: Track) -> Track:
    """No more answers or messages; her module runs end, so retention counts from today."""
    _require_open(track)
    track.closed_at, track.invite_hash = utcnow(), None
    for run in track.runs:
        if run.state is not RunState.ENDED:
            run.end()
    _commit()
    return track


def _require_open(track: Track) -> None:
    if track.is_closed:
        raise Refused("track_closed")


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Refused("busy") from None


# --- her modules as runs -------------------------------------------------------------------------

def module_runs(track: Track) -> dict[int, Run]:
    return {run.module_number: run for run in track.runs}


def girl_in(run: Run) -> Participant:
    return run.participants[0]


def module_run(track: Track, number: int) -> Run:
    """The self-paced run of one module of her track, made the first time she needs it. It is never joined by
    link (door shut, no code); the track's version, bumped in the same commit, keeps two tabs from making two."""
    run = module_runs(track).get(number)
    if run is not None:
        return run
    run = Run(squad_id=track.squad_id, module_number=number, state=RunState.LIVE, track_id=track.id,
              join_token=secrets.token_urlsafe(16), screen_token=secrets.token_urlsafe(24), join_code=None,
              door_open=False, current_index=0, furthest_index=0, reveals={}, self_paced=True, moderated=False,
              started_at=utcnow(), last_activity_at=utcnow())
    run.participants.append(Participant(
        pseudonym=track.pseudonym, pseudonym_key=lookalikes.skeleton(track.pseudonym),
        token_hash=None, locale=track.locale, track_id=track.id))  # her phone holds the track's token
    track.runs.append(run)
    track.last_activity_at = utcnow()
    _commit()
    return run


def answered(track: Track) -> dict[str, Answer]:
    query = (select(Answer).join(Participant, Answer.participant_id == Participant.id)
             .where(Participant.track_id == track.id).order_by(Answer.created_at, Answer.id))
    return {a.item_id: a for a in db.session.scalars(query)}


def current_module(track: Track, done: dict) -> int | None:
    """The module she is in: one she began and has not finished, else the first open one she has not finished."""
    unfinished = [n for n in sorted(programme().modules) if any(i.id not in done for i in items_of_module(n))]
    begun = [n for n in unfinished if any(i.id in done for i in items_of_module(n))]
    if begun:
        return begun[0]
    return next((n for n in unfinished if n in (track.open_modules or [])), None)


def current_item(track: Track, done: dict | None = None):
    """Her next message, or None while she waits (paused, locked, closed) or when she is done."""
    done = answered(track) if done is None else done
    if waiting(track, done):
        return None
    number = current_module(track, done)
    return next(i for i in items_of_module(number) if i.id not in done)


def waiting(track: Track, done: dict) -> str | None:
    """Why she has no message to answer now: closed, paused, done (everything answered), locked; else None."""
    if track.is_closed:
        return "closed"
    if len(done) >= len(sequence()) and all(i.id in done for i in sequence()):
        return "done"
    if track.is_paused:
        return "paused"
    number = current_module(track, done)
    return "locked" if number is None or number not in (track.open_modules or []) else None


def submit_answer(track: Track, item_id: object, payload: object, client_id: object) -> tuple[Answer, bool]:
    """Store her answer to her current message in the run of its module; returns (answer, is_new).
    A resend changes nothing; the blogger's info follows at once (the run is self-paced)."""
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise Refused("bad_client_id")
    done = answered(track)
    existing = done.get(item_id) if isinstance(item_id, str) else None
    if existing is not None:
        if existing.client_id == client_id:
            return existing, False
        raise Refused("already_answered")
    item = _answerable(track, item_id, done)
    try:  # before the module's run is made for it: a refused answer writes nothing
        item_types.validate_answer(item, payload)
    except item_types.AnswerError as error:
        raise Refused(error.code) from None
    run = module_run(track, item.module_number)
    _bring(run, item)
    try:
        answer, is_new, _counts = answers.submit(run, girl_in(run), item.id, payload, client_id)
    except Refused as refused:
        raise Refused(refused.code) from None
    if is_new:
        runs.change(run.id, pacing.after_answer(item.id))
        note_activity(track)
        db.session.commit()
    return answer, is_new


def _answerable(track: Track, item_id: object, done: dict):
    item = programme().item(item_id) if isinstance(item_id, str) else None
    if item is None or "individual" not in item.modes:
        raise Refused("unknown_item")
    reason = waiting(track, done)
    if reason in ("closed", "paused"):
        raise Refused(f"track_{reason}")
    if item.module_number not in (track.open_modules or []):
        raise Refused("module_locked")
    current = current_item(track, done)
    if current is None or current.id != item.id:
        raise Refused("item_not_live")
    return item


def _bring(run: Run, item) -> None:
    """The run shows her current message (it may lag after the coach locked and opened modules)."""
    index = [i.id for i in runs.items_of(run)].index(item.id)
    if run.current_index != index:
        try:
            runs.change(run.id, runs.go_to(index))
        except Refused as refused:
            raise Refused(refused.code) from None


def note_activity(track: Track) -> None:
    runs.note_activity(track)  # one rule for runs and tracks: retention counts from the last activity


def progress(track: Track, done: dict | None = None) -> dict:
    """Numbers that count what she answered ("You answered 12 messages", "message 13"), never "1 of 57"."""
    done = answered(track) if done is None else done
    current = current_item(track, done)
    return {"total": len(sequence()), "done": len(done), "answered": len(done),
            "position": len(done) + 1 if current else None, "current": current.id if current else None,
            "finished": waiting(track, done) == "done", "waiting": waiting(track, done),
            "module_done": module_done(track, done, current)}


def module_done(track: Track, done: dict, current) -> int | None:
    """The module she has just completed, for a calm moment before the next one (None when she is in one)."""
    if not done:
        return None
    last = max(done.values(), key=lambda a: (a.created_at, a.id))
    number = programme().item(last.item_id).module_number if programme().item(last.item_id) else None
    if number is None or any(i.id not in done for i in items_of_module(number)):
        return None
    return number if current is None or current.module_number != number else None


def module_states(track: Track, done: dict | None = None) -> list[dict]:
    """Per module: done (with the date of her last answer), in_progress, open (not begun) or locked."""
    done = answered(track) if done is None else done
    opened, rows = set(track.open_modules or []), []
    by_module = module_runs(track)
    for number in sorted(programme().modules):
        items = items_of_module(number)
        mine = [done[i.id] for i in items if i.id in done]
        if items and len(mine) == len(items):
            state = "done"
        elif number not in opened:
            state = "locked"
        else:
            state = "in_progress" if mine else "open"
        run = by_module.get(number)
        rows.append({"number": number, "state": state, "open": number in opened, "answered": len(mine),
                     "total": len(items), "run": run.id if run else None,
                     "done_at": max(a.created_at for a in mine) if state == "done" else None})
    return rows


def signal_run(track: Track) -> Run:
    """Where her signal goes: the run of the module she is in, else of the last module she worked in."""
    done = answered(track)
    number = current_module(track, done)
    if number is None:
        number = max(module_runs(track), default=min(track.open_modules or [0]))
    return module_run(track, number)
