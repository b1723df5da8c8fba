"""Who a Socket.IO connection is (issue 14): each blueprint registers its audience here, realtime/ imports none.

An audience is one kind of client: a girl's phone (in a run or in her track), a projector, staff.
It says what it comes with in `auth` (or the staff login session), how it connects, which session key names
who it is (the rate limit and sign-out count per identity), how it answers `sync`, and what happens when it goes.
Handlers name the audiences they serve (`@handles(..., audience=...)`): an event of another audience is refused
with `not_allowed` before its handler runs, so handlers need not check who is asking.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import session


@dataclass(frozen=True)
class Audience:
    name: str                      # the session's gps_role
    # The field of `auth` it connects with, or its fields (a girl's phone: her run's token or her track's);
    # None: the staff login session.
    auth_key: str | tuple[str, ...] | None
    identity_key: str | None       # the session key naming who it is
    connect: Callable[..., bool]   # called with the value of its key and the whole auth; raises ConnectionRefusedError
    sync: Callable[[dict], dict] | None = None
    disconnect: Callable[[], None] | None = None

    def key_in(self, auth: dict) -> str | None:
        """The first of its auth fields this connection brings."""
        keys = (self.auth_key,) if isinstance(self.auth_key, str) else self.auth_key or ()
        return next((key for key in keys if key in auth), None)


_audiences: dict[str, Audience] = {}


def register(audience: Audience) -> Audience:
    _audiences[audience.name] = audience
    return audience


def by_auth(auth: dict) -> Audience | None:
    """The audience whose key this connection brings; staff (no key) last."""
    for audience in _audiences.values():
        if audience.key_in(auth) is not None:
            return audience
    return next((a for a in _audiences.values() if a.auth_key is None), None)


def current() -> Audience | None:
    """The audience of the connection handling this event."""
    return _audiences.get(session.get("gps_role"))


def identity() -> str:
    """Who this connection is, for the gate: '<audience>:<id>'."""
    audience = current()
    if audience is None:
        return "unknown:"
    if audience.identity_key is None:
        from flask_login import current_user

        return f"{audience.name}:{current_user.id}"
    return f"{audience.name}:{session.get(audience.identity_key)}"
