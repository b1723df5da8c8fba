"""Start and watch the server under test: GPS Live's real run.py, or the bare baseline.

Both listen on 127.0.0.1 only. Their CPU time and memory are read from /proc (Linux), so the
benchmark needs no extra package for it.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(workdir: Path, port: int) -> dict:
    """The environment of a production start on a fresh SQLite database in `workdir`."""
    env = dict(os.environ)
    for name in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "GPS_ENV"):
        env.pop(name, None)
    env.update(DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}", SECRET_KEY=secrets.token_hex(32),
               PUBLIC_URL=f"http://127.0.0.1:{port}", HOST="127.0.0.1", PORT=str(port),
               # The phones of many homes reach one central server through one nginx (docs/deploy):
               # each squad's home address arrives in X-Forwarded-For, so the join rate limit is per home.
               PROXY_COUNT="1", PYTHONUNBUFFERED="1")
    return env


def run_setup(env: dict, out: Path, squads: int) -> None:
    subprocess.run([PYTHON, "-m", "bench.setup_db", str(out), "--squads", str(squads)], cwd=ROOT, env=env,
                   check=True, timeout=300, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@dataclass
class Server:
    """One server process and what it cost."""

    name: str
    process: subprocess.Popen
    port: int
    log: Path
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # (wall, cpu seconds, rss bytes)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sample(self) -> tuple[float, float, int]:
        point = (time.monotonic(), cpu_seconds(self.process.pid), rss_bytes(self.process.pid))
        self.samples.append(point)
        return point

    def peak_rss(self) -> int:
        return max([rss for _w, _c, rss in self.samples] + [peak_rss_bytes(self.process.pid)])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(name: str, command: list[str], env: dict, port: int, workdir: Path, ready_path: str) -> Server:
    log = workdir / f"{name}.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(name, process, port, log)
    try:
        wait_until_up(server, ready_path)
    except Exception:
        server.stop()
        raise
    return server


def start_app(env: dict, port: int, workdir: Path, join_token: str) -> Server:
    return start("gps-live", [PYTHON, "run.py", "--port", str(port)], env, port, workdir, f"/j/{join_token}")


def start_baseline(port: int, workdir: Path, data: Path, join_token: str) -> Server:
    command = [PYTHON, "-m", "bench.baseline", "--port", str(port), "--data", str(data)]
    return start("baseline", command, dict(os.environ), port, workdir, f"/j/{join_token}")


def wait_until_up(server: Server, path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited at start:\n{server.log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{server.name} did not answer within {START_TIMEOUT:.0f} s")


def _proc(pid: int, name: str) -> str:
    try:
        return Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    stat = _proc(pid, "stat")
    if not stat:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, key: str) -> int:
    for line in _proc(pid, "status").splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def rss_bytes(pid: int) -> int:
    return _status_kb(pid, "VmRSS")


def peak_rss_bytes(pid: int) -> int:
    return _status_kb(pid, "VmHWM")
