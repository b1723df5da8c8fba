"""Answers: stored once per (participant, item) whatever the retries, changeable until the reveal."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from .. import item_types
from ..extensions import db
from ..models import Answer, Participant, Run, RunState, utcnow
from ..refusals import Refused
from . import runs, timers

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def submit(run: Run, participant: Participant, item_id: object, payload: object, client_id: object) -> tuple[Answer, bool]:
    """Validate and store her answer; returns (answer, changed). A retry of the same send changes nothing."""
    item = _open_item(run, participant, item_id)
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise Refused("bad_client_id")
    try:
        value = item_types.validate_answer(item, payload)
    except item_types.AnswerError as error:
        raise Refused(error.code, getattr(error, "index", None)) from None
    return _store(run, participant, item.id, value, client_id)


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


def _store(run: Run, participant: Participant, item_id: str, value: dict, client_id: str) -> tuple[Answer, bool]:
    for _ in range(2):
        answer = find(participant, item_id)
        if answer is not None and answer.client_id == client_id:
            return answer, False
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
            _commit_keeping_loaded()
            return answer, True
        except IntegrityError:  # a retry of hers raced this one; the row exists now
            db.session.rollback()
    raise Refused("busy")


def _commit_keeping_loaded() -> None:
    """Commit without expiring what this event loaded: the ack and the staff event then send the row just
    written, her pseudonym and the run without three more queries per answer (measured: docs/benchmarks.md)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def find(participant: Participant, item_id: str) -> Answer | None:
    query = select(Answer).where(Answer.participant_id == participant.id, Answer.item_id == item_id)
    return db.session.scalar(query)


def of_participant(participant: Participant) -> dict[str, Answer]:
    return {a.item_id: a for a in participant.answers}


def for_item(run: Run, item_id: str) -> list[Answer]:
    # contains_eager: the joined participant fills answer.participant, instead of one query per answer.
    query = (select(Answer).join(Participant).options(contains_eager(Answer.participant))
             .where(Answer.run_id == run.id, Answer.item_id == item_id).order_by(Answer.updated_at))
    return list(db.session.scalars(query))


def counted(answers: list[Answer]) -> list[Answer]:
    """Answers that count for the group: not from a removed participant."""
    return [a for a in answers if not a.participant.removed]


def group_aggregate(run: Run, item) -> dict:
    """What the projector may show: the item type's aggregate without hidden answers.

    Only the values are read, not Answer rows with their participants: this runs after nearly every answer in a
    busy room (`facilitator:results`), where building those objects was most of its cost (docs/benchmarks.md).
    """
    query = (select(Answer.value).join(Participant)
             .where(Answer.run_id == run.id, Answer.item_id == item.id, Participant.removed.is_(False),
                    Answer.hidden.is_(False))
             .order_by(Answer.updated_at))
    return item_types.aggregate(item, list(db.session.scalars(query)))


def counts(run: Run, item, joined: int | None = None) -> dict:
    """Counted in SQL: this runs after every answer, so it must not load the item's answers. Without `joined`,
    the girls still in the run are counted in the same statement (one statement per answer instead of two)."""
    answered = skipped = 0
    if item:
        is_counted = Participant.removed.is_(False)
        query = select(func.count(Answer.id).filter(Answer.skipped.is_(False)),
                       func.count(Answer.id).filter(Answer.skipped.is_(True)))
        if joined is None:
            query = query.add_columns(select(func.count(Participant.id))
                                      .where(Participant.run_id == run.id, is_counted).scalar_subquery())
        query = (query.select_from(Answer).join(Participant)
                 .where(Answer.run_id == run.id, Answer.item_id == item.id, is_counted))
        answered, skipped, *rest = db.session.execute(query).one()
        joined = rest[0] if rest else joined
    elif joined is None:
        joined = db.session.scalar(select(func.count(Participant.id))
                                   .where(Participant.run_id == run.id, Participant.removed.is_(False)))
    return {"joined": joined, "answered": answered, "skipped": skipped,
            "thinking": max(joined - answered - skipped, 0)}


def set_hidden(run: Run, answer_id: object, hidden: bool) -> Answer:
    answer = db.session.get(Answer, answer_id) if isinstance(answer_id, int) else None
    if answer is None or answer.run_id != run.id:
        raise Refused("unknown_answer")
    answer.hidden = bool(hidden)
    db.session.commit()
    return answer
