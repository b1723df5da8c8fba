"""Answers: stored once per (participant, item) whatever the retries, changeable until the reveal."""
from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from .. import item_types
from ..extensions import db
from ..models import Answer, Participant, Run, RunState, utcnow
from ..refusals import Refused
from . import commit_keeping_loaded, participants, runs, timers

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class Stored(NamedTuple):
    answer: Answer
    changed: bool  # False: a retry of a send already stored, which changes nothing
    counts: dict | None  # the live item's counts with this answer, when asked for and changed


def submit(run: Run, participant: Participant, item_id: object, payload: object, client_id: object, *,
           count=None) -> Stored:
    """Validate and store her answer. `count`: the live item, whose counts are then read in the answer's own
    transaction, before its commit (they include her answer either way): on PostgreSQL that saves the second
    transaction's round trips per answer, a connection check, BEGIN and ROLLBACK (issue 16)."""
    item = _open_item(run, participant, item_id)
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise Refused("bad_client_id")
    try:
        value = item_types.validate_answer(item, payload)
    except item_types.AnswerError as error:
        raise Refused(error.code, getattr(error, "index", None)) from None
    return _store(run, participant, item.id, value, client_id, count)


def _open_item(run: Run, participant: Participant, item_id: object):
    if run.state is RunState.ENDED:
        raise Refused("run_ended")
    if participant.removed:
        raise Refused("removed")
    item = runs.current_item(run)
    if item is None or item.id != item_id:
        raise Refused("item_not_live")
    if runs.is_revealed(run, item.id, "results") or timers.closed_answers(run, item):
        raise Refused("answers_closed")
    return item


def _store(run: Run, participant: Participant, item_id: str, value: dict, client_id: str, count) -> Stored:
    for _ in range(2):
        answer = find(participant, item_id)
        if answer is not None and answer.client_id == client_id:
            return Stored(answer, False, None)
        if answer is None:
            answer = Answer(participant_id=participant.id, run_id=run.id, item_id=item_id)
            db.session.add(answer)
        if answer.value != value:  # an approval was for the words she had sent, not for what she writes now
            answer.approved = False
            answer.seen_at = None  # a new low check-in is new to staff too (the attention view, issue 13)
        answer.value, answer.skipped = value, item_types.is_skip(value)
        answer.client_id, answer.updated_at = client_id, utcnow()
        runs.note_activity(run)
        try:
            db.session.flush()
            tally = counts(run, count) if count is not None else None
            commit_keeping_loaded()
            return Stored(answer, True, tally)
        except IntegrityError:  # a retry of hers raced this one; the row exists now
            db.session.rollback()
    raise Refused("busy")


# The statements that run on every answer are built once, with their values as parameters: a statement object
# keeps its cache key, which SQLAlchemy otherwise computes again on every call (issue 16, docs/benchmarks.md).
_RUN, _ITEM = bindparam("run"), bindparam("item")
_COUNTED = Participant.removed.is_(False)

_HER_ANSWER = select(Answer).where(Answer.participant_id == bindparam("participant"), Answer.item_id == _ITEM)


def find(participant: Participant, item_id: str) -> Answer | None:
    return db.session.scalar(_HER_ANSWER, {"participant": participant.id, "item": item_id})


def of_participant(participant: Participant) -> dict[str, Answer]:
    return {a.item_id: a for a in participant.answers}


_ITEM_ANSWERS = (select(Answer, Participant).join(Participant)
                 .where(Answer.run_id == _RUN, Answer.item_id == _ITEM).order_by(Answer.updated_at))


def for_item(run: Run, item_id: str) -> list[Answer]:
    """The item's answers, each with her participant in the same statement (not one query per answer). Read as
    pairs and hung on the answer: contains_eager would build its row processors again on every call."""
    answers = []
    for answer, participant in db.session.execute(_ITEM_ANSWERS, {"run": run.id, "item": item_id}):
        set_committed_value(answer, "participant", participant)
        answers.append(answer)
    return answers


def counted(answers: list[Answer]) -> list[Answer]:
    """Answers that count for the group: not from a removed participant."""
    return [a for a in answers if not a.participant.removed]


def group_aggregate(run: Run, item) -> dict:
    """What the projector may show: the item type's aggregate without hidden answers.

    Only the values are read, not Answer rows with their participants: this runs after nearly every answer in a
    busy room (`facilitator:results`), where building those objects was most of its cost (docs/benchmarks.md).
    """
    values = db.session.scalars(_SHOWN_VALUES, {"run": run.id, "item": item.id})
    return item_types.aggregate(item, list(values))


def aggregate_of(item, answers: list[Answer]) -> dict:
    """group_aggregate() of answers already read (counted ones, in for_item's order): no statement more."""
    return item_types.aggregate(item, [a.value for a in answers if not a.hidden])


_SHOWN_VALUES = (select(Answer.value).join(Participant)
                 .where(Answer.run_id == _RUN, Answer.item_id == _ITEM, _COUNTED, Answer.hidden.is_(False))
                 .order_by(Answer.updated_at))
_ITEM_COUNTS = (select(func.count(Answer.id).filter(Answer.skipped.is_(False)),
                       func.count(Answer.id).filter(Answer.skipped.is_(True)))
                .select_from(Answer).join(Participant).where(Answer.run_id == _RUN, Answer.item_id == _ITEM, _COUNTED))
_ITEM_COUNTS_AND_GIRLS = _ITEM_COUNTS.add_columns(participants.ACTIVE_IN_RUN.scalar_subquery())


def counts(run: Run, item, joined: int | None = None) -> dict:
    """Counted in SQL: this runs after every answer, so it must not load the item's answers. Without `joined`,
    the girls still in the run are counted in the same statement (one statement per answer instead of two)."""
    answered = skipped = 0
    if item:
        query = _ITEM_COUNTS_AND_GIRLS if joined is None else _ITEM_COUNTS
        answered, skipped, *rest = db.session.execute(query, {"run": run.id, "item": item.id}).one()
        joined = rest[0] if rest else joined
    elif joined is None:
        joined = participants.count_active(run)
    return _counts(joined, answered, skipped)


def counts_of(answers: list[Answer], joined: int) -> dict:
    """counts() of answers already read (counted ones): no statement more."""
    skipped = sum(1 for a in answers if a.skipped)
    return _counts(joined, len(answers) - skipped, skipped)


def _counts(joined: int, answered: int, skipped: int) -> dict:
    return {"joined": joined, "answered": answered, "skipped": skipped,
            "thinking": max(joined - answered - skipped, 0)}


def set_hidden(run: Run, answer_id: object, hidden: bool) -> Answer:
    answer = db.session.get(Answer, answer_id) if isinstance(answer_id, int) else None
    if answer is None or answer.run_id != run.id:
        raise Refused("unknown_answer")
    answer.hidden = bool(hidden)
    db.session.commit()
    return answer
