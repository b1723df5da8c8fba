"""How a girl gets into her track and back into it (issues 5, 13): invitations, her phone's token, the way back.

Only hashes are stored: of the pending invitation, of the one she used (so tapping it again on the phone that
holds the track resumes it), of her phone's token and of her personal return code. One phone at a time: every
way in (an invitation, her return code) gives the browser a new token, so the earlier phone stops working.

The return code is shown to her once. Each way in spends it and clears its hash; her page then asks for a new
one (with her token) and gets it in that one answer, so the code itself is never stored. A coach's reset clears
the hash in the same way: her next visit shows a new code.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import utcnow
from ..models_tracks import Track
from ..refusals import Refused
from .participants import clean_pseudonym, hash_token


# Easy to read and type on an old phone: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V look-alikes (21 signs).
RETURN_CODE_ALPHABET = "ACEFHJKMNPRTVWXY34679"
RETURN_CODE_LENGTH = 10  # 21^10: 43.9 bits, shown as ABCD-EFGH-JK
RETURN_CODE_GROUPS = (4, 4, 2)


# --- invitations ---------------------------------------------------------------------------------

def issue_invitation(track: Track) -> str:
    """A fresh single-use invitation (128 bits); any earlier pending invitation stops working."""
    if track.is_closed:
        raise Refused("track_closed")
    token = secrets.token_urlsafe(16)
    track.invite_hash, track.invited_at = hash_token(token), utcnow()
    db.session.commit()
    return token


def invitation_expires_at(track: Track) -> datetime | None:
    """When the pending invitation stops working (an invitation from before issue 13 counts from the track's start)."""
    if track.invite_hash is None:
        return None
    return (track.invited_at or track.created_at) + timedelta(days=current_app.config["INVITATION_DAYS"])


def invitation_expired(track: Track) -> bool:
    expires = invitation_expires_at(track)
    return expires is not None and expires <= utcnow()


def _well_formed(token: object) -> bool:
    return isinstance(token, str) and 16 <= len(token) <= 64


def by_invitation(token: object) -> Track | None:
    """The track of a pending invitation that has not expired."""
    if not _well_formed(token):
        return None
    track = db.session.scalar(select(Track).where(Track.invite_hash == hash_token(token)))
    return None if track is None or invitation_expired(track) else track


def by_spent_invitation(token: object) -> Track | None:
    """The track whose invitation this was (she used it): her phone may still hold the track."""
    if not _well_formed(token):
        return None
    return db.session.scalar(select(Track).where(Track.spent_invite_hash == hash_token(token)))


def accept_invitation(token: object, raw_pseudonym: str | None, locale: str) -> tuple[Track, str]:
    """She joins (first time) or takes her track over on a new phone; returns the token her phone keeps.

    The invitation is spent and any earlier phone token stops working, in one commit.
    """
    track = by_invitation(token)
    if track is None:
        raise Refused("invitation_invalid")
    if track.is_closed:
        raise Refused("track_closed")
    if track.pseudonym is None:
        track.pseudonym = clean_pseudonym(raw_pseudonym or "")
        track.joined_at = utcnow()
    track.spent_invite_hash, track.invite_hash, track.locale = track.invite_hash, None, locale
    secret = _new_phone(track)
    _commit_or_refuse("invitation_invalid")  # the same invitation accepted twice at once
    return track, secret


def _new_phone(track: Track) -> str:
    """This browser gets the track: a new token, and her return code is spent (her page shows a new one)."""
    secret = secrets.token_urlsafe(24)
    track.token_hash, track.return_code_hash = hash_token(secret), None
    track.last_activity_at = utcnow()
    return secret


def _commit_or_refuse(code: str) -> None:
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Refused(code) from None


# --- her phone -----------------------------------------------------------------------------------

def by_token(token: object) -> Track | None:
    if not _well_formed(token):
        return None
    return db.session.scalar(select(Track).where(Track.token_hash == hash_token(token)))


def by_key(key: str) -> Track | None:
    if not key or len(key) > 32:
        return None
    return db.session.scalar(select(Track).where(Track.key == key))


def phone_of(key: object, token: object) -> Track | None:
    """Her track, when this token is the current phone's token of the track with this key."""
    track = by_token(token)
    return track if track is not None and track.key == key else None


def forget_phone(track: Track) -> str:
    """'Forget this phone': its token stops working; returns the old token hash (to tell its open pages).

    Her return code, if she has one, keeps working: it is her way back.
    """
    old_hash = track.token_hash
    track.token_hash = None
    db.session.commit()
    return old_hash


# --- her return code -----------------------------------------------------------------------------

def format_return_code(code: str) -> str:
    parts, start = [], 0
    for size in RETURN_CODE_GROUPS:
        parts.append(code[start:start + size])
        start += size
    return "-".join(parts)


def normalise_return_code(raw: object) -> str | None:
    """What she typed, without spaces and dashes and in capitals; None if it cannot be a return code."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    code = "".join(ch for ch in raw.upper() if ch not in " -._\t")
    if len(code) != RETURN_CODE_LENGTH or any(ch not in RETURN_CODE_ALPHABET for ch in code):
        return None
    return code


def looks_like_return_code(raw: object) -> bool:
    """Its length tells a return code (10 signs) from a run's code (6): the code page routes by it."""
    if not isinstance(raw, str) or len(raw) > 40:
        return False
    return len("".join(ch for ch in raw if ch not in " -._\t")) == RETURN_CODE_LENGTH


def _code_hash(code: str) -> str:
    """Keyed with the server's secret: a copy of the database alone is not enough to try all codes offline."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def issue_return_code(track: Track) -> str | None:
    """For her page, with her token: a new code when she has none (just joined, came back, or reset by her
    coach), shown this once; None when she already has one or the track is closed."""
    if track.return_code_hash is not None or track.is_closed:
        return None
    for _attempt in range(3):  # a collision of two 44-bit codes is as good as impossible; retry anyway
        code = "".join(secrets.choice(RETURN_CODE_ALPHABET) for _ in range(RETURN_CODE_LENGTH))
        track.return_code_hash = _code_hash(code)
        try:
            db.session.commit()
            return format_return_code(code)
        except StaleDataError:  # another page of hers asked at the same moment and got it
            db.session.rollback()
            return None
        except IntegrityError:
            db.session.rollback()
    return None


def come_back(raw: object) -> tuple[Track, str, str | None]:
    """Her return code, typed on a new phone: (track, new token, the old phone's token hash).

    Refused with one code ('return_code_invalid') for a wrong, reset or spent code and a closed track.
    """
    code = normalise_return_code(raw)
    track = None if code is None else db.session.scalar(
        select(Track).where(Track.return_code_hash == _code_hash(code)))
    if track is None or track.is_closed:
        raise Refused("return_code_invalid")
    old_hash = track.token_hash
    secret = _new_phone(track)
    _commit_or_refuse("return_code_invalid")
    return track, secret, old_hash


def reset_return_code(track: Track) -> None:
    """Her coach resets it: the old code stops working now; her page shows a new one the next time she opens it."""
    track.return_code_hash = None
    db.session.commit()


def return_code_state(track: Track) -> str:
    """For her coach: 'set' (she has one), 'next_visit' (her phone shows a new one when she opens her track),
    'none' (no phone and no code: only a new invitation gets her back)."""
    if track.return_code_hash is not None:
        return "set"
    return "next_visit" if track.token_hash is not None else "none"
