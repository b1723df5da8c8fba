from __future__ import annotations

from flask import abort, render_template

from .. import links, qr
from ..services import runs
from . import bp


def _run_or_404(token: str):
    run = runs.by_screen_token(token)
    if run is None:
        abort(404)
    return run


@bp.get("/screen/<token>")
def screen(token: str):
    """The projector page: its unguessable link is its key, so the projector laptop needs no login."""
    run = _run_or_404(token)
    return render_template("presenter/screen.html", run=run, token=token, join_link=links.join_link(run),
                           code_link=links.code_link())


@bp.get("/screen/<token>/qr.svg")
def screen_qr(token: str):
    return qr.svg_response(links.join_link(_run_or_404(token)))
