"""Tests against the real engines on this machine: PostgreSQL, Redis, several `python run.py` processes, nginx.

Selected by environment variables that .ci/run sets; without them these tests skip and say why:
  GPS_TEST_DATABASE_URL  e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test
  GPS_TEST_REDIS_URL     e.g. redis://127.0.0.1:6379/0
Every test module works in a PostgreSQL schema and under Redis key prefixes and a pub/sub channel of its own,
and removes them afterwards: the database and the Redis server may be shared.
"""
from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ..support.forms import csrf_from, log_in  # noqa: F401 - csrf_from: the name the cluster tests import
from ..support.forms import join_over_http as _join
from ..support.server import ROOT, ServerProcess, free_port

STAFF_PASSWORD = "integration-password"
_names = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_names)}"


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    return free_port()


def postgres_url() -> str:
    url = os.environ.get("GPS_TEST_DATABASE_URL", "").strip()
    if not url:
        pytest.skip("GPS_TEST_DATABASE_URL is not set: PostgreSQL integration tests skipped "
                    "(.ci/run sets it to postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    return url


def redis_url() -> str:
    url = os.environ.get("GPS_TEST_REDIS_URL", "").strip()
    if not url:
        pytest.skip("GPS_TEST_REDIS_URL is not set: Redis integration tests skipped "
                    "(.ci/run sets it to redis://127.0.0.1:6379/0)")
    pytest.importorskip("redis", reason="redis-py is not installed: pip install -e '.[redis]'")
    return url


def in_schema(url: str, schema: str) -> str:
    """The same database, but every table lands in (and is looked up in) our own schema."""
    from sqlalchemy.engine import make_url

    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


@pytest.fixture(scope="module")
def pg_schema_url():
    """A fresh PostgreSQL schema for this test module, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = postgres_url()
    schema = unique("gps_it")
    conninfo = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield in_schema(base, schema)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class RedisSpace:
    """Our own pub/sub channel and key prefix on a shared Redis; `clear()` deletes only our keys."""

    def __init__(self, url: str):
        import redis

        self.url = url
        self.name = unique("gps-it")
        self.client = redis.Redis.from_url(url)

    def env(self) -> dict[str, str]:
        return {"SOCKETIO_MESSAGE_QUEUE": self.url, "SOCKETIO_CHANNEL": self.name,
                "RATELIMIT_KEY_PREFIX": self.name}

    def clear(self) -> None:
        for key in self.client.scan_iter(match=f"*{self.name}*", count=500):
            self.client.delete(key)


@pytest.fixture(scope="module")
def redis_space():
    space = RedisSpace(redis_url())
    yield space
    space.clear()
    space.client.close()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "integration-secret",
           "PYTHONUNBUFFERED": "1", **extra}
    for name in ("GPS_ENV", "SESSIONS_DIR", "PORT", "HOST", "RATELIMIT_STORAGE_URI", "PROXY_COUNT"):
        if name not in extra:
            env.pop(name, None)
    return env


def flask_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class Server(ServerProcess):
    """One `python run.py --port N --no-migrate` process of the cluster."""

    def __init__(self, env: dict[str, str], log_dir: Path, name: str):
        super().__init__(dict(env), log_dir / f"server-{name}.log", extra_args=("--no-migrate",),
                         ready_path="/healthz")
        self.env.setdefault("PUBLIC_URL", self.url)

    def wait_healthy(self, timeout: float | None = None) -> dict:
        return (self.wait_ready(timeout) if timeout else self.wait_ready()).json()


STAFF_ACCOUNT_AND_RUN = """
import sys
from app import create_app
from app.models import SquadMode
from app.services import accounts, runs, squads
app = create_app()
with app.app_context():
    staff = accounts.create_facilitator(email=sys.argv[1], name="Integration", password=sys.argv[2])
    run = runs.create_run(squads.create_squad(staff, "Integration squad", SquadMode.GROUP), 0)
    run = runs.change(run.id, runs.set_door(True))
    print(run.id, run.join_token)
"""


def demo_run(env: dict[str, str], email: str) -> dict:
    """A counsellor with a squad and an open run of module 0, made through the services: returns its ids."""
    done = subprocess.run([sys.executable, "-c", STAFF_ACCOUNT_AND_RUN, email, STAFF_PASSWORD], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    run_id, join_token = done.stdout.split()
    return {"email": email, "run": int(run_id), "join_token": join_token}


def staff_cookie(base_url: str, email: str, verify: bool = True) -> str:
    """Log in over HTTP as a browser does; the session cookie then authenticates the dashboard's socket."""
    return log_in(base_url, email, STAFF_PASSWORD, verify).cookies["session"]


def join_over_http(base_url: str, join_token: str, pseudonym: str, language: str = "nl",
                   verify: bool = True) -> str:
    """A girl joins through the real pages; returns the participant token her phone keeps."""
    return _join(f"{base_url}/j/{join_token}", pseudonym, language, verify)


class Client:
    """A real python-socketio client that records every event it receives, and can move to another server."""

    def __init__(self, name: str, *, auth: dict | None = None, cookie: str | None = None, verify: bool = True):
        self.name, self.auth, self.cookie, self.verify = name, auth, cookie, verify
        self.events: list[tuple[str, object]] = []
        self.changed = threading.Condition()
        self.sio = None

    def connect(self, url: str) -> "Client":
        import socketio

        self.sio = socketio.Client(reconnection=False, ssl_verify=self.verify)
        self.sio.on("*", self._record)
        self.sio.on("disconnect", lambda *args: self._record("__disconnect__", None))
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        # A phone retries a failed first connection too; on a loaded CI machine the proxy's first upstream
        # handshake can fail once (seen once behind nginx), which is not what these tests are about.
        for attempt in range(3):
            try:
                self.sio.connect(url, auth=self.auth, headers=headers, transports=["websocket"], wait_timeout=10)
                return self
            except socketio.exceptions.ConnectionError:
                if attempt == 2:
                    raise
                time.sleep(1)
        return self

    def _record(self, event, *args) -> None:
        with self.changed:
            self.events.append((event, args[0] if args else None))
            self.changed.notify_all()

    def wait_for(self, event: str, where=lambda data: True, timeout: float = 10.0, after: int = 0):
        """The first `event` (from index `after` on) whose data satisfies `where`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for name, data in self.events[after:]:
                    if name == event and where(data):
                        return data
                left = deadline - time.monotonic()
                assert left > 0, f"{self.name}: no {event!r} within {timeout}s; got {[n for n, _ in self.events]}"
                self.changed.wait(left)

    def mark(self) -> int:
        with self.changed:
            return len(self.events)

    def call(self, event: str, data: dict, timeout: float = 10.0) -> dict:
        return self.sio.call(event, data, timeout=timeout)

    def close(self) -> None:
        """Disconnect in the background: the client waits up to 3 s for the websocket's closing handshake."""
        if self.sio is not None:
            threading.Thread(target=self._disconnect, args=(self.sio,), daemon=True).start()
            self.sio = None

    @staticmethod
    def _disconnect(sio) -> None:
        try:
            sio.disconnect()
        except Exception:  # noqa: BLE001 - already gone with its server
            pass


def payload_for(item: dict) -> dict:
    """A valid answer for the common item types; anything else is skipped (always accepted)."""
    config = item.get("config") or {}
    options = [o["id"] for o in config.get("options", []) if isinstance(o, dict) and "id" in o]
    kinds = {
        "scale": lambda: {"value": 3},
        "poll": lambda: {"choice": options[0]},
        "multi": lambda: {"choices": options[:1]},
        "truefalse": lambda: {"choice": True},
        "open": lambda: {"text": "samen sterk"},
        "words": lambda: {"words": ["moedig"]},
    }
    try:
        return kinds[item["type"]]()
    except (KeyError, IndexError):
        return {"skip": True}


def query(database_url: str, statement: str, **params) -> list[tuple]:
    """Read the shared database directly: the truth, whichever process wrote it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(statement), params)]
    finally:
        engine.dispose()


class Cluster:
    """Two server processes on one PostgreSQL schema and one Redis queue, as docs/deploy.md describes."""

    def __init__(self, database_url: str, redis_space: RedisSpace, log_dir: Path, **extra_env: str):
        self.database_url = database_url
        self.redis = redis_space
        self.env = server_env(database_url, **redis_space.env(), **extra_env)
        flask_cli(self.env, "db", "upgrade")  # once, before any server starts (they run with --no-migrate)
        self.a = Server(self.env, log_dir, "A")
        self.b = Server(self.env, log_dir, "B")

    def start(self) -> "Cluster":
        for server in (self.a, self.b):
            if server.process is None or server.process.poll() is not None:
                server.start()
        return self

    def stop(self) -> None:
        for server in (self.a, self.b):
            server.stop()


@pytest.fixture(scope="module")
def cluster(pg_schema_url, redis_space, tmp_path_factory):
    group = Cluster(pg_schema_url, redis_space, tmp_path_factory.mktemp("cluster"))
    try:
        yield group.start()
    finally:
        group.stop()


@pytest.fixture()
def live_cluster(cluster):
    """The module's cluster with both processes up (a test before may have killed one)."""
    return cluster.start()


class TcpRelay:
    """A loopback TCP relay to a real service, which a test can cut and restore: PostgreSQL or Redis "going
    away" without stopping the shared server itself."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.open_sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> "TcpRelay":
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                inbound, _ = listener.accept()
                outbound = socket.create_connection(self.target, timeout=5)
            except OSError:
                return  # cut
            with self.lock:
                self.open_sockets += [inbound, outbound]
            for source, sink in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        """The service is gone: new connections are refused, open ones are reset."""
        try:  # shutdown wakes the thread blocked in accept(); close alone would leave the port listening
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for end in self.open_sockets:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
            self.open_sockets.clear()

    def restore(self) -> None:
        self.start()


def port_of(url: str, default: int) -> int:
    from sqlalchemy.engine import make_url

    return make_url(url).port or default


def through_relay(url: str, relay: TcpRelay) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(port=relay.port).render_as_string(hide_password=False)
