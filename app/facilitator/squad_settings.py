"""The coach's settings for online tracks (issue 13): how soon she usually answers, and a girl's return code.

"How soon" is what the girl reads after "I want to talk": an honest expectation, never a promise the app keeps
for her coach. The return-code reset makes her old code stop working at once; her page shows a new one the
next time she opens it (services/track_access.py), so no code is ever stored or shown to the coach.
"""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from ..forms import EmptyForm
from ..extensions import db
from ..models import SquadMode
from ..models_tracks import Track
from ..services import squads as squad_service
from ..services import track_access, tracks
from . import bp

# Stored in Squad.reply_within; the girl's words for each are in templates/participant/track.html.
REPLY_WITHIN = ("hours", "same_day", "next_day", "two_days")


def reply_within_labels() -> list[tuple[str, str]]:
    return [("", _("Not set (she reads: your coach answers as soon as she can)")),
            ("hours", _("Within a few hours")), ("same_day", _("The same day")),
            ("next_day", _("By the next day")), ("two_days", _("Within two days"))]


class ReplyWithinForm(FlaskForm):
    reply_within = SelectField(_l("How soon do you usually answer her?"), choices=[], validate_choice=True)


def reply_within_form(squad) -> ReplyWithinForm:
    form = ReplyWithinForm(reply_within=squad.reply_within or "")
    form.reply_within.choices = reply_within_labels()
    return form


@bp.app_template_global("reply_within_form")
def _reply_within_form_for_page(squad) -> ReplyWithinForm:
    return reply_within_form(squad)


@bp.post("/squads/<int:squad_id>/reply-within")
def set_reply_within(squad_id: int):
    squad = squad_service.owned_squad(current_user, squad_id)
    if squad is None or squad.mode is not SquadMode.ONLINE_INDIVIDUAL:
        abort(404)
    form = reply_within_form(squad)
    if not form.validate_on_submit():
        abort(400)
    squad.reply_within = form.reply_within.data or None
    db.session.commit()
    flash(_("Saved. The girls of this squad read it when they ask to talk."), "info")
    return redirect(url_for("facilitator.squad", squad_id=squad.id))


# --- a girl's return code -------------------------------------------------------------------------

def _owned_track(track_id: int) -> Track:
    track = tracks.owned_track(current_user, track_id)
    if track is None:
        abort(404)
    return track


@bp.post("/tracks/<int:track_id>/return-code/reset")
def reset_return_code(track_id: int):
    track = _owned_track(track_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    track_access.reset_return_code(track)
    flash(_("Her old return code no longer works. The next time she opens her track, she sees a new one."), "info")
    return redirect(url_for("facilitator.track", track_id=track.id))


@bp.app_template_global("track_way_back")
def track_way_back(track: Track) -> dict:
    """For the coach's track page: her return code's state, and when a pending invitation expires."""
    expires = track_access.invitation_expires_at(track)
    return {"return_code": track_access.return_code_state(track),
            "invitation_expired": track_access.invitation_expired(track),
            "invitation_expires": format_datetime(expires, "medium") if expires else None}
