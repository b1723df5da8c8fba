"""What of the girls' answers the projector may show (issue 15).

Two rules keep a girl from being exposed on the wall:
- open and word-cloud answers are free text: in a moderated run (the default) one reaches the projector only once
  the counsellor approved it; a hidden answer never does;
- a distribution is shown only once at least MIN_GROUP_FOR_RESULTS girls answered, so a bar of one cannot tell
  the room who chose what. Staff always see everything on the dashboard.
"""
from __future__ import annotations

from typing import Callable

from flask import current_app

from .. import item_types
from ..extensions import db
from ..models import Answer, Run, RunState
from ..refusals import Refused
from . import answers as answer_service
from . import runs

# Free text typed by a girl: the only answers that can carry an insult or a name.
MODERATED_TYPES = ("open", "words")


def needs_approval(run: Run, item) -> bool:
    return bool(run.moderated) and item.type in MODERATED_TYPES


def shown_on_screen(run: Run, item, answer: Answer) -> bool:
    return not answer.hidden and (answer.approved or not needs_approval(run, item))


def min_group() -> int:
    return current_app.config["MIN_GROUP_FOR_RESULTS"]


def screen_aggregate(run: Run, item, rows: list | None = None) -> tuple[dict, bool]:
    """(the aggregate the projector may show, whether it stays private because too few girls answered).

    The group size counts every girl who answered (skips and removed girls not), approved or not: the room
    learns nothing about one girl from a word the counsellor approved out of five answers.
    """
    if rows is None:  # the item's counted answers, unless the caller has read them
        rows = answer_service.counted(answer_service.for_item(run, item.id))
    answered = sum(1 for a in rows if not a.skipped)
    shown = [a.value for a in rows if shown_on_screen(run, item, a)]
    return item_types.aggregate(item, shown), answered < min_group()


def approve(run: Run, answer_id: object) -> Answer:
    """The counsellor lets one answer of the live message onto the projector (it also undoes a hide)."""
    answer = db.session.get(Answer, answer_id) if isinstance(answer_id, int) and not isinstance(answer_id, bool) else None
    if answer is None or answer.run_id != run.id:
        raise Refused("unknown_answer")
    _require_live_item(run, answer.item_id)
    answer.approved, answer.hidden = True, False
    db.session.commit()
    return answer


def approve_all(run: Run, item_id: object) -> int:
    """Approve every answer of the live message that is not hidden; returns how many were newly approved."""
    _require_live_item(run, item_id)
    waiting = [a for a in answer_service.counted(answer_service.for_item(run, item_id))
               if not a.hidden and not a.skipped and not a.approved]
    for answer in waiting:
        answer.approved = True
    db.session.commit()
    return len(waiting)


def _require_live_item(run: Run, item_id: object) -> None:
    if run.state is RunState.ENDED:
        raise Refused("run_ended")
    current = runs.current_item(run)
    if current is None or current.id != item_id:
        raise Refused("item_not_live")


def set_moderated(on: object) -> Callable[[Run], None]:
    """A move for runs.change: switch approval before the projector on or off for this run."""
    def move(run: Run) -> None:
        if not isinstance(on, bool):
            raise Refused("bad_setting")
        if run.state is RunState.ENDED:
            raise Refused("run_ended")
        run.moderated = on
    return move


def staff_view(run: Run, item, rows: list[Answer]) -> dict:
    """The dashboard's moderation panel: whether approval applies to this message, and what waits for it."""
    applies = item is not None and item.type in MODERATED_TYPES
    waiting = [a.id for a in rows if applies and not a.skipped and not a.hidden and not a.approved]
    return {"on": bool(run.moderated), "applies": applies, "min_group": min_group(),
            "approved": [a.id for a in rows if a.approved], "pending": waiting if run.moderated else []}
