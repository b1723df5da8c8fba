"""What run.py does before serving: config, instance folder, database, first-start link."""
from __future__ import annotations

import os

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from . import create_app
from .content import ContentError
from .instance import InstanceError


class StartupError(Exception):
    """One line that tells the counsellor what is wrong."""


def prepare(*, port: int | None = None, migrate: bool = True) -> tuple[Flask, str | None]:
    if port:
        os.environ["PORT"] = str(port)
    app = _build()
    with app.app_context():
        _check_database(app)
        _check_redis(app)
        if migrate:
            upgrade(directory=app.extensions["migrate"].directory)
        return app, _setup_url(app)


def _build() -> Flask:
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


def _setup_url(app: Flask) -> str | None:
    from .services import accounts

    if accounts.has_facilitators():
        return None
    token = accounts.issue_setup_token(app.instance_path)
    return f"http://127.0.0.1:{app.config['PORT']}/setup/{token}"


PURGE_INTERVAL = 24 * 3600


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
