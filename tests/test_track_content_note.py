"""Issue 11: module 5 in a track passes through the same content note as a run of it."""
from __future__ import annotations

from app.extensions import db
from app.models import SquadMode
from app.models_tracks import Track
from app.programme import programme
from app.services import squads

from .test_tracks import coach_socket, create_track, girl_phone, join_track


def open_module(coach, track_id, number, **extra):
    return coach.emit("facilitator:track_module", {"track": track_id, "module": number, "open": True, **extra}, callback=True)


def test_the_coach_sees_the_content_note_and_confirms_before_module_five_opens(app, client, staff):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    refused = open_module(coach, track_id, 5)
    assert refused["ok"] is False and refused["error"] == "content_note_required"
    assert refused["note"] == programme().module(5).text("content_note", "en")
    db.session.expire_all()
    assert 5 not in db.session.get(Track, track_id).open_modules
    assert open_module(coach, track_id, 5, confirm_note=True)["ok"]
    db.session.expire_all()
    assert 5 in db.session.get(Track, track_id).open_modules
    assert open_module(coach, track_id, 5)["ok"]  # already open: nothing to confirm again
    for number in range(5):  # only module 5 left open: its first message is hers now, after its notice
        assert coach.emit("facilitator:track_module", {"track": track_id, "module": number, "open": False}, callback=True)["ok"]
    snapshot = girl.emit("participant:sync", {}, callback=True)["snapshot"]
    assert snapshot["notice"] == programme().module(5).text("girl_notice", "en")
    current = next(item for item in snapshot["inbox"] if item["id"] == snapshot["track"]["current"])
    assert current["module"] == 5


def test_a_module_without_a_content_note_opens_at_once(app, client, staff):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_module", {"track": track_id, "module": 2, "open": False}, callback=True)["ok"]
    assert open_module(coach, track_id, 2)["ok"]
