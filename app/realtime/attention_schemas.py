"""Payloads of the attention view's events (issue 13), checked by the guard like every other event
(app/realtime/guard.py; the protocol is in docs/protocol.md)."""
from __future__ import annotations

from .guard import Empty, Id, Payload


class AttentionSyncIn(Empty):
    """`facilitator:attention_sync` takes nothing: the state is always the caller's own."""


class CheckinSeenIn(Payload):
    answer: Id


class TrackReadIn(Payload):
    track: Id
