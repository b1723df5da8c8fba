"""Issue 5: individual work, through the Flask test client and the Flask-SocketIO test client.

Online: a girl's personal track with her coach. Offline: one girl beside her counsellor, optionally self-paced.
"""
from __future__ import annotations

import re

import pytest

from app.extensions import db, socketio
from app.models import Answer, Participant, Run, Signal, SquadMode
from app.models_tracks import SupportMessage, Track
from app.services import runs, squads, tracks

from .conftest import csrf_from, join, login, make_facilitator, phone, received
from app.refusals import Refused


# --- helpers: the real pages, as the coach and the girl use them --------------------------------

def track_answers(track_id: int):
    """Her answers: the answers of the module runs of her track (issue 13)."""
    return db.session.query(Answer).join(Participant).filter(Participant.track_id == track_id)


def track_signals(track_id: int):
    return db.session.query(Signal).join(Run, Signal.run_id == Run.id).filter(Run.track_id == track_id)

def create_track(client, squad) -> tuple[int, str]:
    """The coach creates a track; returns its id and the invitation path shown on the track page."""
    page = client.get(f"/staff/squads/{squad.id}").get_data(as_text=True)
    made = client.post(f"/staff/squads/{squad.id}/tracks", data={"csrf_token": csrf_from(page)})
    assert made.status_code == 302
    track_id = int(made.headers["Location"].rsplit("/", 1)[-1])
    return track_id, invitation_path(client, track_id)


def invitation_path(client, track_id: int) -> str:
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    return re.search(r'id="invitation-link">http://gps\.test(/i/[A-Za-z0-9_-]+)<', page).group(1)


def new_invitation(client, track_id: int) -> str:
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    client.post(f"/staff/tracks/{track_id}/invitation", data={"csrf_token": csrf_from(page)})
    return invitation_path(client, track_id)


def accept(girl, path: str, pseudonym: str = "Groene Egel", language: str = "en"):
    page = girl.get(path)
    return girl.post(path, data={"pseudonym": pseudonym, "language": language,
                                 "csrf_token": csrf_from(page.get_data(as_text=True))})


def join_track(app, path: str, pseudonym: str = "Groene Egel") -> tuple[str, str]:
    """She opens her invitation on her phone; returns (token her phone keeps, track key of her inbox page)."""
    girl = app.test_client()
    response = accept(girl, path, pseudonym)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    inbox = girl.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r'data-token="([^"]+)"', inbox).group(1), re.search(r'data-key="([^"]+)"', inbox).group(1)


def girl_phone(app, token: str, key: str):
    return socketio.test_client(app, auth={"track": token, "key": key})


def coach_socket(app, client, track_id: int):
    sock = socketio.test_client(app, flask_test_client=client)
    ack = sock.emit("facilitator:track_join", {"track": track_id}, callback=True)
    assert ack["ok"], ack
    return sock, ack["snapshot"]


_ids = iter(range(10**6))


def answer(sock, item, payload, client_id=None):
    client_id = client_id or f"answer-{next(_ids):06d}"
    return sock.emit("participant:answer", {"item": item, "payload": payload, "client_id": client_id}, callback=True)


def first_snapshot(sock) -> dict:
    return received(sock, "track:snapshot")[-1]


def one_to_one(module: int) -> list[str]:
    """The ids of a module's messages in one-to-one work, in order (the content decides, not the test)."""
    return [item.id for item in tracks.items_of_module(module)]


# --- the online flow ------------------------------------------------------------------------------

def test_squad_form_offers_online_individual(client, staff):
    page = client.get("/staff/squads").get_data(as_text=True)
    assert 'value="online_individual"' in page
    made = client.post("/staff/squads", data={"name": "Op afstand", "mode": "online_individual",
                                              "csrf_token": csrf_from(page)})
    squad_page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "create-track" in squad_page and "Prepare and start" not in squad_page


