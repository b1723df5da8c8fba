"""Issue 11: "I want to talk" is never swallowed. A repeat of the same kind merges into the unseen one; a
signal of another kind always arrives, in every way of working (group run, offline one-to-one, online track)."""
from __future__ import annotations

import itertools

import pytest

from app.models import SquadMode
from app.services import runs, squads

from .conftest import join, phone, received
from .test_run_flow import staff_socket
from .test_tracks import coach_socket, create_track, girl_phone, join_track

KINDS = ("talk", "break", "talk_after")
PAIRS = list(itertools.product(KINDS, KINDS))


def _run_way(app, client, staff, mode):
    squad = squads.create_squad(staff, "Leefgroep", mode)
    run = runs.create_run(squad, 0)
    staff_sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    return girl, "signal", staff_sock, "facilitator:signal", lambda: staff_sock.emit(
        "sync", {"run": run.id}, callback=True)["snapshot"]["signals"]


def _track_way(app, client, staff):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    return girl, "participant:signal", coach, "facilitator:track_signal", lambda: coach.emit(
        "facilitator:track_sync", {"track": track_id}, callback=True)["snapshot"]["signals"]


@pytest.fixture(params=["group", "offline_individual", "online_track"])
def way(request, app, client, staff):
    if request.param == "online_track":
        return _track_way(app, client, staff)
    return _run_way(app, client, staff, SquadMode(request.param))


@pytest.mark.parametrize("first,second", PAIRS)
def test_every_pair_of_kinds_reaches_staff(way, first, second):
    girl, event, staff_sock, staff_event, open_signals = way
    assert girl.emit(event, {"kind": first}, callback=True) == {"ok": True}
    assert girl.emit(event, {"kind": second}, callback=True) == {"ok": True}
    live = [row["kind"] for row in received(staff_sock, staff_event)]
    expected = [first] if first == second else [first, second]
    assert live == expected
    assert sorted(row["kind"] for row in open_signals()) == sorted(expected)


def test_a_seen_signal_does_not_swallow_the_next_of_its_kind(app, client, staff):
    squad = squads.create_squad(staff, "Leefgroep", SquadMode.GROUP)
    run = runs.create_run(squad, 0)
    staff_sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    first = received(staff_sock, "facilitator:signal")[0]
    assert staff_sock.emit("facilitator:ack_signal", {"run": run.id, "signal": first["id"]}, callback=True)["ok"]
    assert received(girl, "signal:seen") == [{"kind": "talk"}]
    girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    again = received(staff_sock, "facilitator:signal")
    assert len(again) == 1 and again[0]["id"] != first["id"] and again[0]["kind"] == "talk"
