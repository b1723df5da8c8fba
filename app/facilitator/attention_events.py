"""Socket events of the attention view (issue 13): the state, a low check-in seen, a track's messages read.
Any staff page sends them (the nav count lives on every one); each acts on the caller's own items only."""
from __future__ import annotations

from flask_login import current_user

from ..realtime import attention as live
from ..realtime import error, role
from ..realtime.attention_schemas import AttentionSyncIn, CheckinSeenIn, TrackReadIn
from ..realtime.guard import handles
from ..refusals import Refused
from ..services import attention, tracks


def _facilitator() -> None:
    if role() != "facilitator" or not current_user.is_authenticated:
        raise Refused("not_allowed")


@handles("facilitator:attention_sync", AttentionSyncIn, audience="facilitator",
         formerly=("attention:sync",))
def on_sync(_data):
    """{} -> ack {ok, state: {count, items}}."""
    _facilitator()
    return {"ok": True, "state": attention.state_for(current_user.id)}


@handles("facilitator:attention_seen", CheckinSeenIn, audience="facilitator",
         formerly=("attention:seen",))
def on_seen(data):
    """{answer} -> ack {ok}: staff saw this low check-in; it leaves the view on all her pages."""
    _facilitator()
    owner_id = attention.mark_checkin_seen(current_user, data["answer"])
    live.checkin_seen(owner_id, data["answer"])
    return {"ok": True}


@handles("facilitator:track_read", TrackReadIn, audience="facilitator",
         formerly=("coach:read",))
def on_read(data):
    """{track} -> ack {ok, read: n}: the coach has the track open and in view; the girl's messages are read."""
    _facilitator()
    track = tracks.owned_track(current_user, data["track"])
    if track is None:
        return error("not_allowed")
    owner_id = track.squad.owner_id
    read = attention.mark_messages_read(track)
    if read:
        live.notify(owner_id)
    return {"ok": True, "read": read}
