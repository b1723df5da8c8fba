"""Issue 4 through the Flask test client and the Flask-SocketIO test client."""
from __future__ import annotations

import re

import pytest

from app.extensions import db, socketio
from app.models import Answer, Participant, Signal, Squad
from app.programme import programme
from app.services import runs

from .conftest import csrf_from, join, make_facilitator, phone, received


def staff_socket(app, client, run):
    sock = socketio.test_client(app, flask_test_client=client)
    ack = sock.emit("facilitator:join", {"run": run.id}, callback=True)
    assert ack["ok"], ack
    return sock, ack["snapshot"]


def command(sock, run, action, **extra):
    return sock.emit("facilitator:command", {"run": run.id, "action": action, **extra}, callback=True)


def answer(sock, item, payload, client_id="client-0001"):
    return sock.emit("participant:answer", {"item": item, "payload": payload, "client_id": client_id}, callback=True)


def test_squad_lifecycle(client, staff):
    page = client.get("/staff/squads").get_data(as_text=True)
    response = client.post("/staff/squads", data={"name": "Groep Zon", "mode": "group", "csrf_token": csrf_from(page)})
    squad_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Groep Zon" in squad_page and squad_page.count("module-row") == 6
    squad_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    client.post(f"/staff/squads/{squad_id}/rename", data={"name": "Groep Maan", "csrf_token": csrf_from(page)})
    client.post(f"/staff/squads/{squad_id}/archive/1", data={"csrf_token": csrf_from(page)})
    listing = client.get("/staff/squads").get_data(as_text=True)
    parts = re.split(r"<h2[^>]*>\s*Archived\s*</h2>", listing, maxsplit=1)
    assert len(parts) == 2, "no Archived section on the squads page"
    active, archived = parts
    assert "Groep Maan" not in active and "Groep Maan" in archived  # moved from the list to the archive
    assert db.session.get(Squad, squad_id).archived_at is not None


