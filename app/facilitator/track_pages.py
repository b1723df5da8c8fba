"""The coach's pages of individual online tracks (issue 5): create, invite, follow one girl."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import links, qr
from ..forms import EmptyForm
from ..i18n import current_locale
from ..models_tracks import Track
from ..programme import programme
from ..refusals import Refused
from ..services import squads as squad_service
from ..services import retention, track_access, tracks
from ..services.participants import hash_token
from . import bp


def _track_or_404(track_id: int) -> Track:
    track = tracks.owned_track(current_user, track_id)
    if track is None:
        abort(404)
    return track


def _remember_invitation(track: Track, token: str) -> None:
    """The coach's own session keeps the pending invitation so the page can show it again (the
    database holds only its hash); it is dropped once she has used it or it was replaced."""
    invites = dict(session.get("track_invites") or {})
    invites[str(track.id)] = token
    session["track_invites"] = invites


def pending_invitation(track: Track) -> str | None:
    token = (session.get("track_invites") or {}).get(str(track.id))
    if token and track.invite_hash == hash_token(token):
        return token
    return None


def invitation_link(token: str) -> str:
    return links.public(url_for("participant.track_invitation", token=token))


@bp.post("/squads/<int:squad_id>/tracks")
def create_track(squad_id: int):
    squad = squad_service.owned_squad(current_user, squad_id)
    if squad is None or not EmptyForm().validate_on_submit():
        abort(404)
    try:
        track, token = tracks.create_track(squad)
    except Refused:
        abort(400)
    _remember_invitation(track, token)
    return redirect(url_for("facilitator.track", track_id=track.id))


@bp.post("/tracks/<int:track_id>/invitation")
def new_invitation(track_id: int):
    track = _track_or_404(track_id)
    if EmptyForm().validate_on_submit():
        try:
            _remember_invitation(track, track_access.issue_invitation(track))
            flash(_("New invitation made. When she uses it, her old phone stops working for this track."), "info")
        except Refused:
            flash(_("This track is closed."), "error")
    return redirect(url_for("facilitator.track", track_id=track.id))


@bp.get("/tracks/<int:track_id>")
def track(track_id: int):
    track = _track_or_404(track_id)
    token = pending_invitation(track)
    return render_template("facilitator/track.html", track=track, squad=track.squad, action_form=EmptyForm(),
                           invitation=invitation_link(token) if token else None)


@bp.get("/tracks/<int:track_id>/invitation.svg")
def track_qr(track_id: int):
    token = pending_invitation(_track_or_404(track_id))
    if token is None:
        abort(410)
    return qr.svg_response(invitation_link(token))


@bp.app_template_global("squad_tracks")
def squad_tracks(squad) -> list[dict]:
    """For the programme overview: each track of the squad with its module states (dates formatted)."""
    return [{"track": t, "modules": _overview_modules(t), "progress": tracks.progress(t)}
            for t in tracks.tracks_of(squad)]


@bp.app_template_global("purge_warning")
def purge_warning(thing) -> dict | None:
    """For a run or track that the retention purge reaches within RETENTION_WARNING_DAYS: when, and since when
    it counts (dates formatted); None otherwise. The coach sees it coming on the squad and track pages."""
    config = current_app.config
    when = retention.purge_soon(thing, config["RETENTION_DAYS"], config["RETENTION_WARNING_DAYS"])
    if when is None:
        return None
    return {"date": format_date(when, "long"), "since": format_date(retention.counted_from(thing), "long")}


def _overview_modules(track: Track) -> list[dict]:
    rows = tracks.module_states(track)
    for row in rows:
        row["title"] = programme().module(row["number"]).text("title", current_locale())
        row["date"] = format_date(row["done_at"], "medium") if row["done_at"] else None
    return rows


@bp.post("/tracks/<int:track_id>/delete")
def delete_track(track_id: int):
    """Delete now: the track with her answers, messages and signals; her phone is told."""
    track = _track_or_404(track_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    squad_id = track.squad_id
    from ..realtime import tracks as track_rooms

    track_rooms.track_deleted(track)
    retention.delete_track(track, by=current_user)
    flash(_("The track and everything in it are deleted."), "info")
    return redirect(url_for("facilitator.squad", squad_id=squad_id))
