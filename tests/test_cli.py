"""Issue 17: the `gps-live` console command, through the real console script in a subprocess (on a project
folder of its own, see tests/support/project.py) and through Click's runner for the demo's data."""
from __future__ import annotations

import re
import signal
import socket
import time

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db, socketio
from app.models import Answer, Facilitator, Participant, Run, Squad, SquadMode
from app.services import demo as demo_service
from app.services import squads
from gps_live import serves

from .conftest import join, login, make_facilitator, phone
from .support.project import ROOT, Project
from .support.server import free_port

START_TIMEOUT = 30


@pytest.fixture()
def project(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return Project(folder)


def wait_for_output(process, log, text: str, timeout: float = START_TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        printed = log.read_text()
        if text in printed:
            return printed
        assert process.poll() is None, f"exited with {process.returncode}:\n{printed}"
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} within {timeout}s:\n{log.read_text()}")


def one_line_error(done) -> str:
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


# --- what the console shows ---------------------------------------------------------------------

@pytest.mark.live
def test_first_start_is_quiet_shows_the_addresses_and_stops_on_ctrl_c(project, tmp_path):
    port, log = free_port(), tmp_path / "console.txt"
    server = project.start("--host", "127.0.0.1", "--port", str(port), log=log,
                           PUBLIC_URL=f"http://127.0.0.1:{port}")
    try:
        printed = wait_for_output(server, log, "Press Ctrl-C to stop.")
        setup = re.search(r"http://127\.0\.0\.1:\d+/setup/\S+", printed).group(0)
        assert requests.get(setup, timeout=10).status_code == 200  # the first-start link works
        server.send_signal(signal.SIGINT)  # Ctrl-C
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
    lines = log.read_text().splitlines()
    assert lines == [
        "GPS Live is running.",
        f"  On this laptop:  http://127.0.0.1:{port}/",
        f"  Phones use:      http://127.0.0.1:{port}/   (on the same Wi-Fi as this laptop)",
        "  Note: it listens on 127.0.0.1 only, so phones cannot reach it; start without --host for them.",
        f"  First start: create the first staff account here (works once): {setup}",
        "Press Ctrl-C to stop.",
        "GPS Live stopped.",
    ]  # no migration lines, no warnings
    assert (project.instance / "gps-live.db").exists()  # the database was created and upgraded in passing


@pytest.mark.live
def test_verbose_shows_the_migrations(project):
    done = project.console("--verbose", "demo")
    assert done.returncode == 0, done.stderr
    assert "Running upgrade" in done.stderr and "[alembic" in done.stderr


@pytest.mark.live
def test_a_port_in_use_is_one_line(project):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        line = one_line_error(project.console("--host", "127.0.0.1", "--port", str(port)))
    assert line == (f"GPS Live cannot start: port {port} is already in use (is GPS Live already running?); "
                    f"stop the other program or start with --port {port + 1}.")


@pytest.mark.live
def test_an_unwritable_instance_folder_is_one_line(project):
    project.instance.write_text("a file where the folder should be")  # unwritable even for root
    line = one_line_error(project.console("--host", "127.0.0.1", "--port", str(free_port())))
    assert line.startswith("GPS Live cannot start: The instance folder") and "not writable" in line


@pytest.mark.live
def test_unknown_command_is_one_line(project):
    done = project.console("strat")
    assert one_line_error(done) == "gps-live: No such command 'strat'. `gps-live --help` lists the commands and options."
    assert done.returncode == 2


@pytest.mark.live
def test_help_and_version(project):
    done = project.console("--help")
    assert done.returncode == 0
    for command in ("create-facilitator", "demo", "purge", "content"):
        assert command in done.stdout
    version = project.console("--version")
    assert version.returncode == 0 and re.fullmatch(r"gps-live \d+\.\d+\.\d+\n", version.stdout)
    assert not (project.instance / "gps-live.db").exists()  # asking for help touches nothing


@pytest.mark.live
def test_content_check_runs_from_the_console(project):
    """The command is wired in; what it reports is the content check's own business (tests/unit)."""
    done = project.console("content", "check", "--dir", str(ROOT / "tests" / "data" / "broken"))
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.strip(), done.stderr


def test_only_the_server_is_monkey_patched():
    assert serves([]) and serves(["--port", "5001", "--host", "0.0.0.0"]) and serves(["--verbose"])
    assert not serves(["demo"]) and not serves(["--port", "5001", "purge"]) and not serves(["--help"])
    assert not serves(["--version"]) and not serves(["strat"])


# --- the demo -----------------------------------------------------------------------------------

@pytest.mark.live
def test_demo_before_the_first_start_prints_working_links(project, tmp_path):
    port = free_port()
    done = project.console("--port", str(port), "demo", PUBLIC_URL=f"http://127.0.0.1:{port}")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # quiet: no migration lines
    password = re.search(r"password: (\S+)", done.stdout).group(1)
    login_url = re.search(r"Staff login: (\S+)", done.stdout).group(1)
    join_link = re.search(r"Join link:\s+(\S+)", done.stdout).group(1)
    assert login_url == f"http://127.0.0.1:{port}/login" and join_link.startswith(f"http://127.0.0.1:{port}/j/")
    assert len(password) >= 10 and "demo" not in password

    log = tmp_path / "console.txt"
    server = project.start("--host", "127.0.0.1", "--port", str(port), log=log, PUBLIC_URL=f"http://127.0.0.1:{port}")
    try:
        printed = wait_for_output(server, log, "Press Ctrl-C to stop.")
        setup = re.search(r"http://127\.0\.0\.1:\d+/setup/\S+", printed).group(0)
        assert requests.get(setup, timeout=10).status_code == 200  # the demo is no staff account: link still offered
        from .support.forms import join_over_http, log_in

        staff = log_in(f"http://127.0.0.1:{port}", "demo@gps-live.invalid", password)
        dashboard = re.search(r"Dashboard:\s+(\S+)", done.stdout).group(1)
        assert staff.get(dashboard, timeout=10).status_code == 200
        assert join_over_http(join_link, "Blauwe Vos", "nl")  # a girl's phone joins the demo run
    finally:
        server.kill()
        server.wait(timeout=10)

    removed = project.console("demo", "--remove")
    assert removed.returncode == 0, removed.stderr
    assert "1 account, 1 squad, 1 run, 1 participant" in removed.stdout
    assert one_line_error(project.console("demo", "--remove")) == "gps-live: There is no demo to remove."


def test_demo_remove_deletes_everything_made_with_the_demo_account(app, client, runner):
    real = make_facilitator().id
    kept_squad = squads.create_squad(db.session.get(Facilitator, real), "Leefgroep De Linde", SquadMode.GROUP).id
    made = runner.invoke(args=["gps", "demo"])
    assert made.exit_code == 0, made.output
    password = re.search(r"password: (\S+)", made.output).group(1)
    demo = demo_service.demo_account()
    assert demo.email.endswith(".invalid") and demo.check_password(password)
    assert password not in demo.password_hash  # only the hash is kept
    run = db.session.scalar(select(Run).join(Squad).where(Squad.owner_id == demo.id))

    # A trainee tries it: logs in with the printed password, starts the run, a girl joins and answers.
    assert login(client, email=demo_service.DEMO_EMAIL, password=password).status_code == 302
    staff = socketio.test_client(app, flask_test_client=client)
    assert staff.emit("facilitator:join", {"run": run.id}, callback=True)["ok"]
    assert staff.emit("facilitator:command", {"run": run.id, "action": "start"}, callback=True)["ok"]
    girl = phone(app, join(app.test_client(), run))
    assert girl.emit("participant:answer", {"item": "m0-mood", "payload": {"value": 4}, "client_id": "client-0001"},
                     callback=True)["ok"]
    for sock in (girl, staff):
        sock.disconnect()
    assert db.session.scalar(select(func.count(Answer.id))) == 1

    removed = runner.invoke(args=["gps", "demo", "--remove"])
    assert removed.exit_code == 0, removed.output
    assert "1 account, 1 squad, 1 run, 1 participant" in removed.output and "1 answer" in removed.output
    db.session.expire_all()
    assert demo_service.demo_account() is None
    for model in (Run, Participant, Answer):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert db.session.scalars(select(Squad.id)).all() == [kept_squad]  # a colleague's data stays
    assert db.session.scalars(select(Facilitator.id)).all() == [real]
    again = runner.invoke(args=["gps", "demo", "--remove"])
    assert again.exit_code == 1 and "There is no demo to remove." in again.output


def test_each_demo_prints_a_new_password_and_the_old_one_stops_working(app, client, runner):
    first = re.search(r"password: (\S+)", runner.invoke(args=["gps", "demo"]).output).group(1)
    second = re.search(r"password: (\S+)", runner.invoke(args=["gps", "demo"]).output).group(1)
    assert first != second
    assert login(client, email=demo_service.DEMO_EMAIL, password=first).status_code == 200  # refused
    response = login(client, email=demo_service.DEMO_EMAIL, password=second)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/squads")
    assert db.session.scalar(select(func.count(Run.id))) == 1  # the same demo run, not a second one
