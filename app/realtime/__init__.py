"""Socket.IO: one connection handler that sorts clients by audience, rooms and broadcasts.

Rooms (DESIGN.md §4): run:<id> everyone, run:<id>:staff, run:<id>:screen, participant:<id>, and
run:<id>:lang:<locale> so a broadcast reaches each phone in her own language.
"""
from __future__ import annotations

from flask import session

from ..extensions import socketio


def room_all(run_id: int) -> str:
    return f"run:{run_id}"


def room_staff(run_id: int) -> str:
    return f"run:{run_id}:staff"


def room_screen(run_id: int) -> str:
    return f"run:{run_id}:screen"


def room_lang(run_id: int, locale: str) -> str:
    return f"run:{run_id}:lang:{locale}"


def room_participant(participant_id: int) -> str:
    return f"participant:{participant_id}"


def room_staff_member(facilitator_id: int) -> str:
    """Every connection of one staff member: signed out together (logout, deactivation, new password)."""
    return f"staff:{facilitator_id}"


def error(code: str) -> dict:
    return {"ok": False, "error": code}


OK = {"ok": True}

def role() -> str | None:
    return session.get("gps_role")


def load_handlers() -> None:
    """The shared handlers (connect, sync, the last resort); each blueprint's `events` module registers its
    own audience and events (imported by the app factory with its blueprint)."""
    from . import connection  # noqa: F401
    from .guard import on_unexpected

    socketio.on_error_default(on_unexpected)
    socketio.on("*")(_unknown_event)


def _unknown_event(_name=None, *_args):
    """An event no audience handles: answered, never dispatched further (its payload is not looked at)."""
    return error("unknown_event")


def guard_server(server) -> None:
    """The gate in front of every handler: frame shape, reserved names, rate limit per identity."""
    from . import gate

    gate.install(server)


__all__ = ["socketio", "room_all", "room_staff", "room_screen", "room_lang", "room_participant", "error", "OK"]
