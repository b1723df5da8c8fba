"""Issue 11: channels follow the right to see. A coach's tab left open on a deleted track never hears of the
next track; a removed girl, a deleted run and a signed-out staff member leave their rooms at once."""
from __future__ import annotations

from app.extensions import socketio
from app.models import Participant, SquadMode
from app.services import runs, squads

from .conftest import csrf_from, join, login, make_facilitator, phone, received
from .test_run_flow import answer, command, staff_socket
from .test_tracks import coach_socket, create_track, girl_phone, join_track


def _delete_track(client, track_id: int) -> None:
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert client.post(f"/staff/tracks/{track_id}/delete", data={"csrf_token": csrf_from(page)}).status_code == 302


def test_a_coach_tab_on_a_deleted_track_hears_nothing_of_the_next_one(app):
    client = app.test_client()
    cleo = make_facilitator("cleo@example.org", "Cleo")  # no admin: she coaches only her own squads
    login(client, "cleo@example.org")
    mine = squads.create_squad(cleo, "Online", SquadMode.ONLINE_INDIVIDUAL)
    old_id, old_path = create_track(client, mine)
    girl_phone(app, *join_track(app, old_path))
    tab, _ = coach_socket(app, client, old_id)
    _delete_track(client, old_id)
    assert received(tab, "facilitator:track_deleted") == [{"track": old_id}]

    colleague = app.test_client()
    bo = make_facilitator("bo@example.org", "Bo")
    login(colleague, "bo@example.org")
    theirs = squads.create_squad(bo, "Online Bo", SquadMode.ONLINE_INDIVIDUAL)
    new_id, new_path = create_track(colleague, theirs)
    assert new_id != old_id
    her = girl_phone(app, *join_track(app, new_path, "Paarse Uil"))
    assert her.emit("participant:reply", {"text": "Hallo Bo", "client_id": "reply-000001"}, callback=True)["ok"]
    assert her.emit("participant:signal", {"kind": "talk"}, callback=True)["ok"]
    their_coach, _ = coach_socket(app, colleague, new_id)
    assert their_coach.emit("facilitator:track_message", {"track": new_id, "text": "Dag!", "client_id": "coach-000001"},
                            callback=True)["ok"]

    heard = [event["name"] for event in tab.get_received()]
    assert heard == []
    for event, data in [("facilitator:track_sync", {"track": old_id}), ("facilitator:track_sync", {"track": new_id}),
                        ("facilitator:track_message", {"track": new_id, "text": "Hoi", "client_id": "coach-000002"})]:
        assert tab.emit(event, data, callback=True) == {"ok": False, "error": "not_allowed"}


def test_a_removed_girl_gets_nothing_more_of_the_run(app, client, run):
    sock, _ = staff_socket(app, client, run)
    token = join(app.test_client(), run, "Gouden Zwaan")
    girl = phone(app, token)
    other = phone(app, join(app.test_client(), run, "Zilveren Maan"))
    command(sock, run, "start")
    person = Participant.query.filter_by(pseudonym="Gouden Zwaan").one()
    assert sock.emit("facilitator:remove", {"run": run.id, "participant": person.id, "lock": True}, callback=True)["ok"]
    assert not girl.is_connected()  # the server closed her connection…
    heard = [pkt["name"] for pkt in girl.queue]  # …after telling her (the test client keeps what came before)
    assert heard[-1] == "removed"
    answer(other, "m0-mood", {"value": 4})
    command(sock, run, "reveal_results")
    command(sock, run, "next")
    assert [pkt["name"] for pkt in girl.queue] == heard  # nothing of the run reached her afterwards
    assert not phone(app, token).is_connected()
    assert sock.emit("sync", {"run": run.id}, callback=True)["snapshot"]["run"]["door_open"] is False


def test_deleting_an_ended_run_tells_its_dashboards_and_empties_its_rooms(app, client, squad):
    run = runs.create_run(squad, 0)
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    command(sock, run, "start")
    command(sock, run, "end")
    assert received(girl, "ended")
    page = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    assert client.post(f"/staff/runs/{run.id}/delete", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert received(sock, "run:deleted") == [{"run": run.id}]
    assert received(girl, "run:deleted") == [{"run": run.id}]  # her inbox, still open after the end, forgets it
    assert sock.emit("sync", {"run": run.id}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert socketio.server.manager.rooms.get("/", {}).get(f"run:{run.id}:staff") in (None, {})


def test_logout_ends_every_copy_of_the_session_and_its_sockets(app, client, staff, run):
    sock, _ = staff_socket(app, client, run)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value, domain="localhost")
    assert copy.get("/staff/squads").status_code == 200
    page = client.get("/staff/squads").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    heard = [pkt["name"] for pkt in sock.queue]
    assert heard[-1] == "facilitator:signed_out" and not sock.is_connected()
    assert copy.get("/staff/squads").status_code == 302  # the old cookie no longer opens staff pages
    assert not socketio.test_client(app, flask_test_client=copy).is_connected()
    girl = phone(app, join(app.test_client(), run))
    girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    assert [pkt["name"] for pkt in sock.queue] == heard


def test_a_deactivated_colleague_hears_nothing_more(app, client, staff, squad):
    bo = make_facilitator("bo@example.org", "Bo")
    theirs = squads.create_squad(bo, "Groep Bo", SquadMode.GROUP)
    run = runs.create_run(theirs, 0)
    bo_browser = app.test_client()
    login(bo_browser, "bo@example.org")
    bo_tab, _ = staff_socket(app, bo_browser, run)
    page = client.get("/colleagues").get_data(as_text=True)
    assert client.post(f"/colleagues/{bo.id}/active/0", data={"csrf_token": csrf_from(page)}).status_code == 302
    heard = [pkt["name"] for pkt in bo_tab.queue]
    assert heard[-1] == "facilitator:signed_out" and not bo_tab.is_connected()
    girl = phone(app, join(app.test_client(), run))
    girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    assert [pkt["name"] for pkt in bo_tab.queue] == heard
    assert bo_browser.get("/staff/squads").status_code == 302
    assert not socketio.test_client(app, flask_test_client=bo_browser).is_connected()


def test_a_server_that_starts_shows_nobody_online_from_before(app, run):
    """A crash leaves girls marked online; a single server that starts clears that (they say so again)."""
    from app.services import participants

    girl = phone(app, join(app.test_client(), run))
    person = Participant.query.one()
    assert person.connected
    participants.forget_presence()
    assert not Participant.query.one().connected
    assert girl.is_connected()


def test_deleting_a_closed_track_reaches_her_open_page(app, client, staff):
    online = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, online)
    her = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_close", {"track": track_id}, callback=True)["ok"]
    _delete_track(client, track_id)
    assert received(her, "track:deleted") == [{"track": track_id}]
