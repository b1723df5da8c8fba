"""Issue 11: privacy in logs, in the browser and at rest (the HTTP and data half)."""
from __future__ import annotations

import logging
import stat

import pytest
from flask import Flask
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.services import runs
from config import TestConfig

from .conftest import EnglishClient, csrf_from, join, login, make_facilitator

SECRET = "Geheim bericht van Rode Vos"


# --- handler errors ------------------------------------------------------------------------------

def test_an_unexpected_error_logs_neither_what_was_sent_nor_who_sent_it(app, caplog):
    @app.get("/test-only/fails/<token>")
    def fails(token):
        db.session.execute(text("SELECT :answer + no_such_column"), {"answer": SECRET})

    @app.get("/test-only/raises")
    def raises():
        raise ValueError(f"could not store {SECRET!r}")

    girl = app.test_client()
    girl.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    with caplog.at_level(logging.DEBUG):
        first = girl.get("/test-only/fails/run-link-token-123", query_string={"text": SECRET})
        second = girl.get("/test-only/raises", query_string={"text": SECRET})
    assert first.status_code == second.status_code == 500
    assert "Unexpected error OperationalError" in caplog.text and "Unexpected error ValueError" in caplog.text
    for private in ("Geheim", "198.51.100.23", "run-link-token-123"):
        assert private not in caplog.text


# --- nothing of girls' data in the browser's cache -----------------------------------------------

def test_staff_pages_reports_and_the_csv_are_never_cached(app, client, squad):
    run = runs.create_run(squad, 0)
    join(app.test_client(), run, "Rode Vos")
    for path in ("/staff/squads", f"/staff/squads/{squad.id}", f"/staff/runs/{run.id}",
                 f"/staff/runs/{run.id}/report?names=1", f"/staff/runs/{run.id}/report.csv?names=1", "/colleagues"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path
    assert "no-store" not in (client.get("/static/css/base.css").headers.get("Cache-Control") or "")


def test_her_inbox_with_her_token_is_never_cached(app, run):
    girl = app.test_client()
    join(girl, run, "Rode Vos")
    assert girl.get(f"/p/{run.join_token}").headers["Cache-Control"] == "no-store"


# --- her signed cookie ---------------------------------------------------------------------------

def cookie_of(app, browser) -> dict:
    cookie = browser.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def test_her_cookie_keeps_no_token_when_the_join_page_starts_the_inbox_in_place(app, run):
    girl = app.test_client()
    page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
    answer = girl.post(f"/j/{run.join_token}", headers={"X-GPS-Replace": "1"}, data={
        "pseudonym": "Rode Vos", "language": "en", "csrf_token": csrf_from(page)})
    assert answer.status_code == 204 and len(answer.headers["X-GPS-Token"]) >= 32
    kept = cookie_of(app, girl)
    assert "new_token" not in kept and answer.headers["X-GPS-Token"] not in str(kept)
    assert run.join_token not in str(kept)


def test_her_cookie_keeps_no_run_token_after_a_plain_join(app, run):
    girl = app.test_client()
    token = join(girl, run, "Rode Vos")  # the inbox page took her token from the session
    kept = cookie_of(app, girl)
    assert token not in str(kept) and run.join_token not in str(kept) and "new_token" not in kept
    assert all(isinstance(n, int) for n in kept["joined"])


def test_a_removed_girl_still_cannot_come_back_under_a_new_pseudonym(app, client, run):
    from app.models import Participant
    from app.services import participants

    girl = app.test_client()
    join(girl, run, "Rode Vos", language="en")
    participants.remove(Participant.query.filter_by(pseudonym="Rode Vos").one())
    page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
    again = girl.post(f"/j/{run.join_token}", data={"pseudonym": "Blauwe Uil", "language": "en",
                                                    "csrf_token": csrf_from(page)})
    assert again.status_code == 200 and "took you out of this session" in again.get_data(as_text=True)


# --- the database at rest ------------------------------------------------------------------------

def test_the_instance_folder_and_the_database_are_private(tmp_path):
    from sqlalchemy import create_engine

    from app.instance import prepare_instance
    from config import Config

    site = Flask("gps-test", instance_path=str(tmp_path / "instance"))
    site.config.from_object(Config)
    site.config.update(DATABASE_URL="", SECRET_KEY=None, PUBLIC_URL="http://gps.test")
    prepare_instance(site)
    engine = create_engine(site.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE girls (pseudonym TEXT)"))
        connection.execute(text("INSERT INTO girls VALUES ('Rode Vos')"))
        folder = tmp_path / "instance"
        files = [folder / "gps-live.db", folder / "gps-live.db-wal", folder / "gps-live.db-shm", folder / "secret_key"]
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    engine.dispose()


@pytest.fixture()
def file_app(tmp_path):
    class Config(TestConfig):
        DATABASE_URL = f"sqlite:///{tmp_path / 'gps-live.db'}"

    application = create_app(Config)
    application.test_client_class = EnglishClient
    application.instance_path = str(tmp_path)
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_delete_now_leaves_nothing_of_her_in_the_database_files(file_app, tmp_path):
    from app.models import SquadMode
    from app.services import squads

    from .test_run_flow import answer, command, staff_socket
    from .conftest import phone

    staff = make_facilitator(admin=True)
    client = file_app.test_client()
    login(client)
    run = runs.create_run(squads.create_squad(staff, "De Linde", SquadMode.GROUP), 0)
    sock, _ = staff_socket(file_app, client, run)
    girl = phone(file_app, join(file_app.test_client(), run, "Zeldzame Uil"))
    command(sock, run, "start")
    assert answer(girl, "m0-mood", {"value": 3})["ok"]
    command(sock, run, "end")
    assert b"Zeldzame Uil" in b"".join(p.read_bytes() for p in tmp_path.glob("gps-live.db*"))
    page = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    assert client.post(f"/staff/runs/{run.id}/delete", data={"csrf_token": csrf_from(page)}).status_code == 302
    for path in tmp_path.glob("gps-live.db*"):
        assert b"Zeldzame Uil" not in path.read_bytes(), path.name


def test_a_relative_database_path_is_made_private_in_the_instance_folder(tmp_path, monkeypatch):
    from app.instance import prepare_instance
    from config import Config

    monkeypatch.chdir(tmp_path)
    site = Flask("gps-test", instance_path=str(tmp_path / "instance"))
    site.config.from_object(Config)
    site.config.update(DATABASE_URL="sqlite:///own.db", SECRET_KEY="x", PUBLIC_URL="http://gps.test")
    prepare_instance(site)
    assert not (tmp_path / "own.db").exists()  # no stray file where the server was started
    assert stat.S_IMODE((tmp_path / "instance" / "own.db").stat().st_mode) == 0o600
