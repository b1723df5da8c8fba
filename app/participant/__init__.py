"""The girls' side: join by link or code, the blogger's inbox, privacy page."""
from flask import Blueprint

from .. import assets

bp = Blueprint("participant", __name__)
# Her phone's script, one for every way of working, with join.js (the join page needs both): one response.
bp.record_once(lambda state: assets.register_bundle(state.app, "participant", ("js/participant.js", "js/join.js")))

from . import views  # noqa: E402,F401
from . import track_pages  # noqa: E402,F401  (issue 5)
