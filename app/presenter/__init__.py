"""The projector: join QR and code, the current item, live count, aggregates. Never pseudonyms."""
from flask import Blueprint

bp = Blueprint("presenter", __name__)

from . import views  # noqa: E402,F401
