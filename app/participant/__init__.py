"""The girls' side: join by link or code, the blogger's inbox, privacy page."""
from flask import Blueprint

bp = Blueprint("participant", __name__)

from . import views  # noqa: E402,F401
from . import track_pages  # noqa: E402,F401  (issue 5)
