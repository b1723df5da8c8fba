"""Individual online tracks: one girl, her coach, modules 0–5 at her own pace (issue 5).

The track's messages are the programme's items marked for individual work, in programme order. Her next
message is the first one she has not answered in a module the coach has opened; her answer is final and
shows the blogger's info at once. Invitations are single use: only the hash of the pending invitation and
of her phone's token are stored, and accepting a new invitation replaces the old token (takeover).
"""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import item_types
from ..extensions import db
from ..models import Facilitator, Squad, SquadMode, utcnow
from ..models_tracks import Track, TrackAnswer
from ..programme import programme
from .answers import CLIENT_ID
from .participants import clean_pseudonym, hash_token
from .runs import note_activity  # one rule for runs and tracks (retention counts from the last activity)


class TrackRefused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- the programme as one girl walks it ---------------------------------------------------------

def sequence() -> list:
    """Every item meant for individual work, modules 0–5 in order."""
    return [item for item in programme().items() if "individual" in item.modes]


def items_of_module(number: int) -> list:
    return [item for item in sequence() if item.module_number == number]


def default_open_modules() -> list[int]:
    """Modules without a content note are open from the start; the coach opens the others after a talk."""
    return sorted(n for n, module in programme().modules.items() if not module.content_note)


# --- creating, inviting, joining -----------------------------------------------------------------

def create_track(squad: Squad) -> tuple[Track, str]:
    """A new track in an online-individual squad; returns it with its first invitation token."""
    if squad.mode is not SquadMode.ONLINE_INDIVIDUAL:
        raise TrackRefused("not_online_squad")
    if squad.archived_at is not None:
        raise TrackRefused("squad_archived")
    track = Track(squad_id=squad.id, key=secrets.token_urlsafe(9), open_modules=default_open_modules())
    db.session.add(track)
    db.session.flush()
    return track, issue_invitation(track)


def issue_invitation(track: Track) -> str:
    """A fresh single-use invitation (128 bits); any earlier pending invitation stops working."""
    if track.is_closed:
        raise TrackRefused("track_closed")
    token = secrets.token_urlsafe(16)
    track.invite_hash = hash_token(token)
    db.session.commit()
    return token


def by_invitation(token: object) -> Track | None:
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return db.session.scalar(select(Track).where(Track.invite_hash == hash_token(token)))


def accept_invitation(token: object, raw_pseudonym: str | None, locale: str) -> tuple[Track, str]:
    """She joins (first time) or takes her track over on a new phone; returns the token her phone keeps.

    The invitation is spent and any earlier phone token stops working, in one commit.
    """
    track = by_invitation(token)
    if track is None:
        raise TrackRefused("invitation_invalid")
    if track.is_closed:
        raise TrackRefused("track_closed")
    if track.pseudonym is None:
        track.pseudonym = clean_pseudonym(raw_pseudonym or "")
        track.joined_at = utcnow()
    secret = secrets.token_urlsafe(24)
    track.token_hash, track.invite_hash, track.locale = hash_token(secret), None, locale
    track.last_activity_at = utcnow()
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):  # the same invitation accepted twice at once
        db.session.rollback()
        raise TrackRefused("invitation_invalid") from None
    return track, secret


def by_token(token: object) -> Track | None:
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return db.session.scalar(select(Track).where(Track.token_hash == hash_token(token)))


def by_key(key: str) -> Track | None:
    if not key or len(key) > 32:
        return None
    return db.session.scalar(select(Track).where(Track.key == key))


# --- who may see it ------------------------------------------------------------------------------

def may_coach(facilitator: Facilitator, track: Track) -> bool:
    """The owner of the track's squad, or an admin; never another coach."""
    return facilitator.is_authenticated and (track.squad.owner_id == facilitator.id or facilitator.is_admin)


def owned_track(facilitator: Facilitator, track_id: object) -> Track | None:
    track = db.session.get(Track, track_id) if isinstance(track_id, int) else None
    return track if track is not None and may_coach(facilitator, track) else None


def tracks_of(squad: Squad) -> list[Track]:
    return list(db.session.scalars(select(Track).where(Track.squad_id == squad.id).order_by(Track.created_at)))


# --- the coach's moves ---------------------------------------------------------------------------

