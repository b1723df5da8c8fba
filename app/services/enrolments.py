"""One girl across the modules of an offline one-to-one squad (issue 13): one pseudonym, her earlier answers.

The first time she joins a run of the squad, she gets an enrolment (a Track of the squad without a phone token:
she works beside her counsellor, who opens each module for her). When the counsellor starts the next module
*with her*, the run is made with her already in it under the same pseudonym; on the join page her phone just
continues as her (no pseudonym to choose), and her phone still open on the last module is offered the next one.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select, update

from ..extensions import db
from ..models import Participant, Run, RunState, Squad, SquadMode, utcnow
from ..models_tracks import Track
from ..refusals import Refused
from . import lookalikes, runs
from .participants import hash_token


def keeps_identity(run: Run) -> bool:
    return run.track_id is None and run.squad.mode is SquadMode.OFFLINE_INDIVIDUAL


def enrol(participant: Participant) -> Track:
    """Her enrolment in the squad, made when she first joins one of its runs; committed with the caller."""
    track = Track(squad_id=participant.run.squad_id, key=secrets.token_urlsafe(9), pseudonym=participant.pseudonym,
                  locale=participant.locale, open_modules=[], joined_at=utcnow(), last_activity_at=utcnow())
    db.session.add(track)
    db.session.flush()
    participant.track_id = track.id
    return track


def girls_of(squad: Squad) -> list[Track]:
    """The girls of an offline one-to-one squad, first come first."""
    query = select(Track).where(Track.squad_id == squad.id, Track.pseudonym.is_not(None)).order_by(Track.id)
    return list(db.session.scalars(query))


def modules_of(girl: Track) -> set[int]:
    """The modules she has already worked through in this squad."""
    query = select(Run.module_number).join(Participant, Participant.run_id == Run.id).where(
        Participant.track_id == girl.id)
    return set(db.session.scalars(query))


def enrolment_of(squad: Squad, track_id: object) -> Track | None:
    track = db.session.get(Track, track_id) if isinstance(track_id, int) else None
    return track if track is not None and track.squad_id == squad.id else None


def start_with(squad: Squad, module_number: int, girl: Track) -> Run:
    """A new run of the squad with her in it already, under her pseudonym (she continues on the join page)."""
    run = runs.create_run(squad, module_number)
    run.participants.append(Participant(
        pseudonym=girl.pseudonym, pseudonym_key=lookalikes.skeleton(girl.pseudonym), locale=girl.locale,
        token_hash=None, track_id=girl.id))
    girl.last_activity_at = utcnow()
    db.session.commit()
    return run


def the_girl(run: Run) -> Participant | None:
    """The girl of this one-to-one run who keeps her identity across the squad's modules, if she is in it."""
    if not keeps_identity(run):
        return None
    return next((p for p in run.participants if p.track_id is not None and not p.removed), None)


def expected_girl(run: Run) -> Participant | None:
    """The girl this run was started with, while no phone holds her in it yet: the join page continues as her.
    Once a phone is hers, a second phone is refused as before (one girl only)."""
    girl = the_girl(run)
    return girl if girl is not None and girl.token_hash is None else None


def continue_as(run: Run, participant: Participant, locale: str) -> str:
    """Her phone becomes hers in this run (once: then the join page asks nothing more of anyone).
    The door rule is the run's: with the door closed, nobody continues as her."""
    if run.state is RunState.ENDED:
        raise Refused("run_ended")
    if not run.door_open:
        raise Refused("door_locked")
    token = secrets.token_urlsafe(24)
    # One UPDATE that only a row without a phone matches: of two phones pressing at once, one gets her.
    claimed = db.session.execute(update(Participant).where(Participant.id == participant.id,
                                                           Participant.token_hash.is_(None))
                                 .values(token_hash=hash_token(token), locale=locale)).rowcount
    if not claimed:
        db.session.rollback()
        raise Refused("one_girl_only")
    runs.note_activity(run)
    db.session.commit()
    db.session.refresh(participant)
    return token


def earlier_runs(run: Run) -> list[Run]:
    """Her other modules in this squad (for her counsellor: her earlier answers), newest first."""
    girl = the_girl(run)
    if girl is None:
        return []
    query = (select(Run).join(Participant, Participant.run_id == Run.id)
             .where(Participant.track_id == girl.track_id, Run.id != run.id).order_by(Run.created_at.desc()))
    return list(db.session.scalars(query))


def next_run_for(participant: Participant) -> Run | None:
    """A newer open run her counsellor started with her: her phone on the last module is offered it."""
    if participant.track_id is None:
        return None
    query = (select(Run).join(Participant, Participant.run_id == Run.id)
             .where(Participant.track_id == participant.track_id, Participant.removed.is_(False),
                    Run.state != RunState.ENDED, Run.id != participant.run_id, Run.track_id.is_(None))
             .order_by(Run.created_at.desc()))
    return db.session.scalars(query).first()
