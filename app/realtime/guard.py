"""One way in for every socket event: its payload is checked against the event's schema, a refusal is one
exception, and whatever goes wrong the client gets `{ok: false, error}`, never a traceback (issue 11).

    @handles("facilitator:hide", HideIn)
    def on_hide(data: dict): ...   # data holds exactly the fields HideIn allows

A schema forbids unknown fields, takes no string for a number (strict), refuses lone surrogates and ids out
of range; a payload that does not fit is `wrong_shape`. Nothing of the payload is ever logged.
"""
from __future__ import annotations

import logging
from functools import wraps
from typing import Annotated, Any, Callable, NamedTuple

from flask import session
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db, socketio
from ..refusals import Refused

log = logging.getLogger("gps.realtime")

MAX_ID = 2**31 - 1


def error(code: str) -> dict:
    return {"ok": False, "error": code}


def _no_surrogates(text: str) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ValueError("lone surrogate")
    return text


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_no_surrogates)]
ClientId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
ItemId = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$")]
Kind = Annotated[str, Field(max_length=16)]


class Payload(BaseModel):
    """Base of every event schema."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Empty(Payload):
    """Events without arguments (a sync, say) accept only an empty object or nothing."""


def _parse(schema: type[Payload] | None, args: tuple) -> Any:
    """The checked payload as a plain dict of the fields the client sent (handlers read it with .get)."""
    if len(args) > 1:
        raise Refused("wrong_shape")
    raw = args[0] if args else None
    if schema is None:
        return raw
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise Refused("wrong_shape")
    try:
        return schema.model_validate(raw).model_dump(exclude_unset=True)
    except (ValidationError, RecursionError):
        raise Refused("wrong_shape") from None


class Registered(NamedTuple):
    audience: str | None
    formerly: tuple[str, ...]


# Every event by its current name, with its audience and old names: the naming rule is checked on it (issue 14).
EVENTS: dict[str, Registered] = {}


def handles(name: str, schema: type[Payload] | None = None, *, audience: str | None = None,
            loads: Callable[[dict], Any] | None = None, formerly: tuple[str, ...] = ()) -> Callable:
    """Register `handler(data)` for the event `name` of one audience (realtime/audiences.py; None: every
    audience); it returns the acknowledgement or raises Refused. Another audience gets `not_allowed`.
    `loads`: finds the object the event names and that this caller may act on (her run, the coach's track);
    None means `not_allowed`, and the handler is called as `handler(data, obj)`.
    `formerly`: the event's old names, still accepted for one release (a phone whose page stayed open)."""
    def register(handler: Callable) -> Callable:
        @wraps(handler)
        def entry(*args):
            if audience is not None and session.get("gps_role") != audience:
                return error("not_allowed")
            try:
                data = _parse(schema, args)
                if loads is None:
                    return handler(data)
                named = loads(data)
                return handler(data, named) if named is not None else error("not_allowed")
            except Refused as refused:  # any layer's refusal: the service, the model, the schema
                return error(refused.code) if refused.index is None else {**error(refused.code),
                                                                          "index": refused.index}
            except SQLAlchemyError:
                db.session.rollback()
                log.warning("database error in %s", name)  # the payload is never logged
                return error("busy")

        EVENTS[name] = Registered(audience, formerly)
        for each_name in (name, *formerly):
            socketio.on(each_name)(entry)
        return handler
    return register


def on_unexpected(exc: Exception) -> dict:
    """Flask-SocketIO's last resort for any handler: one line (event name and error type), never the payload."""
    from flask import request

    db.session.rollback()
    log.error("socket handler failed: %s in %s", type(exc).__name__, getattr(request, "event", {}).get("message"))
    return error("server_error")
