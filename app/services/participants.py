"""Girls in a run: joining with a pseudonym, finding them again by their token, removal."""
from __future__ import annotations

import hashlib
import random
import re
import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Participant, Run, RunState, Squad, SquadMode
from ..refusals import Refused
from . import commit_keeping_loaded, first_with_parents, lookalikes, runs

PSEUDONYM_MIN, PSEUDONYM_MAX = 2, 20
# Letters of any script, digits, spaces and a few joiners; no markup, no emoji floods.
PSEUDONYM_PATTERN = re.compile(r"^[^\W_][\w .'\-]*$", re.UNICODE)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_pseudonym(raw: str) -> str:
    """Normalised pseudonym, or Refused('pseudonym_length' | 'pseudonym_characters')."""
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if not PSEUDONYM_MIN <= len(name) <= PSEUDONYM_MAX:
        raise Refused("pseudonym_length")
    if not PSEUDONYM_PATTERN.match(name):
        raise Refused("pseudonym_characters")
    if lookalikes.mixed_script(name):  # "Аnna" with a Cyrillic А would pass for "Anna"
        raise Refused("pseudonym_mixed_script")
    return name


def join(run: Run, raw_pseudonym: str, locale: str, *, limit: int) -> tuple[Participant, str]:
    """Add a girl to the run; returns her participant row and the token her phone keeps (shown once)."""
    name = clean_pseudonym(raw_pseudonym)
    _check_door(run, limit)
    token = secrets.token_urlsafe(24)
    participant = Participant(run_id=run.id, pseudonym=name, pseudonym_key=lookalikes.skeleton(name),
                              token_hash=hash_token(token), locale=locale)
    db.session.add(participant)
    if run.squad.mode is SquadMode.OFFLINE_INDIVIDUAL and run.track_id is None:
        from . import enrolments  # one identity across the squad's modules (issue 13)

        participant.run = run
        enrolments.enrol(participant)
    runs.note_activity(run)
    try:
        commit_keeping_loaded()  # her row and the run go on to the staff and the projector
    except IntegrityError:
        db.session.rollback()
        raise Refused("pseudonym_taken") from None
    return participant, token


def _check_door(run: Run, limit: int) -> None:
    if run.state is RunState.ENDED:
        raise Refused("run_ended")
    if not run.door_open:
        raise Refused("door_locked")
    if run.squad.mode is SquadMode.OFFLINE_INDIVIDUAL and count_active(run) >= 1:
        raise Refused("one_girl_only")  # issue 5: an individual run is for one girl
    if count_active(run) >= limit:
        raise Refused("run_full")


# The girls still in a run (parameter "run"), built once: each join counts twice, and answers.counts counts them
# inside its own statement.
ACTIVE_IN_RUN = select(func.count(Participant.id)).where(Participant.run_id == bindparam("run"),
                                                        Participant.removed.is_(False))


def count_active(run: Run) -> int:
    return db.session.scalar(ACTIVE_IN_RUN, {"run": run.id})


# Her participant with her run and its squad, which every event of her phone needs: built once (a statement
# object keeps its cache key), the three rows read by first_with_parents (issue 16: 0.39 -> 0.22 ms a call).
_HER_RUN = (select(Participant, Run, Squad).join(Run, Participant.run_id == Run.id)
            .outerjoin(Squad, Run.squad_id == Squad.id))
_BY_ID = _HER_RUN.where(Participant.id == bindparam("participant"))
_BY_TOKEN = _HER_RUN.where(Participant.token_hash == bindparam("token_hash"))


def by_token(token: str) -> Participant | None:
    """The participant of a phone's token, with her run and its squad."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return first_with_parents(_BY_TOKEN, {"token_hash": hash_token(token)}, ("run", "squad"))


def with_her_run(participant_id: object) -> Participant | None:
    """Her participant by id, with her run and its squad."""
    if not isinstance(participant_id, int):
        return None
    return first_with_parents(_BY_ID, {"participant": participant_id}, ("run", "squad"))


def active_in(run: Run) -> list[Participant]:
    return [p for p in run.participants if not p.removed]


def removed_from(run: Run, participant_ids: list) -> bool:
    """Was one of these participants (the ids a browser joined as) removed from this run?"""
    ids = [n for n in participant_ids if isinstance(n, int) and 0 < n < 2**63]
    if not ids:
        return False
    query = select(func.count(Participant.id)).where(Participant.run_id == run.id, Participant.id.in_(ids),
                                                     Participant.removed.is_(True))
    return db.session.scalar(query) > 0


def remove(participant: Participant) -> None:
    """She is told politely and her token stops working for this run; her answers leave the results."""
    participant.removed = True
    db.session.commit()


def forget_presence() -> None:
    """Nobody is connected (a server that starts): every phone that comes back says so again."""
    db.session.execute(update(Participant).where(Participant.connected.is_(True)).values(connected=False))
    db.session.commit()


def set_locale(participant: Participant, locale: str) -> None:
    if participant.locale != locale:
        participant.locale = locale
        db.session.commit()


@lru_cache(maxsize=1)
def _words() -> dict:
    path = Path(__file__).resolve().parent.parent / "data" / "pseudonyms.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def suggestions(locale: str, count: int = 4) -> list[str]:
    words = _words().get(locale) or _words()["nl"]
    rng = random.SystemRandom()
    picks = set()
    while len(picks) < count:
        first, second = rng.choice(words["first"]), rng.choice(words["second"])
        picks.add(f"{second} {first.lower()}" if words.get("noun_first") else f"{first} {second}")
    return sorted(picks)