def test_invitation_is_stored_as_a_hash_and_shown_as_qr(client, online_squad):
    track_id, path = create_track(client, online_squad)
    token = path.rsplit("/", 1)[-1]
    track = db.session.get(Track, track_id)
    assert len(token) >= 22 and track.invite_hash != token and token not in (track.invite_hash or "")
    svg = client.get(f"/staff/tracks/{track_id}/invitation.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data and "no-store" in svg.headers["Cache-Control"]


def test_online_flow_across_two_days(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    token, key = join_track(app, path)
    coach, snap = coach_socket(app, client, track_id)
    assert snap["joined"] and snap["track"]["pseudonym"] == "Groene Egel" and not snap["invitation_pending"]

    # Day one: two messages, then the phone goes to sleep.
    day1 = girl_phone(app, token, key)
    first = first_snapshot(day1)
    total = first["track"]["total"]
    assert first["track"]["position"] == 1 and [i["id"] for i in first["inbox"]] == ["m0-mood"]
    assert first["inbox"][0]["info"] is None and first["inbox"][0]["solution"] is None
    ack = answer(day1, "m0-mood", {"value": 4})
    assert ack["ok"] and ack["answer"] == {"value": 4}
    mood = ack["snapshot"]["inbox"][0]
    assert mood["info"] and mood["answer"] == {"value": 4}  # the blogger's info right after her answer
    second, third = one_to_one(0)[1:3]
    assert ack["snapshot"]["track"]["position"] == 2 and ack["snapshot"]["track"]["current"] == second
    live = received(coach, "facilitator:track_answer")
    assert live[-1]["answer"]["item"] == "m0-mood" and live[-1]["progress"]["done"] == 1
    assert answer(day1, second, {"skip": True})["ok"]
    assert received(coach, "facilitator:track_answer")[-1]["progress"] == {
        "total": total, "done": 2, "answered": 2, "position": 3, "current": third, "finished": False,
        "waiting": None, "module_done": None}
    day1.disconnect()

    # Day two: the same phone, the same token, no typing: she continues where she stopped and can reread.
    day2 = girl_phone(app, token, key)
    assert day2.is_connected()
    again = first_snapshot(day2)
    assert again["track"]["position"] == 3 and again["track"]["done"] == 2
    assert [i["id"] for i in again["inbox"]] == ["m0-mood", second, third]
    assert again["inbox"][0]["info"] and again["inbox"][1]["answer"] == {"skip": True}
    assert track_answers(track_id).count() == 2


def test_answers_are_idempotent_and_final(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    first = answer(girl, "m0-mood", {"value": 3}, "same-client-id")
    again = answer(girl, "m0-mood", {"value": 3}, "same-client-id")
    assert first["ok"] and again["ok"]
    assert answer(girl, "m0-mood", {"value": 1}, "other-client-id") == {"ok": False, "error": "already_answered"}
    assert answer(girl, "m1-pressure", {"text": "hoi"})["error"] == "item_not_live"  # not her current message
    assert answer(girl, "m0-good-friend", {"words": []})["ok"] is False
    assert track_answers(track_id).one().value == {"value": 3}


def test_invitation_reuse_is_refused(app, client, online_squad):
    _track_id, path = create_track(client, online_squad)
    join_track(app, path)
    other = app.test_client()
    assert other.get(path).status_code == 410
    assert "no longer works" in other.get(path).get_data(as_text=True)
    csrf = csrf_from(other.get("/code").get_data(as_text=True))
    response = other.post(path, data={"pseudonym": "Indringer", "language": "en", "csrf_token": csrf})
    assert response.status_code == 410
    assert other.get("/i/" + "x" * 22).status_code == 410


def test_token_takeover_old_token_stops_working(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    old_token, key = join_track(app, path)
    old_phone = girl_phone(app, old_token, key)
    assert answer(old_phone, "m0-mood", {"value": 5})["ok"]

    fresh_path = new_invitation(client, track_id)
    assert fresh_path != path
    takeover_page = app.test_client().get(fresh_path).get_data(as_text=True)
    assert "Groene Egel" in takeover_page and 'name="pseudonym" value="Groene Egel"' in takeover_page
    new_token, new_key = join_track(app, fresh_path, pseudonym="")
    assert new_key == key and new_token != old_token

    assert received(old_phone, "track:revoked") == [{"track": track_id}]
    assert answer(old_phone, "m0-good-friend", {"skip": True}) == {"ok": False, "error": "token_revoked"}
    assert not girl_phone(app, old_token, key).is_connected()
    new_phone = girl_phone(app, new_token, new_key)
    snap = first_snapshot(new_phone)
    assert snap["me"]["pseudonym"] == "Groene Egel" and snap["track"]["done"] == 1 and snap["track"]["position"] == 2
    assert app.test_client().get(fresh_path).status_code == 410  # spent as well
    coach, _ = coach_socket(app, client, track_id)
    old_phone.get_received()
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "Alles goed?", "client_id": "after-takeover"},
                      callback=True)["ok"]
    assert [m["text"] for m in received(new_phone, "track:message")] == ["Alles goed?"]
    assert old_phone.get_received() == []  # the old phone hears nothing more


def test_takeover_needs_the_form_token(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    join_track(app, path)
    fresh_path = new_invitation(client, track_id)
    forged = app.test_client().post(fresh_path, data={"language": "en"})
    assert forged.status_code == 400 and app.test_client().get(fresh_path).status_code == 200


def test_a_token_of_another_track_is_refused(app, client, online_squad):
    _one, path_one = create_track(client, online_squad)
    _two, path_two = create_track(client, online_squad)
    token_one, key_one = join_track(app, path_one, "Gele Vlinder")
    _token_two, key_two = join_track(app, path_two, "Rode Vos")
    assert not girl_phone(app, token_one, key_two).is_connected()
    assert not girl_phone(app, "y" * 32, key_one).is_connected()
    mine = first_snapshot(girl_phone(app, token_one, key_one))
    assert mine["me"]["pseudonym"] == "Gele Vlinder" and "Rode Vos" not in str(mine)


def test_modules_locked_and_unlocked(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, snap = coach_socket(app, client, track_id)
    states = {m["number"]: m["state"] for m in snap["modules"]}
    assert states[5] == "locked" and states[0] == "open"  # module 5 only after a talk
    assert answer(girl, "m5-phases", {"order": ["recruit"]})["error"] == "module_locked"

    assert answer(girl, "m0-mood", {"value": 2})["ok"]
    second, module_one = one_to_one(0)[1], one_to_one(1)[0]
    # Locking the module she is in holds her there (issue 13): it never moves her ahead to module 1.
    ack = coach.emit("facilitator:track_module", {"track": track_id, "module": 0, "open": False}, callback=True)
    assert ack["ok"] and ack["snapshot"]["track"]["current"] is None
    pushed = first_snapshot(girl)
    assert pushed["track"]["current"] is None and pushed["track"]["waiting"] == "locked"
    assert "m0-mood" in [i["id"] for i in pushed["inbox"]]  # what she answered stays to reread
    assert answer(girl, second, {"skip": True})["error"] == "module_locked"
    assert answer(girl, module_one, {"value": 3})["error"] == "item_not_live"

    assert coach.emit("facilitator:track_module", {"track": track_id, "module": 0, "open": True}, callback=True)["ok"]
    assert first_snapshot(girl)["track"]["current"] == second
    assert answer(girl, second, {"skip": True})["ok"]
    assert coach.emit("facilitator:track_module", {"track": track_id, "module": 9, "open": True},
                      callback=True)["error"] == "unknown_module"


def test_support_messages_both_ways(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    sent = coach.emit("facilitator:track_message", {"track": track_id, "text": "Hoi, goed bezig! Hoe gaat het?",
                                        "client_id": "coach-msg-1"}, callback=True)
    assert sent["ok"] and sent["message"]["from"] == "coach"
    arrived = received(girl, "track:message")
    assert arrived == [{"id": sent["message"]["id"], "from": "coach", "text": "Hoi, goed bezig! Hoe gaat het?",
                        "at": sent["message"]["at"], "read": False}]
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "Hoi, goed bezig! Hoe gaat het?",
                                        "client_id": "coach-msg-1"}, callback=True)["ok"]  # a resend, stored once
    reply = girl.emit("participant:reply", {"text": "Goed, dank je", "client_id": "girl-msg-1"}, callback=True)
    assert reply["ok"] and received(coach, "facilitator:track_message")[-1]["text"] == "Goed, dank je"
    assert db.session.query(SupportMessage).filter_by(track_id=track_id).count() == 2
    snap = coach.emit("facilitator:track_sync", {"track": track_id}, callback=True)["snapshot"]
    assert [(m["from"], m["text"]) for m in snap["messages"]] == [
        ("coach", "Hoi, goed bezig! Hoe gaat het?"), ("girl", "Goed, dank je")]


def test_too_long_messages_are_refused(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "a" * 500, "client_id": "coach-ok-1"},
                      callback=True)["ok"]
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "a" * 501, "client_id": "coach-long-1"},
                      callback=True) == {"ok": False, "error": "too_long"}
    assert girl.emit("participant:reply", {"text": "b" * 281, "client_id": "girl-long-1"},
                     callback=True) == {"ok": False, "error": "too_long"}
    assert girl.emit("participant:reply", {"text": "   ", "client_id": "girl-empty-1"}, callback=True)["error"] == "empty_message"
    assert db.session.query(SupportMessage).filter_by(track_id=track_id).count() == 1


