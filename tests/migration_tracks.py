"""Issue 13's migration, shared by the SQLite test and the PostgreSQL one: a database with tracks, answers, signals
and messages on the previous schema (a7e3c1d9b211) is upgraded; everything is found in place afterwards and the
girl's old link and phone token keep working."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from app.extensions import db

PREVIOUS = "a7e3c1d9b211"
HER_TOKEN = "her-phone-token-from-before-0123"
KEY = "oldtrack-key1"
WHEN = datetime(2026, 11, 20, 16, 30)


@contextmanager
def app_before_issue_13(database_url: str):
    """An app on `database_url` with the schema and rows of before issue 13."""
    from app import create_app
    from config import TestConfig

    class BeforeConfig(TestConfig):
        DATABASE_URL = database_url

    application = create_app(BeforeConfig)
    with application.app_context():
        build_previous_schema(application)
        yield application
        db.session.remove()
        db.engine.dispose()


def her_answers() -> list[dict]:
    """As the old code let her: all of module 0 (the check-in answered, the rest skipped), then module 1's first."""
    from app.services import tracks

    module0, module1 = tracks.items_of_module(0), tracks.items_of_module(1)
    rows = [{"item": item.id, "value": '{"skip": true}', "skipped": True} for item in module0[1:]]
    rows = [{"item": module0[0].id, "value": '{"value": 4}', "skipped": False}, *rows,
            {"item": module1[0].id, "value": '{"value": 2}', "skipped": False}]
    return [{**row, "client": f"client-{n:04d}"} for n, row in enumerate(rows, 1)]


def build_previous_schema(app) -> None:
    """The schema before issue 13, filled as the old code filled it."""
    directory = app.extensions["migrate"].directory
    upgrade(directory=directory, revision=PREVIOUS)
    rows = [
        ("INSERT INTO facilitator (id, email, name, password_hash, is_admin, active, session_version, created_at) "
         "VALUES (1, 'anna@example.org', 'Anna', 'x', false, true, 0, :at)", {}),
        ("INSERT INTO squad (id, owner_id, name, mode, created_at) VALUES (1, 1, 'Online', 'ONLINE_INDIVIDUAL', :at)",
         {}),
        ("INSERT INTO track (id, squad_id, key, pseudonym, locale, token_hash, open_modules, version, created_at, "
         "joined_at, last_activity_at) VALUES (7, 1, :key, 'Groene Egel', 'en', :token, '[0, 1, 2, 3, 4]', 3, :at, "
         ":at, :at)", {"key": KEY, "token": hashlib.sha256(HER_TOKEN.encode()).hexdigest()}),
        *[("INSERT INTO track_answer (track_id, item_id, value, skipped, client_id, created_at) VALUES "
           "(7, :item, :value, :skipped, :client, :at)", answer) for answer in her_answers()],
        ("INSERT INTO support_message (id, track_id, sender, author_id, body, client_id, created_at) VALUES "
         "(1, 7, 'coach', 1, 'Hoi, goed bezig!', 'coach-0001', :at), "
         "(2, 7, 'girl', NULL, 'Dank je', 'girl-00001', :at)", {}),
        ("INSERT INTO track_signal (id, track_id, kind, created_at, acknowledged_at) VALUES "
         "(1, 7, 'talk', :at, NULL), (2, 7, 'break', :at, :at)", {}),
    ]
    with db.engine.begin() as connection:
        for sql, params in rows:
            connection.execute(sa.text(sql), {"at": WHEN, **params})
    db.session.remove()


def upgrade_to_head(app) -> None:
    upgrade(directory=app.extensions["migrate"].directory)
    db.session.remove()


def check_everything_in_place(app) -> None:
    from app.models import Answer, Participant, Run, Signal
    from app.models_tracks import SupportMessage, Track
    from app.services import track_access, tracks

    tables = set(sa.inspect(db.engine).get_table_names())
    assert "track_answer" not in tables and "track_signal" not in tables
    track = db.session.get(Track, 7)
    assert (track.key, track.pseudonym, track.open_modules) == (KEY, "Groene Egel", [0, 1, 2, 3, 4])
    assert track_access.by_token(HER_TOKEN) is track  # her phone's token still opens her track

    done, before = tracks.answered(track), her_answers()
    assert list(done) == [row["item"] for row in before]
    assert [(a.value, a.skipped, a.client_id) for a in done.values()] == [
        ({"value": 4}, False, "client-0001"), *[({"skip": True}, True, row["client"]) for row in before[1:-1]],
        ({"value": 2}, False, before[-1]["client"])]
    assert {run.module_number for run in track.runs} == {0, 1}
    for run in track.runs:
        assert run.self_paced and run.track_id == 7 and run.join_code is None and not run.door_open
        assert [p.pseudonym for p in run.participants] == ["Groene Egel"]
        assert all(p.track_id == 7 for p in run.participants)
        assert all(run.reveals[a.item_id] == {"results": True, "info": True}
                   for a in done.values() if a.run_id == run.id)
    assert db.session.query(Answer).count() == len(before) and db.session.query(Participant).count() == 2

    signals = db.session.query(Signal).order_by(Signal.created_at, Signal.id).all()
    assert [(s.kind, s.acknowledged_at is None) for s in signals] == [("talk", True), ("break", False)]
    assert {db.session.get(Run, s.run_id).module_number for s in signals} == {1}  # the module she was last working in
    assert [(m.sender, m.body) for m in db.session.query(SupportMessage).order_by(SupportMessage.id)] == [
        ("coach", "Hoi, goed bezig!"), ("girl", "Dank je")]
    assert db.session.query(Run).filter(Run.track_id.is_(None)).count() == 0
    assert tracks.progress(track)["answered"] == len(before)
