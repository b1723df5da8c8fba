"""Retention: answers, signals and pseudonyms of ended runs are deleted after RETENTION_DAYS.

What stays after the purge is only a count per item (ItemTally). Live runs are never purged.
"Delete now" removes a run with everything in it. Both leave an audit entry without girls' data.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import Answer, AuditEntry, Facilitator, ItemTally, Participant, Run, RunState, Signal, utcnow


def purge(days: int, now: datetime | None = None) -> int:
    """Purge every run that ended more than `days` ago; returns how many runs were purged."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    query = select(Run).where(Run.state == RunState.ENDED, Run.ended_at <= cutoff, Run.purged_at.is_(None))
    purged = 0
    for run in db.session.scalars(query).all():
        _keep_tallies(run)
        _delete_people_data(run.id)
        run.purged_at = now or utcnow()
        purged += 1
    if purged:
        db.session.add(AuditEntry(action="retention_purge", subject=f"{purged} run(s) older than {days} days"))
    db.session.commit()
    return purged


def _keep_tallies(run: Run) -> None:
    counts = db.session.execute(
        select(Answer.item_id, Answer.skipped, func.count()).where(Answer.run_id == run.id)
        .group_by(Answer.item_id, Answer.skipped)).all()
    tallies: dict[str, ItemTally] = {}
    for item_id, skipped, number in counts:
        tally = tallies.setdefault(item_id, ItemTally(run_id=run.id, item_id=item_id, answered=0, skipped=0))
        if skipped:
            tally.skipped += number
        else:
            tally.answered += number
    db.session.add_all(tallies.values())


def _delete_people_data(run_id: int) -> None:
    for model in (Signal, Answer, Participant):
        db.session.execute(delete(model).where(model.run_id == run_id))


def delete_run(run: Run, *, by: Facilitator) -> None:
    """Gone from the database: the run, its participants, answers, signals and tallies."""
    if run.state is not RunState.ENDED:
        raise ValueError("run_not_ended")
    subject = f"run {run.id} (squad {run.squad_id}, module {run.module_number}, {run.created_at:%Y-%m-%d})"
    _delete_people_data(run.id)
    db.session.execute(delete(ItemTally).where(ItemTally.run_id == run.id))
    db.session.execute(delete(Run).where(Run.id == run.id))
    db.session.add(AuditEntry(actor_id=by.id, action="run_deleted", subject=subject))
    db.session.commit()


def purge_tracks(days: int, now: datetime | None = None) -> int:
    """Closed tracks older than the retention period are deleted with everything in them."""
    from ..models_tracks import Track

    cutoff = (now or utcnow()) - timedelta(days=days)
    old = db.session.scalars(select(Track).where(Track.closed_at.is_not(None), Track.closed_at <= cutoff)).all()
    for track in old:
        db.session.delete(track)  # the ORM cascade removes answers, messages and signals
    if old:
        db.session.add(AuditEntry(action="retention_purge", subject=f"{len(old)} closed track(s) older than {days} days"))
    db.session.commit()
    return len(old)


def delete_track(track, *, by: Facilitator) -> None:
    subject = f"track {track.id} (squad {track.squad_id}, {track.created_at:%Y-%m-%d})"
    db.session.delete(track)
    db.session.add(AuditEntry(actor_id=by.id, action="track_deleted", subject=subject))
    db.session.commit()


def audit_log(limit: int = 200) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc()).limit(limit)))
