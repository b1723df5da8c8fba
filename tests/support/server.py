"""A real `python run.py` process: started, waited for, stopped or killed. The live, browser and integration
tiers all use this one class (their fixtures add the database and settings each tier needs)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def free_port() -> int:
    """A loopback port nobody listens on now (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`python run.py --host 127.0.0.1 --port N [extra]`, its output appended to `log_path`.

    `ready_path` is the page that answers 200 once the server serves (/login, or /healthz behind a cluster).
    """

    def __init__(self, env: dict[str, str], log_path: Path, *, extra_args: tuple[str, ...] = (),
                 ready_path: str = "/login", port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log_path = log_path
        self.extra_args = extra_args
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    def start(self):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(self.port), *self.extra_args],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> requests.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log()}")
            try:
                answer = requests.get(self.url + self.ready_path, timeout=3)
                if answer.status_code == 200:
                    return answer
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """Killed outright (SIGKILL on POSIX): no clean shutdown, no flush; only what was committed survives."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""
