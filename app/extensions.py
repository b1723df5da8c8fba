"""Extension objects, bound to the app in create_app() by init_app (no app at import time)."""
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
# The address is only a key for in-memory (or Redis) counters that expire; it is never stored or logged.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()
