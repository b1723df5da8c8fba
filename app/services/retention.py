"""Retention: answers, signals and pseudonyms of ended runs are deleted after RETENTION_DAYS.

What stays after the purge is only a count per item (ItemTally). A run that was never ended counts from its
last activity (a join, an answer, a move): idle for RETENTION_DAYS, it is ended and purged like an ended run,
so a forgotten lobby cannot keep pseudonyms for ever. Tracks likewise: closed ones count from their closing,
open ones from their last activity. The coach is warned RETENTION_WARNING_DAYS before (`purge_soon`).
"Delete now" removes a run with everything in it. Both leave an audit entry without girls' data.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from ..extensions import db
from ..models import Answer, AuditEntry, Facilitator, ItemTally, Participant, Run, RunState, Signal, utcnow


def run_last_activity():
    """An open run's last sign of life, for runs from before the column too."""
    return func.coalesce(Run.last_activity_at, Run.started_at, Run.created_at)


def track_last_activity():
    from ..models_tracks import Track

    return func.coalesce(Track.last_activity_at, Track.joined_at, Track.created_at)


def purge(days: int, now: datetime | None = None) -> int:
    """Purge every run that ended more than `days` ago, or that was left open and idle that long (it is ended
    first); returns how many runs were purged."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    ended_long_ago = and_(Run.state == RunState.ENDED, Run.ended_at <= cutoff)
    left_idle = and_(Run.state != RunState.ENDED, run_last_activity() <= cutoff)
    # A module of a track lives as long as its track (purge_tracks): her earlier modules stay while she works on.
    query = select(Run).where(or_(ended_long_ago, left_idle), Run.purged_at.is_(None), Run.track_id.is_(None))
    purged = 0
    for run in db.session.scalars(query).all():
        _purge_run(run, now)
        purged += 1
    if purged:
        db.session.add(AuditEntry(action="retention_purge", subject=f"{purged} run(s) older than {days} days"))
    db.session.commit()
    if purged:
        forget_deleted_rows()
    return purged


def _purge_run(run: Run, now: datetime | None) -> None:
    """Ended if it was not, its answers become counts per item, everything about the girls goes."""
    if run.state is not RunState.ENDED:
        run.end()
    _keep_tallies(run)
    _delete_people_data(run.id)
    run.purged_at = now or utcnow()


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
    forget_deleted_rows()


def purge_tracks(days: int, now: datetime | None = None) -> int:
    """Tracks closed, or left open and idle, for longer than the retention period are purged like ended runs:
    each module run keeps its counts per item (no text, no pseudonym) as a run of the squad; the track with her
    pseudonym, tokens and messages is deleted."""
    from ..models_tracks import Track

    cutoff = (now or utcnow()) - timedelta(days=days)
    closed_long_ago = and_(Track.closed_at.is_not(None), Track.closed_at <= cutoff)
    left_idle = and_(Track.closed_at.is_(None), track_last_activity() <= cutoff)
    # A one-to-one girl's enrolment lives as long as a run of hers still holds her answers.
    in_squad_runs = (select(Participant.id).join(Run, Participant.run_id == Run.id)
                     .where(Participant.track_id == Track.id, Run.track_id.is_(None)).exists())
    old = db.session.scalars(select(Track).where(or_(closed_long_ago, left_idle), ~in_squad_runs)).all()
    for track in old:
        for run in track.runs:
            _purge_run(run, now)
        db.session.flush()
        db.session.execute(update(Run).where(Run.track_id == track.id).values(track_id=None))
        db.session.expire(track)  # its runs are the squad's now: deleting the track must not take them along
        db.session.delete(track)  # the ORM cascade removes the messages
    if old:
        db.session.add(AuditEntry(action="retention_purge",
                                  subject=f"{len(old)} track(s) closed or idle for more than {days} days"))
    db.session.commit()
    if old:
        forget_deleted_rows()
    return len(old)


def delete_track(track, *, by: Facilitator) -> None:
    """Delete now: the track, its module runs with everything in them, its messages."""
    from ..models_tracks import SupportMessage, Track

    subject = f"track {track.id} (squad {track.squad_id}, {track.created_at:%Y-%m-%d})"
    for run_id in [run.id for run in track.runs]:
        _delete_people_data(run_id)
        db.session.execute(delete(ItemTally).where(ItemTally.run_id == run_id))
        db.session.execute(delete(Run).where(Run.id == run_id))
    db.session.execute(delete(SupportMessage).where(SupportMessage.track_id == track.id))
    db.session.execute(delete(Track).where(Track.id == track.id))
    db.session.expire_all()  # what this session had loaded of them is gone
    db.session.add(AuditEntry(actor_id=by.id, action="track_deleted", subject=subject))
    db.session.commit()
    forget_deleted_rows()


def forget_deleted_rows() -> None:
    """SQLite in WAL mode keeps the pages of deleted rows in the -wal file until a checkpoint: copy them into
    the database (where secure_delete has zeroed them, see app/instance.py) and empty the -wal file now.
    A checkpoint that a reader blocks is simply tried again at the next delete; PostgreSQL needs nothing."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def counted_from(thing) -> datetime | None:
    """From when on the retention counts for a run or track (None: already purged)."""
    from ..models_tracks import Track

    if isinstance(thing, Track):
        return thing.closed_at or thing.last_activity_at or thing.joined_at or thing.created_at
    if thing.purged_at is not None:
        return None
    if thing.state is RunState.ENDED:
        return thing.ended_at
    return thing.last_activity_at or thing.started_at or thing.created_at


def purge_soon(thing, days: int, warning_days: int, now: datetime | None = None) -> datetime | None:
    """The moment a run or track will be purged, if that is within `warning_days`; else None."""
    since = counted_from(thing)
    if since is None:
        return None
    when = since + timedelta(days=days)
    return when if when - (now or utcnow()) <= timedelta(days=warning_days) else None


def audit_log(limit: int = 200) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc()).limit(limit)))
