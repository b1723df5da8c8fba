"""Issue 11: the one-time setup link makes exactly one administrator, also for two requests at the same moment.

On the real PostgreSQL when GPS_TEST_DATABASE_URL is set (in a schema of its own), on a SQLite file otherwise;
each request through the real page, from its own thread, as two tabs or two server processes would.
"""
from __future__ import annotations

import os
import threading

import pytest

from app import create_app
from app.extensions import db
from app.models import Facilitator
from app.services import accounts
from config import TestConfig

from .conftest import csrf_from

ROUNDS = 10


@pytest.fixture()
def database_url(tmp_path):
    if not os.environ.get("GPS_TEST_DATABASE_URL", "").strip():
        yield f"sqlite:///{tmp_path / 'setup-race.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    from .integration.conftest import in_schema, postgres_url, unique

    base, schema = postgres_url(), unique("gps_setup")
    conninfo = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield in_schema(base, schema)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture()
def shared_app(database_url, tmp_path):
    class Config(TestConfig):
        DATABASE_URL = database_url
        RATELIMIT_ENABLED = False

    application = create_app(Config)
    application.instance_path = str(tmp_path)
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def one_round(app) -> list[int]:
    with app.app_context():
        token = accounts.issue_setup_token(app.instance_path)
    tabs = [app.test_client() for _ in range(2)]
    forms = [csrf_from(tab.get(f"/setup/{token}").get_data(as_text=True)) for tab in tabs]
    start, statuses = threading.Barrier(2), [None, None]

    def submit(number: int) -> None:
        start.wait()
        statuses[number] = tabs[number].post(f"/setup/{token}", data={
            "name": f"Admin {number}", "email": f"admin{number}@example.org", "password": "correct horse battery",
            "confirm": "correct horse battery", "csrf_token": forms[number]}).status_code

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


def test_two_simultaneous_setup_requests_make_one_administrator(shared_app):
    for _ in range(ROUNDS):
        statuses = one_round(shared_app)
        with shared_app.app_context():
            admins = db.session.query(Facilitator).count()
            assert admins == 1 and sorted(statuses) == [302, 410], (admins, statuses)
            db.session.query(Facilitator).delete()
            db.session.commit()
    assert not [name for name in os.listdir(shared_app.instance_path) if name.startswith(accounts.SETUP_FILE)]
