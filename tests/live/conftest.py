"""The real server in a subprocess (`python run.py`), as a counsellor starts it, on its own SQLite file.

The browser tests reuse `LiveServer` and the HTTP helpers below.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STAFF_EMAIL, STAFF_PASSWORD = "live@gps.test", "live-test-password"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """`python run.py --port N` on a fresh database; can be SIGKILLed and restarted on the same database and port."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = folder / "live.db"
        self.log_path = folder / "server.log"
        self.process: subprocess.Popen | None = None
        # A fixed secret key: staff sessions must survive the restart, and the shared instance folder stays untouched.
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.database}", "PUBLIC_URL": self.url,
                    "SECRET_KEY": "live-test-secret", "PYTHONUNBUFFERED": "1"}
        for name in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "GPS_ENV", "SESSIONS_DIR", "PORT", "HOST"):
            self.env.pop(name, None)

    def prepare_database(self) -> None:
        """Schema and a staff account before the first start (so no first-start setup link is issued)."""
        script = ("import sys\nfrom flask_migrate import upgrade\nfrom app import create_app\n"
                  "from app.services import accounts\napp = create_app()\nwith app.app_context():\n"
                  "    upgrade(directory=app.extensions['migrate'].directory)\n"
                  "    accounts.create_facilitator(email=sys.argv[1], name='Live', password=sys.argv[2], is_admin=True)\n")
        subprocess.run([sys.executable, "-c", script, STAFF_EMAIL, STAFF_PASSWORD], cwd=ROOT, env=self.env,
                       check=True, timeout=60, capture_output=True)

    def start(self) -> None:
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [sys.executable, "run.py", "--port", str(self.port), "--host", "127.0.0.1"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no flush; only what was committed survives."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


@pytest.fixture()
def live_server(tmp_path):
    server = LiveServer(tmp_path)
    server.prepare_database()
    server.start()
    yield server
    server.stop()
    print(f"--- server log (tail) ---\n{server.log()}")  # shown by pytest when the test failed


# --- HTTP helpers: the real forms, as a browser would post them -----------------------------------

def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_form(http: requests.Session, url: str, data: dict) -> requests.Response:
    """GET the page for its CSRF token, then POST the form; redirects are not followed."""
    page = http.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return http.post(url, data={**data, "csrf_token": csrf_of(page.text)}, allow_redirects=False, timeout=10)


def staff_session(server: LiveServer) -> requests.Session:
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    response = post_form(http, server.url + "/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    assert response.status_code == 302, response.text[:300]
    return http


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


def join_run(join_link: str, pseudonym: str, language: str) -> str:
    """A girl joins through the real join page; returns the token her phone keeps."""
    http = requests.Session()
    response = post_form(http, join_link, {"pseudonym": pseudonym, "language": language})
    assert response.status_code == 302, response.text[:300]
    inbox = http.get(join_link.replace("/j/", "/p/"), timeout=10).text
    return re.search(r'data-token="([^"]+)"', inbox).group(1)
