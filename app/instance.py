"""The instance folder: the SQLite database and the generated secret key live there."""
from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import lan_address


class InstanceError(Exception):
    """The instance folder cannot be used; the message says which path and why."""


def prepare_instance(app: Flask) -> None:
    folder = Path(app.instance_path)
    if not app.config.get("TESTING"):
        _ensure_writable(folder)
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or _stored_secret(folder)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("DATABASE_URL") or f"sqlite:///{folder / 'gps-live.db'}"
    app.config["PUBLIC_URL"] = app.config.get("PUBLIC_URL") or f"http://{lan_address()}:{app.config['PORT']}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
        if not event.contains(Engine, "connect", _sqlite_wal):
            event.listen(Engine, "connect", _sqlite_wal)
    else:  # a server database may restart under us: test pooled connections before use, fail fast if it is down
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}})


def _sqlite_wal(dbapi_connection, _record) -> None:
    """SQLite in WAL mode with synchronous=NORMAL (docs/benchmarks.md, measured).

    Under gevent a commit blocks the whole server: with the default rollback journal every commit made
    several fsyncs and took a quarter of the server's time under load. In WAL a commit is one append and
    readers never wait for the writer. NORMAL skips the fsync per commit: an application crash loses
    nothing; only a power cut or OS crash can lose the last commits (never corrupt the file).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode not in ("wal", "memory"):  # switching takes a lock: only once per file; in-memory databases stay so
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode == "wal":
        cursor.execute("PRAGMA synchronous=NORMAL")  # per connection, no lock
    cursor.close()


def _ensure_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        raise InstanceError(f"The instance folder {folder} is not writable: {error.strerror}") from error


def _stored_secret(folder: Path) -> str:
    """Generate the secret key once and keep it, so logins survive a restart."""
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server process was first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
