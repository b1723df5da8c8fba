"""The girl's pages of her personal track (issues 5, 13): the single-use invitation, her inbox, and the way back.

Coming back (issue 13): her invitation tapped again on the phone that holds the track resumes it; on another
phone her return code (typed on the code page) gets her in; "forget this phone" logs this browser out.
Her token travels in the body of a POST, never in an address, and the return code is never in an address.
"""
from __future__ import annotations

from flask import jsonify, render_template, request, session, url_for
from flask_babel import gettext as _

from ..extensions import client_key, failed_try, limiter
from ..i18n import current_locale
from .. import refusals
from ..refusals import Refused
from ..services import participants, track_access, tracks
from . import bp
from .forms import JoinForm
from .views import dead_link, go_on, hand_over_token


def invitation_gone():
    return render_template("participant/message.html", title=_("This invitation no longer works"),
                           text=_("It has been used already, replaced by a new one, or it is too old. Ask your "
                                  "coach for a new invitation. Do you have a return code? Type it at \"I have a "
                                  "code\".")), 410


@bp.route("/i/<token>", methods=["GET", "POST"])
# Failed tries only, as for joining a run: girls of one home with their own invitations share one address.
@limiter.limit("60 per minute; 300 per hour", methods=["POST"], deduct_when=failed_try)
def track_invitation(token: str):
    """First visit: choose a pseudonym. A new invitation for an existing track: just continue.
    Her used invitation again: back into her track when this browser holds it (track_back.html)."""
    track = track_access.by_invitation(token)
    if track is None or track.is_closed:
        return _invitation_used(token)
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


def _invitation_used(token: str):
    """A spent invitation: the page goes on to her track when this browser holds its token (join.js), and
    otherwise says how to come back. Nothing of the track is on the page but its public key."""
    track = track_access.by_spent_invitation(token)
    if track is None:
        return invitation_gone()
    return render_template("participant/track_back.html", mode="again", track_key=track.key), 410


def _accept(token: str, old_hash: str | None, form: JoinForm) -> str | None:
    """Spend the invitation; returns an error text, or None when she is in (the old phone is told)."""
    from ..realtime import tracks as rt

    try:
        track, secret = track_access.accept_invitation(token, form.pseudonym.data, form.language.data)
    except Refused as refused:  # a pseudonym she should choose again, or an invitation spent meanwhile
        return refusals.message(refused.code)
    session["lang"], session["new_track_token"] = form.language.data, {"key": track.key, "token": secret}
    rt.phone_replaced(track, old_hash)
    return None


@bp.get("/t/<key>")
def track_inbox(key: str):
    track = track_access.by_key(key)
    if track is None:
        return dead_link(_("Open the invitation your coach gave you."))
    return render_template("participant/track.html", track_key=key,
                           new_token=hand_over_token("new_track_token", "key", key))


# --- her return code and "forget this phone" (issue 13) ---------------------------------------------

def _per_track() -> str:
    """Wrong tokens count per address and per track, so neither a home nor one girl's track can be tried at length."""
    return "track:" + str((request.view_args or {}).get("key", ""))[:32]


def _refused(response) -> bool:
    return response.status_code == 403


@bp.post("/t/<key>/return-code")
@limiter.limit("20 per minute; 100 per hour", deduct_when=_refused, key_func=client_key)
@limiter.limit("20 per minute; 100 per hour", deduct_when=_refused, key_func=_per_track)
def track_return_code(key: str):
    """Her page asks, with her token: {"code": "ABCD-EFGH-JK"} once when she has none, else {"code": null}."""
    track = track_access.phone_of(key, request.form.get("token"))
    if track is None:
        return jsonify(code=None, error="unknown_token"), 403
    return jsonify(code=track_access.issue_return_code(track))


@bp.post("/t/<key>/forget")
@limiter.limit("20 per minute; 100 per hour", deduct_when=_refused, key_func=client_key)
@limiter.limit("20 per minute; 100 per hour", deduct_when=_refused, key_func=_per_track)
def forget_phone(key: str):
    """'Forget this phone': her token stops working; her other open pages on it are told (track:revoked)."""
    from ..realtime import tracks as rt

    track = track_access.phone_of(key, request.form.get("token"))
    if track is None:  # already forgotten, or taken over: this phone has nothing left either way
        return jsonify(ok=False, error="unknown_token", next=url_for("participant.phone_forgotten")), 403
    rt.phone_replaced(track, track_access.forget_phone(track))
    session.pop("new_track_token", None)
    return go_on(url_for("participant.phone_forgotten"))


@bp.get("/phone-forgotten")
def phone_forgotten():
    return render_template("participant/track_back.html", mode="forgotten", track_key=None)


def come_back_with_code(raw: str):
    """The code page with a return code: into her track with a new token (the old phone is told), or None."""
    from ..realtime import tracks as rt

    try:
        track, secret, old_hash = track_access.come_back(raw)
    except Refused:
        return None
    session["lang"], session["new_track_token"] = track.locale, {"key": track.key, "token": secret}
    rt.phone_replaced(track, old_hash)
    return go_on(url_for("participant.track_inbox", key=track.key))
