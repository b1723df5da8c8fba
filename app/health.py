"""`/healthz`: can this process reach its database and its message queue? For nginx, systemd and monitoring.

JSON, no login, no personal data. 200 when everything it needs answers, 503 otherwise, so a load balancer or
a monitoring probe can act on the status code alone.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from .extensions import db

bp = Blueprint("health", __name__)

PROBE_TIMEOUT = 2  # seconds: a probe that hangs is as bad as one that fails


@bp.get("/healthz")
def healthz():
    checks = {"database": database_status(), "queue": queue_status(current_app)}
    healthy = all(status != "unreachable" for status in checks.values())
    return jsonify(ok=healthy, **checks), 200 if healthy else 503


def database_status() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "not reachable" to a probe
        db.session.rollback()
        return "unreachable"


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
