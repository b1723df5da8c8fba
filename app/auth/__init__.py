"""Staff sign-in: first-start setup, login, logout, colleagues, language switch."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401  (routes register on import)
