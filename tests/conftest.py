"""Shared fixtures: an app on an in-memory database, clients, a logged-in counsellor, a run."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db as _db
from app.extensions import limiter, socketio
from app.services import accounts, runs, squads
from app.models import SquadMode
from config import TestConfig

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
        yield application
        _db.session.remove()
        _db.drop_all()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


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
