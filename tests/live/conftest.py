"""The real server in a subprocess (`python run.py`), as a counsellor starts it, on its own SQLite file.

The browser tests reuse `LiveServer` and the HTTP helpers below.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from ..support.forms import csrf_from as csrf_of  # noqa: F401 - the name the live tests import
from ..support.forms import join_over_http as join_run  # noqa: F401
from ..support.forms import log_in, post_form  # noqa: F401
from ..support.server import ROOT, ServerProcess

STAFF_EMAIL, STAFF_PASSWORD = "live@gps.test", "live-test-password"
# Created with a cheap hash: every browser test logs in, and scrypt's work would only slow the suite.
CHEAP_HASH = "pbkdf2:sha256:1"


class LiveServer(ServerProcess):
    """`python run.py --port N` on a fresh database; can be killed and restarted on the same database and port."""

    def __init__(self, folder: Path):
        self.database = folder / "live.db"
        # A fixed secret key: staff sessions must survive the restart, and the shared instance folder stays untouched.
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}", "SECRET_KEY": "live-test-secret",
               "PYTHONUNBUFFERED": "1"}
        for name in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "GPS_ENV", "SESSIONS_DIR", "PORT", "HOST"):
            env.pop(name, None)
        super().__init__(env, folder / "server.log")
        self.env["PUBLIC_URL"] = self.url

    def prepare_database(self) -> None:
        """Schema and a staff account before the first start (so no first-start setup link is issued)."""
        script = ("import sys\nfrom werkzeug.security import generate_password_hash\nfrom app import create_app\n"
                  "from app.extensions import db\nfrom app.services import accounts\nfrom app.startup import upgrade_database\n"
                  "app = create_app()\nupgrade_database(app)\nwith app.app_context():\n"
                  "    staff = accounts.create_facilitator(email=sys.argv[1], name='Live', password=sys.argv[2], is_admin=True)\n"
                  "    staff.password_hash = generate_password_hash(sys.argv[2], method=sys.argv[3])\n"
                  "    db.session.commit()\n")
        subprocess.run([sys.executable, "-c", script, STAFF_EMAIL, STAFF_PASSWORD, CHEAP_HASH], cwd=ROOT,
                       env=self.env, check=True, timeout=60, capture_output=True)

    def restart(self) -> None:
        self.kill()
        self.start()


@pytest.fixture()
def live_server(tmp_path):
    server = LiveServer(tmp_path)
    server.prepare_database()
    server.start()
    yield server
    server.stop()
    print(f"--- server log (tail) ---\n{server.log()}")  # shown by pytest when the test failed


# --- HTTP helpers: the real forms, as a browser would post them (tests/support/forms.py) ---------------

def staff_session(server: LiveServer) -> requests.Session:
    return log_in(server.url, STAFF_EMAIL, STAFF_PASSWORD)


def open_lobby(server: LiveServer, http: requests.Session, squad_name: str, module: int = 0) -> int:
    """Create a squad and open the lobby of a module through the staff pages; returns the run id."""
    made = post_form(http, server.url + "/staff/squads", {"name": squad_name, "mode": "group"})
    assert made.status_code == 302, made.text[:300]
    squad_id = int(made.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    opened = post_form(http, f"{server.url}/staff/squads/{squad_id}/modules/{module}/start", {})
    assert opened.status_code == 302, opened.text[:300]
    return int(re.search(r"/staff/runs/(\d+)", opened.headers["Location"]).group(1))


def join_link_of(server: LiveServer, http: requests.Session, run_id: int) -> str:
    page = http.get(f"{server.url}/staff/runs/{run_id}", timeout=10).text
    return re.search(re.escape(server.url) + r"/j/[A-Za-z0-9_-]+", page).group(0)