def test_starting_a_run_shows_lobby_with_qr_link_and_code(client, squad):
    prepare = client.get(f"/staff/squads/{squad.id}/modules/0/start")
    response = client.post(f"/staff/squads/{squad.id}/modules/0/start",
                           data={"csrf_token": csrf_from(prepare.get_data(as_text=True))})
    run = runs.open_run_of(squad)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/j/{run.join_token}" in page and "qr.svg" in page
    assert len(run.join_token) >= 22 and len(run.join_code) == 6
    assert set(run.join_code) <= set(runs.CODE_ALPHABET)
    svg = client.get(f"/staff/runs/{run.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_module_five_shows_a_content_note_before_starting(client, squad):
    page = client.get(f"/staff/squads/{squad.id}/modules/5/start").get_data(as_text=True)
    note = programme().module(5).text("content_note", "en")
    assert "content-note" in page and note[:40] in page


def test_whole_flow_join_answer_reveal(app, client, run):
    sock, snap = staff_socket(app, client, run)
    assert snap["run"]["state"] == "lobby"
    girl_client = app.test_client()
    token = join(girl_client, run, "Paarse Uil")
    girl = phone(app, token)
    first = received(girl, "snapshot")[0]
    assert first["run"]["state"] == "lobby" and first["me"]["pseudonym"] == "Paarse Uil" and first["inbox"] == []
    assert command(sock, run, "start")["ok"]
    update = received(girl, "update")[-1]
    item = update["item"]
    assert item["id"] == "m0-mood" and item["solution"] is None and item["info"] is None
    ack = answer(girl, "m0-mood", {"value": 4})
    assert ack == {"ok": True, "item": "m0-mood", "answer": {"value": 4}}
    arrived = received(sock, "facilitator:answer")[-1]
    assert arrived["answer"]["pseudonym"] == "Paarse Uil" and arrived["counts"]["answered"] == 1
    assert command(sock, run, "reveal_info")["ok"]
    revealed = received(girl, "update")[-1]["item"]
    assert revealed["revealed"] == {"results": True, "info": True} and revealed["info"]
    assert answer(girl, "m0-mood", {"value": 2}, "client-0002") == {"ok": False, "error": "answers_closed"}


def test_retries_store_one_answer_and_changes_update_it(app, client, run):
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    command(sock, run, "start")
    for _ in range(3):
        assert answer(girl, "m0-mood", {"value": 3}, "same-client-id")["ok"]
    assert answer(girl, "m0-mood", {"value": 5}, "second-client-id")["answer"] == {"value": 5}
    rows = Answer.query.all()
    assert len(rows) == 1 and rows[0].value == {"value": 5}
    assert len(received(sock, "facilitator:answer")) == 2  # the retries changed nothing


def test_skip_is_counted_apart(app, client, run):
    sock, _ = staff_socket(app, client, run)
    girls = [phone(app, join(app.test_client(), run, name)) for name in ("Rode Vos", "Witte Uil", "Roze Ster")]
    command(sock, run, "start")
    answer(girls[0], "m0-mood", {"value": 4})
    answer(girls[1], "m0-mood", {"skip": True})
    counts = received(sock, "facilitator:answer")[-1]["counts"]
    assert counts == {"joined": 3, "answered": 1, "skipped": 1, "thinking": 1}


def test_reconnect_gets_snapshot_with_her_answers(app, client, run):
    sock, _ = staff_socket(app, client, run)
    token = join(app.test_client(), run)
    girl = phone(app, token)
    command(sock, run, "start")
    answer(girl, "m0-mood", {"value": 2})
    command(sock, run, "next")
    girl.disconnect()
    again = phone(app, token)
    snap = received(again, "snapshot")[0]
    assert [i["id"] for i in snap["inbox"]] == ["m0-mood", snap["run"]["current"]]
    assert snap["inbox"][0]["answer"] == {"value": 2}


def test_languages_get_their_own_broadcast(app, client, run):
    sock, _ = staff_socket(app, client, run)
    dutch = phone(app, join(app.test_client(), run, "Groene Vos", "nl"))
    french = phone(app, join(app.test_client(), run, "Renard vert", "fr"))
    command(sock, run, "start")
    item = programme().module(0).items[0]
    assert received(dutch, "update")[-1]["item"]["question"] == item.text("question", "nl")
    assert received(french, "update")[-1]["item"]["question"] == item.text("question", "fr")


def test_lock_door_remove_and_rejoin_refused(app, client, run):
    sock, _ = staff_socket(app, client, run)
    her_browser = app.test_client()
    token = join(her_browser, run, "Gouden Zwaan", "en")
    girl = phone(app, token)
    command(sock, run, "lock")
    late = app.test_client()
    page = late.get(f"/j/{run.join_token}").get_data(as_text=True)
    refused = late.post(f"/j/{run.join_token}", data={"pseudonym": "Late Uil", "language": "nl",
                                                      "csrf_token": csrf_from(page)})
    assert "closed the door" in refused.get_data(as_text=True)
    person = Participant.query.filter_by(pseudonym="Gouden Zwaan").one()
    assert sock.emit("facilitator:remove", {"run": run.id, "participant": person.id}, callback=True)["ok"]
    assert [pkt["name"] for pkt in girl.queue][-1] == "removed" and not girl.is_connected()
    assert not phone(app, token).is_connected()
    command(sock, run, "unlock")
    page = her_browser.get(f"/j/{run.join_token}").get_data(as_text=True)
    again = her_browser.post(f"/j/{run.join_token}", data={"pseudonym": "Nieuwe Naam", "language": "en",
                                                          "csrf_token": csrf_from(page)}).get_data(as_text=True)
    assert "took you out of this session" in again
    assert Participant.query.filter_by(pseudonym="Nieuwe Naam").count() == 0


def test_bad_pseudonyms_are_refused_kindly(app, run):
    girl = app.test_client()
    for pseudonym, message in [("x" * 500, "2 to 20 characters"), ("<b>bold</b>", "Use only letters"),
                               ("", "2 to 20 characters")]:
        page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
        html = girl.post(f"/j/{run.join_token}", data={"pseudonym": pseudonym, "language": "nl",
                                                      "csrf_token": csrf_from(page)}).get_data(as_text=True)
        assert message in html and "<b>bold</b>" not in html
    assert Participant.query.count() == 0


def test_same_pseudonym_twice_is_refused(app, run):
    join(app.test_client(), run, "Blauwe Vos")
    girl = app.test_client()
    page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
    html = girl.post(f"/j/{run.join_token}", data={"pseudonym": "blauwe vos", "language": "nl",
                                                  "csrf_token": csrf_from(page)}).get_data(as_text=True)
    assert "already uses that nickname" in html  # English speaks of a nickname (glossary)


def test_markup_in_answers_is_stored_as_text_and_escaped(app, client, squad):
    run = runs.create_run(squad, 1)
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    command(sock, run, "start")
    open_index = next(n for n, i in enumerate(programme().module(1).items) if i.type == "open")
    command(sock, run, "goto", index=open_index)
    item_id = programme().module(1).items[open_index].id
    ack = answer(girl, item_id, {"text": "<script>alert(1)</script>"})
    assert ack["ok"] and ack["answer"]["text"] == "<script>alert(1)</script>"


@pytest.mark.parametrize("payload,code", [
    ({"value": 9}, "out_of_range"), ({"choice": "x"}, "wrong_shape"), ("nonsense", "wrong_shape"),
])
def test_wrong_answers_are_refused_and_not_stored(app, client, run, payload, code):
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    command(sock, run, "start")
    ack = answer(girl, "m0-mood", payload)
    assert ack["ok"] is False and ack["error"]
    assert Answer.query.count() == 0


def test_answer_to_an_item_that_is_not_live(app, client, run):
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    assert answer(girl, "m0-mood", {"value": 3})["error"] == "item_not_live"  # lobby
    command(sock, run, "start")
    assert answer(girl, "m0-agreements", {"choices": ["a"]})["error"] == "item_not_live"
    assert girl.emit("participant:answer", "not a dict", callback=True)["error"] == "wrong_shape"


def test_participant_cannot_send_staff_events(app, client, run):
    girl = phone(app, join(app.test_client(), run))
    assert girl.emit("facilitator:command", {"run": run.id, "action": "start"}, callback=True)["error"] == "not_allowed"
    assert girl.emit("facilitator:join", {"run": run.id}, callback=True)["error"] == "not_allowed"
    assert runs.by_join_token(run.join_token).state.value == "lobby"


def test_staff_cannot_steer_another_counsellors_run(app, run):
    other = app.test_client()
    make_facilitator(email="bea@example.org", name="Bea")
    from .conftest import login

    login(other, email="bea@example.org")
    sock = socketio.test_client(app, flask_test_client=other)
    assert sock.emit("facilitator:join", {"run": run.id}, callback=True)["error"] == "not_allowed"
    assert sock.emit("facilitator:command", {"run": run.id, "action": "start"}, callback=True)["error"] == "not_allowed"
    assert other.get(f"/staff/runs/{run.id}").status_code == 404


def test_unknown_token_and_anonymous_connections_are_refused(app):
    assert not socketio.test_client(app, auth={"token": "x" * 30}).is_connected()
    assert not socketio.test_client(app).is_connected()


def test_ended_run(app, client, run):
    sock, _ = staff_socket(app, client, run)
    token = join(app.test_client(), run)
    girl = phone(app, token)
    command(sock, run, "start")
    assert command(sock, run, "end")["ok"]
    assert received(girl, "ended")
    assert command(sock, run, "next")["error"] == "run_ended"
    assert answer(girl, "m0-mood", {"value": 3})["error"] == "run_ended"
    late = app.test_client().get(f"/j/{run.join_token}").get_data(as_text=True)
    assert "has ended" in late
    assert client.get(f"/staff/runs/{run.id}").status_code == 200


def test_wrong_and_expired_codes_answer_the_same(app, client, run):
    girl = app.test_client()
    page = girl.get("/code").get_data(as_text=True)
    good = girl.post("/code", data={"code": run.join_code.lower(), "csrf_token": csrf_from(page)})
    assert good.status_code == 302 and run.join_token in good.headers["Location"]
    wrong = girl.post("/code", data={"code": "AAAAAA", "csrf_token": csrf_from(page)}).get_data(as_text=True)
    code = run.join_code
    sock, _ = staff_socket(app, client, run)
    command(sock, run, "start")
    command(sock, run, "end")
    expired = girl.post("/code", data={"code": code, "csrf_token": csrf_from(page)}).get_data(as_text=True)
    assert "This code does not work" in wrong and "This code does not work" in expired


def test_code_entry_is_rate_limited(app):
    girl = app.test_client()
    page = girl.get("/code").get_data(as_text=True)
    statuses = [girl.post("/code", data={"code": "AAAAAA", "csrf_token": csrf_from(page)}).status_code
                for _ in range(21)]  # issue 11: 20 wrong guesses a minute per address
    assert statuses[-1] == 429 and statuses[0] == 200


def test_hidden_answers_never_reach_the_projector(app, client, squad):
    run = runs.create_run(squad, 0)
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run))
    command(sock, run, "start")
    words = [n for n, item in enumerate(runs.items_of(run)) if item.type == "words"][0]
    command(sock, run, "goto", index=words)
    item = runs.items_of(run)[words]
    others = [phone(app, join(app.test_client(), run, f"Meisje {n}")) for n in range(4)]  # enough for results
    answer(girl, item.id, {"words": ["eerlijk"]})
    for n, other in enumerate(others):
        answer(other, item.id, {"words": ["lief"]}, client_id=f"client-100{n}")
    row = Answer.query.filter_by(participant_id=Participant.query.filter_by(pseudonym="Blauwe Vos").one().id).one()
    assert sock.emit("facilitator:hide", {"run": run.id, "answer": row.id, "hidden": True}, callback=True)["ok"]
    command(sock, run, "reveal_results")
    screen = socketio.test_client(app, auth={"screen": run.screen_token})
    snap = received(screen, "presenter:snapshot")[0]
    assert "eerlijk" not in str(snap) and "pseudonym" not in str(snap) and "Blauwe Vos" not in str(snap)


