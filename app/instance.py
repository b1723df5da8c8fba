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
    # A failing statement's error message would otherwise carry its parameters (a girl's answer, a pseudonym)
    # into the log.
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}, "hide_parameters": True})
        _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], folder)
        if not event.contains(Engine, "connect", _sqlite_wal):
            event.listen(Engine, "connect", _sqlite_wal)
    else:  # a server database may restart under us: test pooled connections before use, fail fast if it is down
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "hide_parameters": True,
                                                            "connect_args": {"connect_timeout": 5}})


def _private_sqlite_file(url: str, folder: Path) -> None:
    """The database holds girls' pseudonyms and answers: only this account may read it (0600). SQLite gives
    its -wal and -shm files the database file's permissions, so creating the file ourselves is enough."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.is_absolute():  # Flask-SQLAlchemy puts a relative SQLite path in the instance folder
        path = folder / path
    try:
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if existing.exists() and existing.stat().st_mode & 0o077:
                existing.chmod(0o600)  # a database from before this check, created world-readable
    except OSError:
        pass  # not ours to change (another owner, a read-only mount): SQLite will say what is wrong


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
    # Deleted rows (a purge, "delete now") are overwritten, not left readable in the file's free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _ensure_writable(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database and the secret key live here
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
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
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server process was first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
