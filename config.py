"""Configuration classes. Every setting comes from an environment variable with a safe default,
so a counsellor's first start needs no configuration at all (see the table in README.md)."""
from __future__ import annotations

import os
import socket

# The languages, in one place (issue 14): Dutch (Flemish) first and the default, then French (Belgian) and English.
# The app takes them from app/languages.py, which reads them from here.
LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}")


def _redis_or_memory(queue: str) -> str:
    return queue if queue.startswith(("redis://", "rediss://")) else "memory://"


def lan_address() -> str:
    """The address other devices on this network can reach. Phones cannot reach 'localhost'.

    Connecting a UDP socket sends no packet; it only asks the kernel which interface it would use.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never contacted
        address = probe.getsockname()[0]
    except OSError:
        address = ""
    finally:
        probe.close()
    if not address or address.startswith("127."):
        address = socket.gethostname()
    return address


class Config:
    SECRET_KEY = _env("SECRET_KEY") or None  # None: generated once and kept in the instance folder
    DATABASE_URL = _env("DATABASE_URL")  # empty: SQLite file in the instance folder
    PUBLIC_URL = _env("PUBLIC_URL").rstrip("/")  # empty: http://<LAN address>:<PORT>
    HOST = _env("HOST", "0.0.0.0")
    PORT = _env_int("PORT", 5000)
    SOCKETIO_MESSAGE_QUEUE = _env("SOCKETIO_MESSAGE_QUEUE")
    # Redis pub/sub channels ignore the database number: instances sharing one Redis need their own channel.
    SOCKETIO_CHANNEL = _env("SOCKETIO_CHANNEL", "gps-live")
    SOCKETIO_ASYNC_MODE = "gevent"
    # Processes joined by a Redis queue share their rate-limit counters there too, unless told otherwise.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or _redis_or_memory(SOCKETIO_MESSAGE_QUEUE)
    RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", "gps-live")
    # Only for test and benchmark servers where every browser comes from 127.0.0.1; never in production.
    RATELIMIT_ENABLED = _env("RATELIMIT_ENABLED", "true").lower() != "false"
    # Redis lost during a run: each process counts on its own until Redis is back, instead of failing requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)  # reverse proxies (nginx) in front whose X-Forwarded-* we trust
    RETENTION_DAYS = _env_int("RETENTION_DAYS", 30)
    RETENTION_WARNING_DAYS = _env_int("RETENTION_WARNING_DAYS", 7)  # the coach is warned this long before a purge
    # An unused track invitation stops working this many days after it was made (issue 13).
    INVITATION_DAYS = max(_env_int("INVITATION_DAYS", 14), 1)
    # An open track she joined with no activity this long is listed in the coach's attention view (issue 13).
    ATTENTION_IDLE_DAYS = max(_env_int("ATTENTION_IDLE_DAYS", 7), 1)
    QUICK_EXIT_URL = _env("QUICK_EXIT_URL", "https://www.google.com/")
    MAX_PARTICIPANTS_PER_RUN = _env_int("MAX_PARTICIPANTS_PER_RUN", 40)
    # The projector shows a distribution only once this many girls answered: a bar of one names her (issue 15).
    MIN_GROUP_FOR_RESULTS = max(_env_int("MIN_GROUP_FOR_RESULTS", 4), 1)
    BABEL_DEFAULT_LOCALE = DEFAULT_LANGUAGE
    LANGUAGES = LANGUAGES
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a counsellor's form may stay open all afternoon
    # Over HTTPS Flask-WTF would also demand a Referer, which our Referrer-Policy (no-referrer) keeps browsers
    # from sending: every form would fail behind TLS. The CSRF token and SameSite cookies still protect the forms.
    WTF_CSRF_SSL_STRICT = False
    MAX_CONTENT_LENGTH = 64 * 1024
    SESSIONS_DIR = _env("SESSIONS_DIR")  # empty: the sessions/ folder beside this file
    TESTING = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    DATABASE_URL = "sqlite://"
    PUBLIC_URL = "http://gps.test"
    SOCKETIO_ASYNC_MODE = "threading"  # the test clients need no event loop
    SOCKETIO_MESSAGE_QUEUE = ""
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True  # the limits are under test here, whatever the environment says
    # One round instead of scrypt's deliberate cost: tests make hundreds of accounts (tests/conftest.py applies it).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


class ProductionConfig(Config):
    """Behind HTTPS (see docs/deploy.md): cookies only travel encrypted."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
