"""Support inside a track: short messages between coach and girl, and her signals (the run's Signal rows)."""
from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Facilitator, Participant, Run, Signal, utcnow
from ..models_tracks import SupportMessage, Track
from ..refusals import Refused
from . import signals, tracks
from .answers import CLIENT_ID
from .signals import KINDS, unseen_like
from .tracks import note_activity

# A coach writes a few sentences; she answers briefly, like a chat reply.
LIMITS = {"coach": 500, "girl": 280}


def clean_text(raw: object, limit: int) -> str:
    if not isinstance(raw, str):
        raise Refused("wrong_shape")
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        raise Refused("empty_message")
    if len(text) > limit:
        raise Refused("too_long")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise Refused("control_chars")
    return text


def send_message(track: Track, sender: str, raw: object, client_id: object,
                 author: Facilitator | None = None) -> tuple[SupportMessage, bool]:
    """Store one message; returns (message, is_new). A resend with the same client id is stored once."""
    if track.is_closed:
        raise Refused("track_closed")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise Refused("bad_client_id")
    text = clean_text(raw, LIMITS[sender])
    existing = _by_client_id(track, sender, client_id)
    if existing is not None:
        return existing, False
    message = SupportMessage(track_id=track.id, sender=sender, body=text, client_id=client_id,
                             author_id=author.id if author is not None else None)
    db.session.add(message)
    note_activity(track)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _by_client_id(track, sender, client_id), False
    return message, True


def _by_client_id(track: Track, sender: str, client_id: str) -> SupportMessage | None:
    """Coach and girl make their ids apart: a coach message never counts as a resend of the girl's."""
    query = select(SupportMessage).where(SupportMessage.track_id == track.id, SupportMessage.sender == sender,
                                         SupportMessage.client_id == client_id)
    return db.session.scalar(query)


def send_signal(track: Track, kind: object) -> tuple[Signal, bool]:
    """Her signal to her coach: a Signal of the run of the module she is in, merged by the one rule
    (signals.unseen_like) across all the modules of her track. Allowed while paused: she may always call."""
    if kind not in KINDS:
        raise Refused("unknown_kind")
    if track.is_closed:
        raise Refused("track_closed")
    from_her = Signal.participant_id.in_(select(Participant.id).where(Participant.track_id == track.id))
    earlier = unseen_like(Signal, from_her, kind)
    if earlier is not None:
        return earlier, False
    run = tracks.signal_run(track)
    return signals.send(run, tracks.girl_in(run), kind)


def acknowledge(track: Track, signal_id: object) -> Signal:
    signal = db.session.get(Signal, signal_id) if isinstance(signal_id, int) else None
    if signal is None or signal.run_id not in {run.id for run in track.runs}:
        raise Refused("unknown_signal")
    signal.acknowledged_at = signal.acknowledged_at or utcnow()
    db.session.commit()
    return signal


def open_signals(track: Track) -> list[Signal]:
    query = (select(Signal).join(Run, Signal.run_id == Run.id)
             .where(Run.track_id == track.id, Signal.acknowledged_at.is_(None)).order_by(Signal.id))
    return list(db.session.scalars(query))
