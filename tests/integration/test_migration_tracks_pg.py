"""Issue 13's migration on PostgreSQL: the same database on the previous schema, upgraded, everything in place."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from config import TestConfig

from .. import migration_tracks as m


@pytest.fixture()
def previous_pg_app(pg_schema_url):
    class PgConfig(TestConfig):
        DATABASE_URL = pg_schema_url

    application = create_app(PgConfig)
    with application.app_context():
        m.build_previous_schema(application)
        yield application
        db.session.remove()
        db.engine.dispose()


def test_tracks_survive_the_upgrade_on_postgresql(previous_pg_app):
    m.upgrade_to_head(previous_pg_app)
    m.check_everything_in_place(previous_pg_app)