def test_signal_reaches_staff_only(app, client, run):
    sock, _ = staff_socket(app, client, run)
    screen = socketio.test_client(app, auth={"screen": run.screen_token})
    girl = phone(app, join(app.test_client(), run, "Zilveren Maan"))
    other = phone(app, join(app.test_client(), run, "Oranje Egel"))
    for c in (screen, other):
        c.get_received()
    for _ in range(5):
        assert girl.emit("participant:signal", {"kind": "talk"}, callback=True)["ok"]
    signals = received(sock, "facilitator:signal")
    assert len(signals) == 1 and signals[0]["pseudonym"] == "Zilveren Maan"
    assert Signal.query.count() == 1
    assert not any(e["name"] == "facilitator:signal" or "Zilveren" in str(e) for e in screen.get_received() + other.get_received())


def test_a_move_that_loses_a_race_is_retried_on_fresh_data(tmp_path):
    """Two staff tabs press "next" at once: the loser's commit fails on the version column and is retried."""
    from app import create_app
    from config import TestConfig

    class FileDatabase(TestConfig):
        DATABASE_URL = f"sqlite:///{tmp_path / 'race.db'}"

    app = create_app(FileDatabase)
    with app.app_context():
        db.create_all()
        owner = make_facilitator()
        from app.models import SquadMode
        from app.services import squads

        run = runs.create_run(squads.create_squad(owner, "Race", SquadMode.GROUP), 0)
        runs.change(run.id, runs.start)
        calls = []

        def next_after_a_rival(r):
            calls.append(r.current_index)
            if len(calls) == 1:  # another tab commits "next" between our read and our write
                with db.engine.connect() as rival:
                    rival.execute(db.text("UPDATE run SET current_index = 1, version = version + 1"))
                    rival.commit()
            runs.step(+1)(r)

        result = runs.change(run.id, next_after_a_rival)
        assert calls == [0, 1] and result.current_index == 2
