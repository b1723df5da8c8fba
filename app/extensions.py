"""Extension objects, bound to the app in create_app() by init_app (no app at import time)."""
import ipaddress
import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()


def client_key() -> str:
    """The rate limits' key for the client's address: IPv4 as is, IPv6 grouped by its /64.

    One IPv6 subscriber or host usually gets a whole /64, so counting per address would give an attacker
    2^64 fresh budgets; an IPv4-mapped IPv6 address counts as its IPv4 address.
    """
    address = get_remote_address() or ""
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(getattr(parsed, "ipv4_mapped", None) or parsed)


# The address is only a key for in-memory (or Redis) counters that expire; it is never stored or logged
# (Flask-Limiter would log it with every limit reached, at INFO).
limiter = Limiter(key_func=client_key, default_limits=[])
logging.getLogger("flask-limiter").setLevel(logging.WARNING)


def failed_try(response) -> bool:
    """For limits that count failures only (`deduct_when`): a form answered again (200) is a failed try,
    a success goes on (a redirect, or 204 for the page's own script). A correct code or password never
    spends the budget, so a home of 40 behind one address all get in; over the budget, every try waits."""
    return response.status_code == 200
socketio = SocketIO()
