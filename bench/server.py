"""Start and watch the server under test: GPS Live's real run.py, or the bare baseline.

Both listen on 127.0.0.1 only. Their CPU time and memory are read from /proc (Linux), so the
benchmark needs no extra package for it.
"""
from __future__ import annotations

import itertools
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
START_TIMEOUT = 60.0
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
_names = itertools.count(1)


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


def cluster_environment(workdir: Path, database_url: str, redis_space: "RedisSpace | None") -> dict:
    """The environment shared by every process of a scale-out setup (docs/deploy.md): one SECRET_KEY, one
    database, and with several processes one Redis queue and rate-limit store of the benchmark's own."""
    env = app_environment(workdir, 0)
    env["DATABASE_URL"] = database_url
    for name in ("PUBLIC_URL", "PORT"):  # per process, set by start_member
        env.pop(name)
    if redis_space:
        env.update(redis_space.env())
    return env


def unique(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_names)}"


@contextmanager
def postgres_schema(base_url: str):
    """A fresh schema in the PostgreSQL database of `base_url`, dropped afterwards; yields a DATABASE_URL whose
    connections live in it (search_path), as tests/integration does."""
    import psycopg
    from sqlalchemy.engine import make_url

    schema = unique("gps_bench")
    conninfo = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class RedisSpace:
    """The benchmark's own pub/sub channel and rate-limit key prefix on a possibly shared Redis."""

    def __init__(self, url: str):
        import redis

        self.url, self.name = url, unique("gps-bench")
        self.client = redis.Redis.from_url(url, socket_timeout=5)
        self.client.ping()  # unreachable: fail before any server starts

    def env(self) -> dict[str, str]:
        return {"SOCKETIO_MESSAGE_QUEUE": self.url, "SOCKETIO_CHANNEL": self.name, "RATELIMIT_KEY_PREFIX": self.name}

    def clear(self) -> None:
        """Delete only our keys (the rate limiter's counters); the channel holds none."""
        for key in self.client.scan_iter(match=f"*{self.name}*", count=500):
            self.client.delete(key)
        self.client.close()


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

    @property
    def urls(self) -> list[str]:
        return [self.url]

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

    def last_points(self) -> list[tuple[float, float, int]]:
        return [self.samples[-1]]

    def peaks(self) -> list[int]:
        return [self.peak_rss()]

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


@dataclass
class Group:
    """Several server processes measured as one: CPU and RSS summed, each process's own figures kept too."""

    name: str
    members: list[Server]

    @property
    def url(self) -> str:
        return self.members[0].url

    @property
    def urls(self) -> list[str]:
        return [member.url for member in self.members]

    @property
    def pids(self) -> list[int]:
        return [member.process.pid for member in self.members]

    def sample(self) -> tuple[float, float, int]:
        points = [member.sample() for member in self.members]
        return points[0][0], sum(p[1] for p in points), sum(p[2] for p in points)

    def last_points(self) -> list[tuple[float, float, int]]:
        return [member.samples[-1] for member in self.members]

    def peaks(self) -> list[int]:
        return [member.peak_rss() for member in self.members]

    def peak_rss(self) -> int:
        """The sum of each process's peak (an upper bound of the peak of the sum)."""
        return sum(self.peaks())

    def stop(self) -> None:
        for member in self.members:
            member.stop()


def start_members(env: dict, count: int, workdir: Path) -> Group:
    """`count` processes of `python run.py --no-migrate` on their own ports (the database is migrated already)."""
    members: list[Server] = []
    try:
        for number in range(1, count + 1):
            port = free_port()
            own = {**env, "PUBLIC_URL": f"http://127.0.0.1:{port}", "PORT": str(port)}
            command = [PYTHON, "run.py", "--host", "127.0.0.1", "--port", str(port), "--no-migrate"]
            members.append(start(f"gps-live-{number}", command, own, port, workdir, "/healthz"))
    except Exception:
        for member in members:
            member.stop()
        raise
    return Group("gps-live", members)


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


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, summed over its cores (/proc/stat): the database,
    Redis, the load generator and anyone else share the cores with the servers we measure."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    idle = fields[3] + fields[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


SERVICES = ("postgres", "redis-server")


def services_cpu() -> dict[int, float]:
    """CPU seconds so far of every PostgreSQL and Redis process on the machine (ours and anybody else's), by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _proc(int(entry.name), "comm").strip() in SERVICES:
            found[int(entry.name)] = cpu_seconds(int(entry.name))
    return found


def services_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the services used in between, counting the processes alive at the end (a backend that exited in
    between is left out: a lower bound)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _status_kb(pid: int, key: str) -> int:
    for line in _proc(pid, "status").splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


def rss_bytes(pid: int) -> int:
    return _status_kb(pid, "VmRSS")


def peak_rss_bytes(pid: int) -> int:
    return _status_kb(pid, "VmHWM")
