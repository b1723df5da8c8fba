"""Shared fixtures: an app on an in-memory database, clients, a logged-in counsellor, a run."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app import programme as app_programme
from app import create_app
from app.extensions import db as _db
from app.extensions import limiter, socketio
from app.realtime import gate
from app.services import accounts, runs, squads
from app.models import SquadMode
from config import TestConfig

from .support.forms import csrf_from  # noqa: F401 - the name the tests import from here

PASSWORD = "correct horse battery"


def _isolate_requests() -> None:
    """Give every request (HTTP or Socket.IO event) its own app context, as in production.

    The fixtures keep an app context open so tests can read the database; without this, Flask would
    reuse that context for requests, and `g` (where Flask-Login caches the user) would leak between
    a counsellor's and a girl's requests.
    """
    from flask.ctx import RequestContext
    from flask.globals import _cv_app

    push, pop = RequestContext.push, RequestContext.pop

    def isolated_push(self):
        self._outer_app_token = _cv_app.set(None)
        push(self)

    def isolated_pop(self, exc=None):
        pop(self, exc)
        _cv_app.reset(self._outer_app_token)

    RequestContext.push, RequestContext.pop = isolated_push, isolated_pop


_isolate_requests()


def _programme_read_once_per_directory() -> None:
    """Every app the tests build checks the six module files; they are read and validated once per test
    session, and again only for another SESSIONS_DIR or when a file there changed (a test's own copy)."""
    real = app_programme.load_programme

    @functools.lru_cache(maxsize=16)
    def cached(directory: str, _files: tuple) -> object:
        return real(directory)

    def load(directory, **options):
        if options:  # a caller asking for something special gets a fresh read
            return real(directory, **options)
        folder = Path(directory).resolve()
        files = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*")) if p.is_file())
        return cached(str(folder), files)

    app_programme.load_programme = load


_programme_read_once_per_directory()


class EnglishClient(FlaskClient):
    """Browsers in these tests ask for English, so assertions read naturally; Dutch stays the default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture()
def app(tmp_path):
    class Config(TestConfig):
        pass

    application = create_app(Config)
    application.test_client_class = EnglishClient
    application.instance_path = str(tmp_path)
    with application.app_context():
        _db.create_all()
        limiter.reset()
        gate.reset()
        yield application
        _db.session.remove()
        _db.drop_all()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


def make_facilitator(email="anna@example.org", name="Anna", admin=False):
    return accounts.create_facilitator(email=email, name=name, password=PASSWORD, is_admin=admin)


def login(client, email="anna@example.org", password=PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture()
def staff(app, client):
    person = make_facilitator(admin=True)
    assert login(client).status_code == 302
    return person


@pytest.fixture()
def squad(staff):
    return squads.create_squad(staff, "Leefgroep De Linde", SquadMode.GROUP)


@pytest.fixture()
def online_squad(staff):
    return squads.create_squad(staff, "Online begeleiding", SquadMode.ONLINE_INDIVIDUAL)


@pytest.fixture()
def run(squad):
    return runs.create_run(squad, 0)


def join(client, run, pseudonym="Blauwe Vos", language="nl"):
    """Join through the real page; returns the participant token the phone would keep."""
    page = client.get(f"/j/{run.join_token}")
    response = client.post(f"/j/{run.join_token}", data={
        "pseudonym": pseudonym, "language": language, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    inbox = client.get(f"/p/{run.join_token}").get_data(as_text=True)
    return re.search(r'data-token="([^"]+)"', inbox).group(1)


def phone(app, token):
    """A Socket.IO test client for a phone with its token."""
    return socketio.test_client(app, auth={"token": token})


def received(client, name):
    return [event["args"][0] for event in client.get_received() if event["name"] == name]


TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Markers by folder, so `-m "not browser"` (or live, integration) also means a new file that forgot its
    pytestmark.

    The suite runs with `-n 2 --dist loadfile` (README): each file's tests stay on one process, so an
    integration module starts its cluster once and each process starts at most one browser server.
    (`--dist loadgroup` with xdist_group marks would keep all browser tests on one process, but with
    pytest 9.2 it silently stops grouping: pytest-dev/pytest-xdist#1386.)
    """
    for item in items:
        folder = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        if folder in ("browser", "live", "integration"):
            item.add_marker(getattr(pytest.mark, folder))
