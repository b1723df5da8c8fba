"""Socket.IO: one connection handler that sorts clients by audience, rooms and broadcasts.

Rooms (DESIGN.md §4): run:<id> everyone, run:<id>:staff, run:<id>:screen, participant:<id>, and
run:<id>:lang:<locale> so a broadcast reaches each phone in her own language.
"""
from __future__ import annotations

import time
from collections import defaultdict, deque

from flask import request, session

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


def error(code: str) -> dict:
    return {"ok": False, "error": code}


OK = {"ok": True}

# Events per connection: a phone gets at most BURST events in WINDOW seconds.
BURST, WINDOW = 20, 5.0
_recent: dict[str, deque] = defaultdict(deque)


def too_fast() -> bool:
    now, stamps = time.monotonic(), _recent[request.sid]
    while stamps and now - stamps[0] > WINDOW:
        stamps.popleft()
    stamps.append(now)
    return len(stamps) > BURST


def forget_connection() -> None:
    _recent.pop(request.sid, None)


def role() -> str | None:
    return session.get("gps_role")


def load_handlers() -> None:
    """Import the audience handlers so they register on the shared Socket.IO server."""
    from . import connection  # noqa: F401
    from ..facilitator import events as staff_events  # noqa: F401
    from ..participant import events as participant_events  # noqa: F401
    from ..presenter import events as screen_events  # noqa: F401
    from ..participant import track_events as girl_track_events  # noqa: F401  (issue 5)
    from ..facilitator import track_events as coach_track_events  # noqa: F401  (issue 5)


__all__ = ["socketio", "room_all", "room_staff", "room_screen", "room_lang", "room_participant", "error", "OK"]