def set_module_open(track: Track, number: object, open_: bool, *, note_confirmed: bool = False) -> Track:
    """Open or lock a module for her. A module with a content note (module 5) opens only once the coach has
    seen the note and confirmed, as before a run of it (`content_note_required` otherwise)."""
    if track.is_closed:
        raise TrackRefused("track_closed")
    if not isinstance(number, int) or programme().module(number) is None:
        raise TrackRefused("unknown_module")
    if open_ and programme().module(number).content_note and not note_confirmed \
            and number not in (track.open_modules or []):
        raise TrackRefused("content_note_required")
    modules = set(track.open_modules or [])
    modules = modules | {number} if open_ else modules - {number}
    track.open_modules, track.last_activity_at = sorted(modules), utcnow()
    _commit()
    return track


def close(track: Track) -> Track:
    if track.is_closed:
        raise TrackRefused("track_closed")
    track.closed_at, track.invite_hash = utcnow(), None
    _commit()
    return track


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise TrackRefused("busy") from None


# --- her progress and answers --------------------------------------------------------------------

def answered(track: Track) -> dict[str, TrackAnswer]:
    return {a.item_id: a for a in track.answers}


def current_item(track: Track, done: dict | None = None):
    """Her next message: the first unanswered item in an open module, or None (all done, or waiting)."""
    done = answered(track) if done is None else done
    opened = set(track.open_modules or [])
    return next((i for i in sequence() if i.module_number in opened and i.id not in done), None)


def submit_answer(track: Track, item_id: object, payload: object, client_id: object) -> tuple[TrackAnswer, bool]:
    """Store her answer to her current message; returns (answer, is_new). A resend changes nothing."""
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise TrackRefused("bad_client_id")
    done = answered(track)
    existing = done.get(item_id) if isinstance(item_id, str) else None
    if existing is not None:
        if existing.client_id == client_id:
            return existing, False
        raise TrackRefused("already_answered")
    item = _answerable(track, item_id, done)
    try:
        value = item_types.validate_answer(item, payload)
    except item_types.AnswerError as error:
        raise TrackRefused(error.code) from None
    return _store(track, item.id, value, client_id)


def _answerable(track: Track, item_id: object, done: dict):
    if track.is_closed:
        raise TrackRefused("track_closed")
    item = programme().item(item_id) if isinstance(item_id, str) else None
    if item is None or "individual" not in item.modes:
        raise TrackRefused("unknown_item")
    if item.module_number not in (track.open_modules or []):
        raise TrackRefused("module_locked")
    current = current_item(track, done)
    if current is None or current.id != item.id:
        raise TrackRefused("item_not_live")
    return item


def _store(track: Track, item_id: str, value: dict, client_id: str) -> tuple[TrackAnswer, bool]:
    answer = TrackAnswer(track_id=track.id, item_id=item_id, value=value, skipped=item_types.is_skip(value),
                         client_id=client_id)
    db.session.add(answer)
    note_activity(track)
    try:
        db.session.commit()
    except IntegrityError:  # a resend of hers raced this one: the first one stands
        db.session.rollback()
        stored = db.session.scalar(select(TrackAnswer).where(TrackAnswer.track_id == track.id,
                                                             TrackAnswer.item_id == item_id))
        if stored is None or stored.client_id != client_id:
            raise TrackRefused("already_answered") from None
        return stored, False
    return answer, True


def progress(track: Track) -> dict:
    """Numbers for "message 4 of 17": position of her current message in the whole track."""
    done = answered(track)
    current = current_item(track, done)
    items = sequence()
    position = items.index(current) + 1 if current else None
    return {"total": len(items), "done": len(done), "position": position,
            "current": current.id if current else None, "finished": len(done) == len(items)}


def module_states(track: Track) -> list[dict]:
    """Per module: done (with the date of her last answer), in_progress, open (not begun) or locked."""
    done, opened, rows = answered(track), set(track.open_modules or []), []
    for number in sorted(programme().modules):
        items = items_of_module(number)
        mine = [done[i.id] for i in items if i.id in done]
        if items and len(mine) == len(items):
            state = "done"
        elif number not in opened:
            state = "locked"
        else:
            state = "in_progress" if mine else "open"
        rows.append({"number": number, "state": state, "open": number in opened, "answered": len(mine),
                     "total": len(items), "done_at": max(a.created_at for a in mine) if state == "done" else None})
    return rows