def test_closed_track_refuses_messages_and_answers_but_stays_readable(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    token, key = join_track(app, path)
    girl = girl_phone(app, token, key)
    assert answer(girl, "m0-mood", {"value": 4})["ok"]
    coach, _ = coach_socket(app, client, track_id)
    closed = coach.emit("facilitator:track_close", {"track": track_id}, callback=True)
    assert closed["ok"] and closed["snapshot"]["track"]["state"] == "closed"
    assert first_snapshot(girl)["track"]["state"] == "closed"
    assert db.session.get(Track, track_id).closed_at is not None
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "Nog iets", "client_id": "late-coach-1"},
                      callback=True) == {"ok": False, "error": "track_closed"}
    assert girl.emit("participant:reply", {"text": "Hallo?", "client_id": "late-girl-1"},
                     callback=True) == {"ok": False, "error": "track_closed"}
    assert answer(girl, "m0-good-friend", {"skip": True})["error"] == "track_closed"
    assert coach.emit("facilitator:track_close", {"track": track_id}, callback=True)["error"] == "track_closed"
    reread = first_snapshot(girl_phone(app, token, key))
    assert reread["inbox"][0]["info"] and reread["track"]["state"] == "closed"
    assert db.session.query(SupportMessage).count() == 0


def test_talk_signal_reaches_the_coach_and_stays_until_acknowledged(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    live = received(coach, "facilitator:track_signal")
    assert len(live) == 1 and live[0]["pseudonym"] == "Groene Egel"
    later, _ = coach_socket(app, client, track_id)  # the coach opens the view later: still highlighted
    snap = later.emit("facilitator:track_sync", {"track": track_id}, callback=True)["snapshot"]
    assert [s["id"] for s in snap["signals"]] == [live[0]["id"]]
    assert coach.emit("facilitator:track_ack_signal", {"track": track_id, "signal": live[0]["id"]}, callback=True) == {"ok": True}
    assert received(girl, "track:signal_seen") == [{"kind": "talk"}]
    assert coach.emit("facilitator:track_sync", {"track": track_id}, callback=True)["snapshot"]["signals"] == []


def test_another_coach_is_refused_and_an_admin_is_not(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    make_facilitator("bo@example.org", "Bo")
    other = app.test_client()
    login(other, "bo@example.org")
    assert other.get(f"/staff/tracks/{track_id}").status_code == 404
    assert other.get(f"/staff/tracks/{track_id}/invitation.svg").status_code == 404
    sock = socketio.test_client(app, flask_test_client=other)
    for event, data in [("facilitator:track_join", {}), ("facilitator:track_sync", {}), ("facilitator:track_close", {}),
                        ("facilitator:track_module", {"module": 5, "open": True}),
                        ("facilitator:track_message", {"text": "hoi", "client_id": "intruder-1"})]:
        assert sock.emit(event, {"track": track_id, **data}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert received(girl, "track:message") == [] and db.session.get(Track, track_id).closed_at is None
    assert girl.emit("facilitator:track_sync", {"track": track_id}, callback=True)["error"] == "not_allowed"  # nor the girl
    # the owner of the squad is an admin in these fixtures; a non-admin owner reaches her own track
    assert client.get(f"/staff/tracks/{track_id}").status_code == 200


def test_programme_overview_shows_module_states(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    for item in one_to_one(0):  # all of module 0, then the first message of module 1
        assert answer(girl, item, {"skip": True})["ok"]
    assert answer(girl, one_to_one(1)[0], {"skip": True})["ok"]
    page = client.get(f"/staff/squads/{online_squad.id}").get_data(as_text=True)
    assert "Groene Egel" in page
    rows = dict(re.findall(r"<td>(\d) · [^<]*</td>\s*<td class=\"status-(\w+)\"", page))
    assert rows == {"0": "done", "1": "in_progress", "2": "open", "3": "open", "4": "open", "5": "locked"}
    assert "completed on" in page


def test_deleting_a_track_deletes_what_it_holds(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    assert answer(girl, "m0-mood", {"value": 4})["ok"]
    assert girl.emit("participant:reply", {"text": "hoi", "client_id": "girl-msg-9"}, callback=True)["ok"]
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True)["ok"]
    db.session.delete(db.session.get(Track, track_id))
    db.session.commit()
    assert [q.count() for q in (track_answers(track_id), db.session.query(SupportMessage), track_signals(track_id),
                                db.session.query(Run).filter_by(track_id=track_id))] == [0, 0, 0, 0]


def test_tracks_only_in_online_squads(client, squad):
    with pytest.raises(Refused):
        tracks.create_track(squad)
    page = client.get(f"/staff/squads/{squad.id}").get_data(as_text=True)
    assert client.post(f"/staff/squads/{squad.id}/tracks", data={"csrf_token": csrf_from(page)}).status_code == 400


# --- offline individual --------------------------------------------------------------------------

@pytest.fixture()
def individual_run(staff):
    squad = squads.create_squad(staff, "Eén op één", SquadMode.OFFLINE_INDIVIDUAL)
    return runs.create_run(squad, 0)


def staff_socket(app, client, run):
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.emit("facilitator:join", {"run": run.id}, callback=True)["ok"]
    return sock


def command(sock, run, action):
    return sock.emit("facilitator:command", {"run": run.id, "action": action}, callback=True)


def test_offline_individual_takes_one_girl_and_needs_no_projector(app, client, individual_run):
    page = client.get(f"/staff/runs/{individual_run.id}").get_data(as_text=True)
    assert "projector view" not in page and 'data-action="self_paced"' in page
    join(app.test_client(), individual_run, "Paarse Uil")
    second = app.test_client()
    form = second.get(f"/j/{individual_run.join_token}").get_data(as_text=True)
    refused = second.post(f"/j/{individual_run.join_token}", data={
        "pseudonym": "Tweede Meisje", "language": "en", "csrf_token": csrf_from(form)})
    assert refused.status_code == 200 and "for one girl only" in refused.get_data(as_text=True)
    assert db.session.query(Participant).filter_by(run_id=individual_run.id).count() == 1


def test_offline_individual_self_paced(app, client, individual_run):
    sock = staff_socket(app, client, individual_run)
    girl = phone(app, join(app.test_client(), individual_run, "Paarse Uil"))
    assert command(sock, individual_run, "start")["ok"]
    ack = command(sock, individual_run, "self_paced")
    assert ack["ok"] and ack["snapshot"]["self_paced"] and ack["snapshot"]["individual"]
    girl.get_received()
    assert girl.emit("participant:answer", {"item": "m0-mood", "payload": {"value": 4}, "client_id": "client-0001"},
                     callback=True)["ok"]
    snap = received(girl, "snapshot")[-1]
    mood = snap["inbox"][0]
    assert mood["info"] and mood["revealed"] == {"results": True, "info": True}  # info right after her answer
    # and the next message (group-only messages, like the agreements, are left out of a one-to-one run)
    second = one_to_one(0)[1]
    assert snap["run"]["current"] == second and len(snap["inbox"]) == 2
    assert received(sock, "facilitator:changed")
    # the counsellor takes the pace back: her skip no longer moves on or reveals
    assert command(sock, individual_run, "staff_paced")["ok"]
    assert girl.emit("participant:answer", {"item": second, "payload": {"skip": True}, "client_id": "client-0002"},
                     callback=True)["ok"]
    fresh = db.session.get(type(individual_run), individual_run.id, populate_existing=True)
    assert fresh.current_index == 1 and not runs.is_revealed(fresh, second, "info")


def test_self_paced_skip_moves_on_too(app, client, staff):
    run = runs.create_run(squads.create_squad(staff, "Eén op één", SquadMode.OFFLINE_INDIVIDUAL), 1)
    sock = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run, "Paarse Uil"))
    command(sock, run, "start")
    command(sock, run, "self_paced")
    first, second = one_to_one(1)[:2]
    assert girl.emit("participant:answer", {"item": first, "payload": {"skip": True}, "client_id": "client-0001"},
                     callback=True)["ok"]
    assert received(girl, "snapshot")[-1]["run"]["current"] == second


def test_self_paced_only_for_offline_individual(app, client, run):
    sock = staff_socket(app, client, run)
    assert command(sock, run, "self_paced") == {"ok": False, "error": "not_individual"}


def test_offline_individual_run_leaves_out_group_only_items(app, client, staff):
    from app.models import SquadMode
    from app.services import runs, squads

    group = runs.create_run(squads.create_squad(staff, "Groep", SquadMode.GROUP), 0)
    alone = runs.create_run(squads.create_squad(staff, "Eén", SquadMode.OFFLINE_INDIVIDUAL), 0)
    group_only = [i.id for i in runs.module_of(group).items if "individual" not in i.modes]
    assert group_only  # module 0 has its group agreements
    assert [i.id for i in runs.items_of(group)] == [i.id for i in runs.module_of(group).items]
    assert not set(group_only) & {i.id for i in runs.items_of(alone)}
