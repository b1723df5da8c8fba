"""The report of a girl's whole track (issue 13): every module in order, on screen, on paper and as CSV.

The same rules as a run report (services/reports.py): her pseudonym only when the coach asks for it, hidden
answers left out, only the counts once a module's answers were purged. Only her coach or an admin; 404 else.
"""
from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import format_date

from ..i18n import current_locale
from ..services import reports
from . import bp
from .track_pages import _track_or_404


def _with_names() -> bool:
    return request.args.get("names") == "1"


@bp.get("/tracks/<int:track_id>/report")
def track_report(track_id: int):
    track = _track_or_404(track_id)
    with_names = _with_names()
    parts = reports.track_report(track, current_locale(), with_names=with_names)
    for part in parts:  # dates in the page's language
        part["date"] = format_date(part["done_at"], "medium") if part["done_at"] else None
    return render_template("facilitator/track_report.html", track=track, squad=track.squad, with_names=with_names,
                           parts=parts, started=format_date(track.created_at, "medium"),
                           signals=reports.track_signal_summary(track, with_names=with_names))


@bp.get("/tracks/<int:track_id>/report.csv")
def track_report_csv(track_id: int):
    track = _track_or_404(track_id)
    with_names = _with_names()
    body = "\ufeff" + reports.track_csv_text(track, current_locale(), with_names=with_names)  # BOM: Excel reads UTF-8
    name = f"gps-track-{track.id}{'-names' if with_names else ''}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
