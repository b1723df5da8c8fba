"""Issue 11: an id of a deleted row never names a new one (live channels and links are named by ids)."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Run, Squad, SquadMode
from app.models_tracks import SupportMessage, Track
from app.services import runs, squads, support, tracks
from config import TestConfig

from .conftest import make_facilitator


def _delete_then_create(squad: Squad) -> tuple[int, int, int, int]:
    first, _token = tracks.create_track(squad)
    first_id = first.id
    db.session.delete(first)
    db.session.commit()
    second, _token = tracks.create_track(squad)
    run = runs.create_run(squad, 0)
    run_id = run.id
    db.session.delete(run)
    db.session.commit()
    return first_id, second.id, run_id, runs.create_run(squad, 0).id


def test_ids_of_deleted_tracks_and_runs_are_not_reused(app):
    staff = make_facilitator()
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    old_track, new_track, old_run, new_run = _delete_then_create(squad)
    assert new_track > old_track
    assert new_run > old_run


@pytest.fixture()
def migrated_app(tmp_path):
    class FileConfig(TestConfig):
        DATABASE_URL = f"sqlite:///{tmp_path / 'migrated.db'}"

    application = create_app(FileConfig)
    with application.app_context():
        upgrade(directory=application.extensions["migrate"].directory)
        yield application
        db.session.remove()
        db.engine.dispose()


def test_the_migrated_sqlite_schema_never_reuses_ids(migrated_app):
    staff = make_facilitator()
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    old_track, new_track, old_run, new_run = _delete_then_create(squad)
    assert new_track > old_track
    assert new_run > old_run
    assert db.session.get(Run, old_run) is None


def test_coach_and_girl_message_ids_do_not_collide(app):
    """A coach's message with the same client id as one of the girl's is its own message, not a resend."""
    staff = make_facilitator()
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track, _token = tracks.create_track(squad)
    girl, new_girl = support.send_message(track, "girl", "Hoi", "same-id-123")
    coach, new_coach = support.send_message(track, "coach", "Dag!", "same-id-123", author=staff)
    assert new_girl and new_coach and girl.id != coach.id
    assert [m.body for m in db.session.scalars(db.select(SupportMessage).order_by(SupportMessage.id))] == ["Hoi", "Dag!"]
    again, is_new = support.send_message(track, "coach", "Dag!", "same-id-123", author=staff)
    assert not is_new and again.id == coach.id
    assert isinstance(db.session.get(Track, track.id), Track)
