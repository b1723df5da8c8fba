"""Staff pages and socket events: squads, runs, dashboard, reports."""
from flask import Blueprint

bp = Blueprint("facilitator", __name__, url_prefix="/staff")

from . import reports, views  # noqa: E402,F401
from . import track_pages  # noqa: E402,F401  (issue 5)
from . import track_reports  # noqa: E402,F401  (issue 13: the report of a whole track)
from . import guide  # noqa: E402,F401  (issue 12: facilitator guide and printables)
from . import attention  # noqa: E402,F401  (issue 13: the coach's attention view)
from . import squad_settings  # noqa: E402,F401  (issue 13: reply time of a squad, a girl's return code)
