"""GPS Live: the application factory."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import assets, errors, i18n, item_types, labels, programme, security
from .extensions import csrf, db, limiter, login_manager, migrate, socketio
from .instance import prepare_instance

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None) -> Flask:
    """Build the app; extensions are bound here so tests can build as many apps as they like."""
    from config import Config

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_relative_config=True)
    app.config.from_object(config_class or Config)
    prepare_instance(app)
    programme.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    security.init_app(app)
    assets.init_app(app)
    labels.init_app(app)
    item_types.init_app(app)
    # One script for the item types and items.js: ten small files weighed 12 KB more on a girl's phone.
    assets.register_bundle(app, "items", item_types.script_files())
    errors.init_app(app)
    from . import cli

    cli.init_app(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind nginx the client's address (the rate limits' key) and scheme come from X-Forwarded-*."""
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    # Handlers must be known before the first init_app: Flask-SocketIO copies its list to each new server.
    from . import realtime

    _load_socket_events()
    realtime.load_handlers()
    # No cors_allowed_origins: Engine.IO then accepts browsers of our own origin only.
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"],
                      message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"] or None,
                      channel=app.config.get("SOCKETIO_CHANNEL", "gps-live"),
                      max_http_buffer_size=security.SOCKET_BUFFER, ping_interval=20, ping_timeout=25)
    realtime.guard_server(socketio.server)


def _register_blueprints(app: Flask) -> None:
    from .auth import bp as auth_bp
    from .facilitator import bp as facilitator_bp
    from .participant import bp as participant_bp
    from .presenter import bp as presenter_bp
    from .health import bp as health_bp

    for blueprint in (auth_bp, facilitator_bp, participant_bp, presenter_bp, health_bp):
        app.register_blueprint(blueprint)


def _load_socket_events() -> None:
    """Each audience's socket events live in its blueprint and register themselves there (issue 14)."""
    from .facilitator import events as _staff  # noqa: F401
    from .participant import events as _phone  # noqa: F401
    from .presenter import events as _screen  # noqa: F401
