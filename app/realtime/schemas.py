"""The payload of every socket event a client may send, one schema per event (see docs/protocol.md).

Unknown fields, wrong types (strict: no "3" for 3, no true for 1), lone surrogates, ids out of range and
oversized strings are refused before a handler runs (app/realtime/guard.py).
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .guard import ClientId, Empty, Id, ItemId, Kind, Payload, Text


# --- participant: a girl's phone, in a run (group, one-to-one) or in her track ------------------

class AnswerIn(Payload):
    item: ItemId
    payload: dict[str, Any]
    client_id: ClientId


class SignalIn(Payload):
    kind: Kind


class SyncIn(Payload):
    """Phones and the projector send {}; a dashboard names its run."""

    run: Id | None = None


class ReplyIn(Payload):
    """Her track only: a message to her coach."""

    text: Text = Field(max_length=2000)  # the service allows 280; longer is refused there as too_long
    client_id: ClientId


# --- staff: the dashboard of a run --------------------------------------------------------------

class RunIn(Payload):
    run: Id


class CommandIn(Payload):
    run: Id
    action: str = Field(max_length=32)
    index: int | None = Field(default=None, ge=0, le=999)
    seconds: int | None = Field(default=None, ge=10, le=3600)
    close: bool | None = None  # timer_start: answers close when the time is up
    item: ItemId | None = None  # hide_results / hide_info: the message the counsellor saw (refused unless live)


class RemoveIn(Payload):
    run: Id
    participant: Id
    lock: bool = False


class HideIn(Payload):
    run: Id
    answer: Id
    hidden: bool


class AckSignalIn(Payload):
    run: Id
    signal: Id


class ScreenIn(Payload):
    run: Id
    action: str = Field(max_length=32)
    step: Literal[-1, 1] | None = None
    theme: str | None = Field(default=None, max_length=8)
    on: bool | None = None


class ApproveIn(Payload):
    run: Id
    answer: Id


class ApproveAllIn(Payload):
    run: Id
    item: ItemId


# --- staff: the coach's view of a track ---------------------------------------------------------

class TrackIn(Payload):
    track: Id


class ModuleIn(Payload):
    track: Id
    module: int = Field(ge=0, le=99)
    open: bool
    confirm_note: bool = False


class TrackMessageIn(Payload):
    track: Id
    text: Text = Field(max_length=2000)  # the service allows 500
    client_id: ClientId


class TrackAckSignalIn(Payload):
    track: Id
    signal: Id


class PauseIn(Payload):
    track: Id
    paused: bool


__all__ = ["Empty"]
