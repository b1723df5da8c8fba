"""Issue 11, "what the attack found": every event of every audience, sent with wrong types, missing and
extra fields, extra arguments, lone surrogates, ids out of range, nested and huge payloads, reserved and
malformed event names. Each gets `{ok: false, error}` (or is dropped), nothing is written, no traceback."""
from __future__ import annotations

import json
import logging

import pytest
from socketio import packet

from app.extensions import db, socketio
from app.models import Answer, AuditEntry, Participant, Signal, SquadMode
from app.models_tracks import SupportMessage
from app.realtime import gate
from app.services import runs, squads

from .conftest import join, phone
from .test_run_flow import staff_socket
from .test_tracks import coach_socket, create_track, girl_phone, join_track

def _every_event() -> list[str]:
    """Every event the server handles, old names included: a new event is fuzzed without anyone adding it here."""
    from app import create_app
    from config import TestConfig

    create_app(TestConfig)  # registers every blueprint's events
    names = {name for name, _handler, namespace in socketio.handlers if namespace == "/"}
    return sorted(names - {"connect", "disconnect", "*"})


EVENTS = _every_event()


def test_the_fuzzed_events_are_all_of_them():
    assert {"phone:answer", "answer", "facilitator:track_pause", "facilitator:track_read", "track:answer",
            "facilitator:attention_sync", "facilitator:command", "staff:command", "sync"} <= set(EVENTS)


def _nested(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


BAD_PAYLOADS = [
    "text", 17, True, [1, 2], 1.5,
    {"run": "1"}, {"run": True}, {"run": 2**63}, {"run": -1}, {"run": 1.0},
    {"track": 2**64}, {"participant": [1]}, {"answer": {"id": 1}},
    {"item": "\ud800", "payload": {"text": "x"}, "client_id": "abcdefgh12"},
    {"item": "m0-mood", "payload": {"text": "\ud800"}, "client_id": "abcdefgh12"},
    {"text": "Hoi \ud800", "client_id": "abcdefgh12"},
    {"track": 1, "text": "\udfff", "client_id": "abcdefgh12"},
    {"run": 1, "action": ["start"]}, {"run": 1, "action": {"x": 1}}, {"run": 1, "action": "start", "extra": 1},
    {"kind": ["talk"]}, {"kind": "talk", "more": True}, {"kind": "x" * 5000},
    {"item": "m0-mood", "payload": _nested(400), "client_id": "abcdefgh12"},
    {"run": 1, "action": "goto", "index": 10**12},
]


def raw_frame(client, data: list):
    """Send any frame the protocol can carry, acknowledged, as text a real client could write."""
    client.callback_counter += 1
    frame = f"{packet.EVENT}{client.callback_counter}{json.dumps(data)}"
    socketio.server._handle_eio_message(client.eio_sid, frame)
    ack, client.acks = client.acks, None
    return ack["args"][0] if ack else None


@pytest.fixture()
def everyone(app, client, staff):
    group = squads.create_squad(staff, "Groep", SquadMode.GROUP)
    run = runs.create_run(group, 0)
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    screen = socketio.test_client(app, auth={"screen": run.screen_token})
    online = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, online)
    her = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    return {"staff": sock, "phone": girl, "screen": screen, "track phone": her, "coach": coach}


def _written() -> tuple:
    return tuple(db.session.query(model).count() for model in
                 (Answer, Signal, Participant, SupportMessage, AuditEntry))


def test_malformed_payloads_are_refused_on_every_event(everyone, caplog):
    before = _written()
    caplog.set_level(logging.WARNING)
    for who, client in everyone.items():
        for event in EVENTS:
            for payload in BAD_PAYLOADS:
                gate.reset_budget()  # every frame reaches its handler: the flood limit is tested apart
                ack = raw_frame(client, [event, payload])
                assert ack is None or ack.get("ok") is False, (who, event, payload, ack)
            ack = raw_frame(client, [event, {"run": 1}, {"second": "argument"}])
            assert ack == {"ok": False, "error": "wrong_shape"}, (who, event)
    db.session.expire_all()
    assert _written() == before
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.mark.parametrize("frame", [[], [{"dict": "as name"}], [""], ["x" * 100], ["connect", {"token": "x"}],
                                   ["disconnect"], ["message", "hi"], [None], [17, {}]])
def test_malformed_and_reserved_event_names_never_reach_a_handler(everyone, frame, caplog):
    girl = everyone["phone"]
    caplog.set_level(logging.WARNING)
    assert raw_frame(girl, frame) == {"ok": False, "error": "wrong_shape"}
    assert girl.is_connected()
    assert girl.emit("sync", {}, callback=True)["ok"]  # still the same phone, same audience
    assert not [r for r in caplog.records if r.exc_info]


def test_unknown_events_get_an_answer(everyone):
    assert everyone["phone"].emit("facilitator:everything", {}, callback=True) == {"ok": False, "error": "unknown_event"}


def test_a_flood_of_one_token_over_many_connections_shares_one_budget(app, run):
    token = join(app.test_client(), run)
    phones = [phone(app, token) for _ in range(10)]
    acks = [p.emit("sync", {}, callback=True) for p in phones for _ in range(5)]
    assert sum(1 for a in acks if a.get("ok")) <= 20
    assert acks[-1] == {"ok": False, "error": "slow_down"}
