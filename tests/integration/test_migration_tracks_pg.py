"""Issue 13's migration on PostgreSQL: the same database on the previous schema, upgraded, everything in place."""
from __future__ import annotations

import pytest

from .. import migration_tracks as m


@pytest.fixture()
def previous_pg_app(pg_schema_url):
    with m.app_before_issue_13(pg_schema_url) as application:
        yield application


def test_tracks_survive_the_upgrade_on_postgresql(previous_pg_app):
    m.upgrade_to_head(previous_pg_app)
    m.check_everything_in_place(previous_pg_app)
