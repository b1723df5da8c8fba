"""The gate every Socket.IO event frame passes before any handler runs (issue 11, the attack on the app).

It refuses cheaply what no handler should ever see: an empty frame, an event name that is not a short string,
the reserved names (a client sending "connect" as an event would re-run the connect handler), more than one
argument, and a flood. The rate limit counts per *identity* (her participant or track token, a staff account,
a projector's run), not per connection: ten connections with one token share one budget.

python-socketio offers no hook before its dispatch, so the gate wraps the server's `_handle_event`
(see `install`); everything after it is the library's own path.
"""
from __future__ import annotations

import time
from collections import defaultdict, deque

from socketio import packet

RESERVED = frozenset({"connect", "disconnect", "connect_error", "message", "json", "*"})
MAX_NAME = 40
# Events per identity: a phone gets BURST events in WINDOW seconds; staff steer and re-sync more often.
WINDOW = 5.0
BURST = {"participant": 20, "presenter": 20, "facilitator": 60}

_identity: dict[str, str] = {}  # sid -> "participant:<id>", "facilitator:<id>", …
_recent: dict[str, deque] = defaultdict(deque)


def bind(sid: str, identity: str) -> None:
    """Called by the connect handler once it knows who this connection is."""
    _identity[sid] = identity


def identity_of(sid: str) -> str | None:
    return _identity.get(sid)


def sids_of(identity: str) -> list[str]:
    """This process's connections of one identity (to disconnect a signed-out staff member)."""
    return [sid for sid, who in list(_identity.items()) if who == identity]


def forget(sid: str) -> None:
    _identity.pop(sid, None)


def reset() -> None:
    """Forget every budget (tests: ids restart with each fresh database)."""
    _recent.clear()
    _identity.clear()


def reset_budget() -> None:
    """Forget the counted events only (tests that send many frames on purpose)."""
    _recent.clear()


_calls = 0
SWEEP_EVERY = 1000


def _sweep(now: float) -> None:
    """Budgets of identities quiet for a whole window are dropped, so a long day does not pile them up."""
    for identity in [who for who, stamps in _recent.items() if not stamps or now - stamps[-1] > WINDOW]:
        del _recent[identity]


def too_fast(identity: str) -> bool:
    global _calls
    kind = identity.split(":", 1)[0]
    now = time.monotonic()
    _calls += 1
    if _calls % SWEEP_EVERY == 0:
        _sweep(now)
    stamps = _recent[identity]
    while stamps and now - stamps[0] > WINDOW:
        stamps.popleft()
    if len(stamps) >= BURST.get(kind, 20):
        return True
    stamps.append(now)
    return False


def well_formed(data: object) -> bool:
    if not isinstance(data, list) or not 1 <= len(data) <= 2:
        return False
    name = data[0]
    return isinstance(name, str) and 0 < len(name) <= MAX_NAME and name not in RESERVED


def install(server) -> None:
    """Put the gate in front of the server's event dispatch (once per server object)."""
    if getattr(server, "_gps_gated", False):
        return
    dispatch = server._handle_event

    def gated(eio_sid, namespace, ack_id, data):
        namespace = namespace or "/"
        if not well_formed(data):
            return _refuse(server, eio_sid, namespace, ack_id, "wrong_shape")
        sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
        identity = _identity.get(sid)
        if identity is None:  # connected, but refused or not yet sorted: nothing to handle
            return _refuse(server, eio_sid, namespace, ack_id, "not_allowed")
        if too_fast(identity):
            return _refuse(server, eio_sid, namespace, ack_id, "slow_down")
        return dispatch(eio_sid, namespace, ack_id, data)

    server._handle_event = gated
    server._gps_gated = True


def _refuse(server, eio_sid, namespace, ack_id, code: str) -> None:
    """An acknowledgement when the client asked for one; otherwise the frame is simply dropped."""
    if ack_id is not None:
        server._send_packet(eio_sid, server.packet_class(packet.ACK, namespace=namespace, id=ack_id,
                                                         data=[{"ok": False, "error": code}]))
