"""What `gps-live` (and run.py) does before serving: config, instance folder, database, first-start link,
and the listening socket; also the quiet database upgrade the administration commands share."""
from __future__ import annotations

import errno
import gc
import logging
import logging.config
import os
import socket
import sys
from contextlib import contextmanager

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from . import create_app
from .content import ContentError
from .instance import InstanceError


class StartupError(Exception):
    """One line that tells the counsellor what is wrong."""


def prepare(host: str | None = None, *, migrate: bool = True) -> tuple[Flask, socket.socket, str | None]:
    """The app, its listening socket and the first-start link (None once there is an account).

    The port is taken first, so a port in use is said at once, before the database work.
    """
    app = build_app()
    listener = listen(host or app.config["HOST"], app.config["PORT"])
    try:
        with app.app_context():
            _check_database(app)
            _check_redis(app)
            if migrate:
                upgrade_database(app)
            _forget_presence(app)
            return app, listener, _setup_url(app)
    except BaseException:
        listener.close()
        raise


def _forget_presence(app: Flask) -> None:
    """A single server that starts has no phone connected yet: nobody stays "online" from before a crash.
    Several processes behind a queue share the table, so one of them restarting must not clear the others'."""
    if app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return
    from .services import participants

    participants.forget_presence()


def build_app() -> Flask:
    """The app as the server builds it (same PORT, PUBLIC_URL, database): the console commands use it too."""
    from config import Config, ProductionConfig

    config_class = ProductionConfig if os.environ.get("GPS_ENV") == "production" else Config
    config_class.PORT = int(os.environ.get("PORT", config_class.PORT))
    try:
        return create_app(config_class)
    except InstanceError as error:
        raise StartupError(str(error)) from None
    except ContentError as error:
        raise StartupError(f"the programme content is invalid: {error}") from None
    except ArgumentError:
        raise StartupError("DATABASE_URL is not a valid database address.") from None
    except ModuleNotFoundError as error:
        raise StartupError(f"the driver for DATABASE_URL is not installed ({error.name}); "
                           "for PostgreSQL: pip install 'gps-live[postgres]'.") from None


def _check_database(app: Flask) -> None:
    from .extensions import db

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError) as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        raise StartupError(f"the database at DATABASE_URL cannot be reached ({reason}).") from None
    from .health import write_problem

    problem = write_problem()  # read-only or full: every join and answer would fail (issue 11)
    if problem:
        raise StartupError(problem)


def _check_redis(app: Flask) -> None:
    """A queue or rate-limit store that is down at start would only show later, as lost broadcasts."""
    for setting in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI"):
        url = app.config.get(setting) or ""
        if url.startswith(("redis://", "rediss://")):
            _ping_redis(setting, url)


def _ping_redis(setting: str, url: str) -> None:
    try:
        import redis
    except ModuleNotFoundError:
        raise StartupError(f"{setting} is a Redis address but redis-py is not installed; "
                           "pip install 'gps-live[redis]'.") from None
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise StartupError(f"Redis at {setting} cannot be reached ({reason}).") from None


def upgrade_database(app: Flask) -> None:
    """Bring the database to the current schema, quietly: Alembic's lines go to the log (the console shows
    them with --verbose), not between the addresses a counsellor needs."""
    with _alembic_keeps_our_logging(), app.app_context():
        if _schema_without_migrations():
            return
        upgrade(directory=app.extensions["migrate"].directory)


def _schema_without_migrations() -> bool:
    """Tables but no Alembic version: a schema made by db.create_all (the test fixtures do that). There is
    no revision to upgrade from; Alembic would try to create every table again."""
    from sqlalchemy import inspect

    from .extensions import db

    tables = set(inspect(db.engine).get_table_names())
    return bool(tables) and "alembic_version" not in tables


@contextmanager
def _alembic_keeps_our_logging():
    """migrations/env.py calls logging.config.fileConfig(alembic.ini) on every upgrade: that would print
    Alembic's INFO lines on the console and disable every logger configured before (the app's own among
    them). Inside this block that call does nothing, so the logging set-up of configure_logging stays."""
    original = logging.config.fileConfig
    logging.config.fileConfig = lambda *args, **kwargs: None
    logging.getLogger("alembic").setLevel(logging.INFO)
    try:
        yield
    finally:
        logging.config.fileConfig = original


def configure_logging(verbose: bool) -> None:
    """Warnings and errors on the console; with --verbose also the INFO lines (migrations among them)."""
    level = logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s [%(name)s] %(message)s"))
    handler.setLevel(level)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)


ADDRESS_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}
ACCESS_DENIED = {errno.EACCES, getattr(errno, "WSAEACCES", errno.EACCES)}


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything is printed, so a port in use is one clear line.

    socket.create_server sets SO_REUSEADDR on POSIX only: on Windows that option would let a second
    server share a port already in use.
    """
    try:
        return socket.create_server((host, port), backlog=128)
    except socket.gaierror:
        raise StartupError(f"HOST {host!r} is not an address of this computer.") from None
    except OSError as error:
        if error.errno in ADDRESS_IN_USE:
            raise StartupError(f"port {port} is already in use (is GPS Live already running?); "
                               f"stop the other program or start with --port {port + 1}.") from None
        if error.errno in ACCESS_DENIED:
            raise StartupError(f"this computer does not let GPS Live use port {port}; "
                               "start with another one, e.g. --port 8080.") from None
        raise StartupError(f"cannot listen on {host}:{port} ({error.strerror or error}).") from None


def _setup_url(app: Flask) -> str | None:
    from .services import accounts

    if accounts.has_facilitators():
        return None
    token = accounts.issue_setup_token(app.instance_path)
    return f"http://127.0.0.1:{app.config['PORT']}/setup/{token}"


PURGE_INTERVAL = 24 * 3600


# The collector's young generation is collected every N new container objects (Python's default: 700). A busy
# room makes thousands a second, and each full collection walked every object of the process: at 100 squads
# (1,200 phones) 16 full collections of ~210 ms each, during which no event moved (issue 16, docs/benchmarks.md).
YOUNG_GENERATION = 10_000


def settle_memory() -> None:
    """Once the app is built: what startup made (modules, catalogs, the programme, templates) lives as long as
    the process, so the collector no longer walks it (gc.freeze), and it runs less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, 10, 10)


def start_retention(app: Flask) -> None:
    """Purge old answers at start and then once a day, while the server runs."""
    from .extensions import db, socketio
    from .services import retention

    def purge_daily() -> None:
        while True:
            with app.app_context():
                try:
                    retention.purge(app.config["RETENTION_DAYS"])
                    retention.purge_tracks(app.config["RETENTION_DAYS"])
                except SQLAlchemyError:
                    app.logger.exception("Retention purge failed; it will be tried again tomorrow")
                finally:
                    db.session.remove()
            socketio.sleep(PURGE_INTERVAL)

    socketio.start_background_task(purge_daily)
