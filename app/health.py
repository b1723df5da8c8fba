"""`/healthz`: can this process write to its database and reach its message queue? For nginx, systemd and
monitoring.

JSON, no login, no personal data. 200 when everything it needs answers, 503 otherwise, so a load balancer or
a monitoring probe can act on the status code alone. The database must take a write, not only a read: a
read-only database or a full disk answers every SELECT and still turns every join and answer into a 500.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from .extensions import db

bp = Blueprint("health", __name__)

PROBE_TIMEOUT = 2  # seconds: a probe that hangs is as bad as one that fails


@bp.get("/healthz")
def healthz():
    checks = {"database": database_status(), "queue": queue_status(current_app)}
    healthy = all(status not in FAILING for status in checks.values())
    return jsonify(ok=healthy, **checks), 200 if healthy else 503


FAILING = ("unreachable", "read_only", "disk_full")
# Below this much free space a SQLite database fails its next growing write ("database or disk is full").
MIN_FREE_BYTES = 5 * 1024 * 1024
# A write that is rolled back at once: creating a table needs the database's write lock, works before the
# migrations ran (no table of ours is needed) and is refused by PostgreSQL in a read-only transaction and by
# SQLite on a read-only file or mount.
PROBE_TABLE = "gps_write_probe"


def database_status() -> str:
    """'ok', 'read_only', 'disk_full' or 'unreachable'."""
    try:
        if db.engine.dialect.name == "sqlite":
            _probe_sqlite()
        else:
            with db.engine.connect() as connection:
                transaction = connection.begin()
                try:
                    connection.execute(text(f"CREATE TABLE {PROBE_TABLE} (x INTEGER)"))
                finally:
                    transaction.rollback()
    except Exception as error:  # noqa: BLE001 - SQLAlchemy's, the driver's own (sqlite3), or anything a probe meets
        status = _why(error)
        if status != "ok":
            return status
    return "disk_full" if _sqlite_disk_nearly_full() else "ok"


def _probe_sqlite() -> None:
    """pysqlite opens no transaction before DDL by itself: begin one explicitly, so the table never lands."""
    raw = db.engine.raw_connection()
    cursor = raw.cursor()
    waits = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    # Under gevent a wait for SQLite's lock blocks the whole process: if a writer holds it, that is proof
    # enough that the database takes writes (see _why), so the probe does not wait for it.
    cursor.execute("PRAGMA busy_timeout = 50")
    try:
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute(f"CREATE TABLE main.{PROBE_TABLE} (x INTEGER)")
        finally:
            cursor.execute("ROLLBACK")
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(waits)}")
        raw.close()


def write_problem() -> str | None:
    """One line for the console when the database cannot take writes (startup refuses to serve then)."""
    status = database_status()
    return {"read_only": "the database is read-only: GPS Live needs to write to it (check the file's "
                         "permissions, the disk or the database user's rights).",
            "disk_full": "the disk of the database is full: free some space.",
            "unreachable": "the database cannot be reached."}.get(status)


def _why(error: Exception) -> str:
    message = str(getattr(error, "orig", error)).lower()
    if "database is locked" in message:  # another writer has it right now: writable
        return "ok"
    if "read-only" in message or "readonly" in message or "read only" in message:
        return "read_only"
    if "disk is full" in message or "no space left" in message or "disk full" in message:
        return "disk_full"
    return "unreachable"


def _sqlite_disk_nearly_full() -> bool:
    """SQLite writes rolled back never reach the disk, so for SQLite the probe also looks at the free space."""
    if db.engine.dialect.name != "sqlite" or not db.engine.url.database or db.engine.url.database == ":memory:":
        return False
    folder = Path(db.engine.url.database.removeprefix("file:").split("?", 1)[0]).resolve().parent
    try:
        return shutil.disk_usage(folder).free < MIN_FREE_BYTES
    except OSError:
        return False


def queue_status(app: Flask) -> str:
    """'none' for a single process without a queue; only Redis queues are probed."""
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not url:
        return "none"
    if not url.startswith(("redis://", "rediss://")):
        return "unchecked"
    try:
        redis_client(app, url).ping()
        return "ok"
    except Exception:  # noqa: BLE001
        return "unreachable"


def redis_client(app: Flask, url: str):
    """One small client per app, with short timeouts; redis-py reconnects by itself once Redis is back."""
    client = app.extensions.get("gps_health_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT)
        app.extensions["gps_health_redis"] = client
    return client
