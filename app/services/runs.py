"""Runs: one live pass through one module by one squad, and the moves staff make during it.

Every move loads the run, applies one change and commits; the version column makes two racing staff
tabs safe (the loser retries on fresh data instead of overwriting).
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Callable

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..content import Module
from ..extensions import db
from ..models import Run, RunState, Squad, SquadMode, utcnow
from ..programme import programme
from ..refusals import Refused
from . import commit_keeping_loaded, first_with_parents

# No look-alikes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def module_of(run: Run) -> Module:
    return programme().module(run.module_number)


def items_of(run: Run) -> tuple:
    """The module's items that suit this run's way of working: a one-to-one run leaves out group-only items."""
    items = module_of(run).items
    squad = run.squad or (db.session.get(Squad, run.squad_id) if run.squad_id else None)
    if squad is None or squad.mode is SquadMode.GROUP:  # a run without its squad (e.g. not saved) counts as a group
        return tuple(i for i in items if "group" in i.modes)
    return tuple(i for i in items if "individual" in i.modes)


def open_run_of(squad: Squad) -> Run | None:
    query = select(Run).where(Run.squad_id == squad.id, Run.state != RunState.ENDED, Run.track_id.is_(None))
    return db.session.scalars(query.order_by(Run.created_at.desc())).first()


def create_run(squad: Squad, module_number: int) -> Run:
    """A new run in the lobby with a fresh link token (128 bits) and short code; retried on a code clash."""
    if programme().module(module_number) is None:
        raise Refused("unknown_module")
    for _ in range(5):
        run = Run(squad_id=squad.id, module_number=module_number, join_token=secrets.token_urlsafe(16),
                  screen_token=secrets.token_urlsafe(24), join_code=new_code(), reveals={})
        db.session.add(run)
        try:
            db.session.commit()
            return run
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not draw a free join code")


# The run and its squad (which decides its messages) in one statement, built once (a statement object keeps its
# cache key; issue 16).
_WITH_SQUAD = select(Run, Squad).outerjoin(Squad, Run.squad_id == Squad.id)
_BY_ID = _WITH_SQUAD.where(Run.id == bindparam("run"))
_BY_JOIN_TOKEN = _WITH_SQUAD.where(Run.join_token == bindparam("token"))


def with_squad(run_id: int) -> Run | None:
    return first_with_parents(_BY_ID, {"run": run_id}, ("squad",))


def by_join_token(token: str) -> Run | None:
    if not token or len(token) > 64:
        return None
    return first_with_parents(_BY_JOIN_TOKEN, {"token": token}, ("squad",))


def by_code(code: str) -> Run | None:
    """Only runs still open have a code; an ended run's code is gone, so it answers like a wrong one."""
    code = "".join(code.split()).upper()
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(Run).where(Run.join_code == code, Run.state != RunState.ENDED))


def by_screen_token(token: str) -> Run | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Run).where(Run.screen_token == token))


# Retention counts in days: noting activity once per this long is precise enough and spares the run's row
# a write per answer.
ACTIVITY_PRECISION = timedelta(minutes=10)


def note_activity(row: Run) -> None:
    """A join, an answer, a message or a move keeps a run (or a track: the same column) from the retention purge;
    committed with the caller's write.

    A plain UPDATE, without the version column: forty girls answering at once must not make each other's
    answers (or a staff move) stale.
    """
    now, model = utcnow(), type(row)
    if row.last_activity_at is not None and now - row.last_activity_at < ACTIVITY_PRECISION:
        return
    db.session.execute(update(model).where(model.id == row.id, or_(
        model.last_activity_at.is_(None), model.last_activity_at < now - ACTIVITY_PRECISION)).values(
        last_activity_at=now).execution_options(synchronize_session="fetch"))


def change(run_id: int, move: Callable[[Run], None], attempts: int = 5) -> Run:
    """Apply one move with optimistic locking; raises Refused when the move is not allowed."""
    for attempt in range(attempts):
        # The first try takes the run as this event read it; a stale version reads it again (the UPDATE checks it).
        run = db.session.get(Run, run_id, populate_existing=attempt > 0)
        if run is None:
            raise Refused("unknown_run")
        move(run)
        run.last_activity_at = utcnow()
        try:
            commit_keeping_loaded()  # every value of the move is set here; the broadcasts read the run next
            return run
        except StaleDataError:
            db.session.rollback()
    raise Refused("busy")


# --- the moves: each is a method of the run (models.Run); these give it what only the content knows ------

def start(run: Run) -> None:
    run.start()


def end(run: Run) -> None:
    run.end()


def set_door(open_: bool) -> Callable[[Run], None]:
    return lambda run: run.set_door(open_)


def go_to(index: int) -> Callable[[Run], None]:
    return lambda run: run.go_to(index, len(items_of(run)))


def step(delta: int) -> Callable[[Run], None]:
    return lambda run: run.step(delta, len(items_of(run)))


def reveal(what: str) -> Callable[[Run], None]:
    """Reveal the results ('results') or the blogger's info ('info') of the current item."""
    return lambda run: run.reveal(_current_id(run), what)


def conceal(what: str, item_id: object) -> Callable[[Run], None]:
    """Undo a reveal of the current item (issue 15); `item_id` is the message the counsellor saw."""
    return lambda run: run.conceal(item_id, what, _current_id(run))


def _current_id(run: Run) -> str | None:
    current = current_item(run)
    return current.id if current is not None else None


# --- reading --------------------------------------------------------------------------------------

def current_item(run: Run):
    if run.state is not RunState.LIVE or run.current_index is None:
        return None
    return items_of(run)[run.current_index]


def visible_items(run: Run) -> list:
    """The items the group has received so far, in inbox order (going back does not take any away)."""
    if run.furthest_index is None:
        return []
    return list(items_of(run)[: run.furthest_index + 1])


def is_revealed(run: Run, item_id: str, what: str) -> bool:
    return bool(run.reveals.get(item_id, {}).get(what))
