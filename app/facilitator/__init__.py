"""Staff pages and socket events: squads, runs, dashboard, reports."""
from flask import Blueprint

bp = Blueprint("facilitator", __name__, url_prefix="/staff")

from . import views  # noqa: E402,F401
