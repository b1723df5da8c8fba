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


def _check_database(app: Flask) -> None:
    from .extensions import db

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError) as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        raise StartupError(f"the database at DATABASE_URL cannot be reached ({reason}).") from None


def _setup_url(app: Flask) -> str | None:
    from .services import accounts

    if accounts.has_facilitators():
        return None
    token = accounts.issue_setup_token(app.instance_path)
    return f"http://127.0.0.1:{app.config['PORT']}/setup/{token}"
