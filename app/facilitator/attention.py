"""The coach's attention view (issue 13): one live page with what needs her across all her squads and tracks.
The count in every staff page's menu and title comes from `attention_count` (a template global)."""
from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..forms import EmptyForm
from ..services import attention
from . import bp


@bp.get("/attention")
def attention_page():
    g.attention_state = state = attention.state_for(current_user.id)  # the menu's count reuses it
    return render_template("facilitator/attention.html", state=state,
                           sound_form=EmptyForm(), checkin_days=attention.CHECKIN_FRESH_DAYS,
                           idle_days=current_app.config["ATTENTION_IDLE_DAYS"])


@bp.post("/attention/sound")
def attention_sound():
    """Her choice of the soft sound for a new signal, kept with her account (every device, every page)."""
    if EmptyForm().validate_on_submit():
        attention.set_sound(current_user, request.form.get("sound") == "on")
    return redirect(url_for("facilitator.attention_page"))


@bp.app_template_global()
def attention_count() -> int | None:
    """The number in the staff menu and the title when the page is drawn; attention.js keeps it live after."""
    if not current_user.is_authenticated:
        return None
    if "attention_state" in g:
        return g.attention_state["count"]
    try:
        return attention.count_for(current_user.id)
    except SQLAlchemyError:  # the menu's number is not worth a failed page; attention.js asks again live
        db.session.rollback()
        current_app.logger.warning("attention count failed while drawing %s", request.endpoint)
        return None
