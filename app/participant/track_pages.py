"""The girl's pages of her personal track (issue 5): the single-use invitation, then her inbox."""
from __future__ import annotations

from flask import render_template, session, url_for
from flask_babel import gettext as _

from ..extensions import failed_try, limiter
from ..i18n import current_locale
from ..services import participants, tracks
from . import bp
from .forms import JoinForm
from .views import dead_link, go_on, hand_over_token, join_errors


def invitation_gone():
    return render_template("participant/message.html", title=_("This invitation no longer works"),
                           text=_("It has been used already or replaced by a new one. If you have lost your "
                                  "track, ask your coach for a new invitation.")), 410


@bp.route("/i/<token>", methods=["GET", "POST"])
# Failed tries only, as for joining a run: girls of one home with their own invitations share one address.
@limiter.limit("60 per minute; 300 per hour", methods=["POST"], deduct_when=failed_try)
def track_invitation(token: str):
    """First visit: choose a pseudonym. A new invitation for an existing track: just continue."""
    track = tracks.by_invitation(token)
    if track is None or track.is_closed:
        return invitation_gone()
    # The language the page is shown in (her choice, else her browser's) is the one preselected.
    form = JoinForm(language=current_locale())
    if track.pseudonym:  # a takeover on a new phone: she keeps her pseudonym, nothing to type
        form.pseudonym.validators = ()
    error = None
    if form.validate_on_submit():
        error = _accept(token, track.token_hash, form)
        if error is None:
            return go_on(url_for("participant.track_inbox", key=track.key))
    elif form.is_submitted():
        error = _("Choose a pseudonym of 2 to 20 characters.")
    return render_template("participant/track_join.html", form=form, track=track, error=error,
                           suggestions=participants.suggestions(current_locale()))


def _accept(token: str, old_hash: str | None, form: JoinForm) -> str | None:
    """Spend the invitation; returns an error text, or None when she is in (the old phone is told)."""
    from ..realtime import tracks as rt

    try:
        track, secret = tracks.accept_invitation(token, form.pseudonym.data, form.language.data)
    except participants.JoinError as refused:
        return join_errors()[refused.code]
    except tracks.TrackRefused:
        return _("This invitation no longer works. Ask your coach for a new one.")
    session["lang"], session["new_track_token"] = form.language.data, {"key": track.key, "token": secret}
    rt.phone_replaced(track, old_hash)
    return None


@bp.get("/t/<key>")
def track_inbox(key: str):
    track = tracks.by_key(key)
    if track is None:
        return dead_link(_("Open the invitation your coach gave you."))
    return render_template("participant/track.html", track_key=key,
                           new_token=hand_over_token("new_track_token", "key", key))
