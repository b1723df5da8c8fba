"""PostgreSQL as the database: cooperative with gevent, migrations equal to the models, a clear line when down."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import inspect

from .conftest import ROOT, closed_port, postgres_url, server_env

# Two slow queries from two greenlets of a gevent-patched process, through the app's own engine (as run.py does).
OVERLAP_SCRIPT = """
from gevent import monkey
monkey.patch_all()
import json, time
import gevent
from sqlalchemy import text
from app import create_app
from app.extensions import db
from config import Config

app = create_app(Config)

def slow_query():
    with app.app_context():
        db.session.execute(text("SELECT pg_sleep(0.5)"))
        db.session.remove()

with app.app_context():  # open two pooled connections first: only the queries are timed
    connections = [db.engine.connect() for _ in range(2)]
    for connection in connections:
        connection.close()
started = time.monotonic()
gevent.joinall([gevent.spawn(slow_query) for _ in range(2)], raise_error=True)
print(json.dumps({"seconds": time.monotonic() - started}))
"""


def two_slow_queries(database_url: str, **extra_env: str) -> float:
    env = server_env(database_url, **extra_env)
    done = subprocess.run([sys.executable, "-c", OVERLAP_SCRIPT], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


def test_database_calls_yield_to_other_greenlets():
    """psycopg 3 sees gevent's patched select and waits cooperatively: the two 0.5 s queries overlap."""
    seconds = two_slow_queries(postgres_url())
    assert 0.45 <= seconds < 0.8, f"two 0.5 s queries took {seconds:.2f} s: the database calls block the server"


def test_the_overlap_check_detects_a_blocking_driver():
    """Control: psycopg's C wait function ignores gevent; then the same queries run one after the other."""
    seconds = two_slow_queries(postgres_url(), PSYCOPG_WAIT_FUNC="wait_c")
    assert seconds >= 0.95, f"{seconds:.2f} s: the check above could not tell a blocking driver apart"


def migrated_app(database_url: str):
    from app import create_app
    from config import TestConfig

    class Database(TestConfig):
        DATABASE_URL = database_url

    return create_app(Database)


def schema_differences(app) -> list:
    """What `flask db migrate` (alembic autogenerate) would write: nothing, if models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.extensions import db

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def application_tables(app) -> set[str]:
    from app.extensions import db

    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return request.getfixturevalue("pg_schema_url")


def test_migrations_build_exactly_the_models_and_go_back(database_url):
    from flask_migrate import downgrade, upgrade

    from app.extensions import db

    app = migrated_app(database_url)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        assert schema_differences(app) == []
        assert application_tables(app) == set(db.metadata.tables)
        downgrade(directory=directory, revision="base")
        assert application_tables(app) == set()
        upgrade(directory=directory)  # again from scratch: no leftovers (e.g. enum types) in the way
        assert schema_differences(app) == []
        downgrade(directory=directory, revision="base")
        db.engine.dispose()


def test_postgres_unreachable_at_start_is_one_clear_line():
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    env = server_env(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test")
    done = subprocess.run([sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(closed_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert lines[0].startswith("GPS Live cannot start: the database at DATABASE_URL cannot be reached")
