"""Issue 11: /healthz probes a write, so a read-only database or a full disk is not reported as "ok"."""
from __future__ import annotations

from collections import namedtuple

import pytest

from app import create_app, health
from app.startup import StartupError, _check_database
from app.extensions import db
from config import TestConfig

from .test_setup_race import database_url  # noqa: F401 - the fixture: PostgreSQL if configured, else SQLite


def app_on(url, tmp_path):
    class Config(TestConfig):
        DATABASE_URL = url

    application = create_app(Config)
    application.instance_path = str(tmp_path)
    return application


def healthz(application):
    answer = application.test_client().get("/healthz")
    return answer.status_code, answer.get_json()


def test_a_writable_database_is_ok_and_the_probe_leaves_nothing(database_url, tmp_path):  # noqa: F811
    writable = app_on(database_url, tmp_path)
    with writable.app_context():
        db.create_all()
        assert healthz(writable) == (200, {"ok": True, "database": "ok", "queue": "none"})
        assert health.PROBE_TABLE not in db.inspect(db.engine).get_table_names()
        db.drop_all()
        db.engine.dispose()


def read_only_url(database_url):  # noqa: F811
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    options = url.query.get("options", "") + " -cdefault_transaction_read_only=on"
    return url.update_query_dict({"options": options.strip()}).render_as_string(hide_password=False)


def test_a_read_only_database_fails_the_health_check_and_the_start(database_url, tmp_path):  # noqa: F811
    writable = app_on(database_url, tmp_path)
    with writable.app_context():
        db.create_all()
    read_only = app_on(read_only_url(database_url), tmp_path)
    with read_only.app_context():
        assert healthz(read_only) == (503, {"ok": False, "database": "read_only", "queue": "none"})
        assert health.write_problem().startswith("the database is read-only")
        with pytest.raises(StartupError, match="^the database is read-only"):
            _check_database(read_only)
        db.engine.dispose()
    with writable.app_context():
        db.drop_all()
        db.engine.dispose()


def test_a_full_disk_under_sqlite_fails_the_health_check(tmp_path, monkeypatch):
    full = app_on(f"sqlite:///{tmp_path / 'gps-live.db'}", tmp_path)
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(health.shutil, "disk_usage", lambda _path: Usage(10**9, 10**9 - 4096, 4096))
    with full.app_context():
        db.create_all()
        assert healthz(full) == (503, {"ok": False, "database": "disk_full", "queue": "none"})
        assert "disk" in health.write_problem()
        db.engine.dispose()


def test_a_writer_holding_the_lock_is_no_failure_and_the_probe_does_not_wait(tmp_path):
    import sqlite3
    import time

    busy = app_on(f"sqlite:///{tmp_path / 'gps-live.db'}", tmp_path)
    with busy.app_context():
        db.create_all()
        writer = sqlite3.connect(tmp_path / "gps-live.db", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            assert healthz(busy) == (200, {"ok": True, "database": "ok", "queue": "none"})
            assert time.monotonic() - started < 2  # not the 15 s busy timeout, which would stall every greenlet
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        db.engine.dispose()
