"""Issue 15, the dashboard's side: undoing a reveal, the message timer, per-girl status, signals kept after
"seen", signal counts in the report, and a refused word that names its place. Flask-SocketIO test client."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db, socketio
from app.models import Participant, Run

from .conftest import join, phone, received


def staff_socket(app, client, run):
    sock = socketio.test_client(app, flask_test_client=client)
    ack = sock.emit("facilitator:join", {"run": run.id}, callback=True)
    assert ack["ok"], ack
    return sock


def command(sock, run, action, **extra):
    return sock.emit("facilitator:command", {"run": run.id, "action": action, **extra}, callback=True)


def answer(sock, item, payload, client_id="client-0001"):
    return sock.emit("participant:answer", {"item": item, "payload": payload, "client_id": client_id}, callback=True)


def girl(app, run, name):
    return phone(app, join(app.test_client(), run, name))


def people(snapshot):
    return {p["pseudonym"]: (p["presence"], p["progress"]) for p in snapshot["participants"]}


def test_a_reveal_can_be_undone_and_answering_opens_again(app, client, run):
    sock = staff_socket(app, client, run)
    paars = girl(app, run, "Paarse Uil")
    command(sock, run, "start")
    item = "m0-mood"
    assert command(sock, run, "reveal_info")["ok"]
    ack = command(sock, run, "hide_info", item=item)
    assert ack["ok"] and ack["snapshot"]["item"]["revealed"] == {"results": True, "info": False}
    assert received(paars, "update")[-1]["item"]["info"] is None  # the phones lose the info again
    assert answer(paars, item, {"value": 3}) == {"ok": False, "error": "answers_closed"}
    ack = command(sock, run, "hide_results", item=item)
    assert ack["snapshot"]["item"]["revealed"] == {"results": False, "info": False}
    assert received(paars, "update")[-1]["item"]["solution"] is None
    assert answer(paars, item, {"value": 3}, "client-0002")["ok"]


def test_undo_is_refused_for_a_message_that_is_not_live(app, client, run):
    sock = staff_socket(app, client, run)
    assert command(sock, run, "hide_results", item="m0-mood") == {"ok": False, "error": "not_started"}
    command(sock, run, "start")
    command(sock, run, "reveal_results")
    command(sock, run, "next")
    assert command(sock, run, "hide_results", item="m0-mood") == {"ok": False, "error": "item_not_live"}
    assert command(sock, run, "hide_info") == {"ok": False, "error": "item_not_live"}
    command(sock, run, "end")
    assert command(sock, run, "hide_results", item="m0-mood") == {"ok": False, "error": "run_ended"}


def test_timer_reaches_phones_and_never_closes_answering_unless_chosen(app, client, run):
    sock = staff_socket(app, client, run)
    paars = girl(app, run, "Paarse Uil")
    command(sock, run, "start")
    ack = command(sock, run, "timer_start", seconds=120)
    assert ack["ok"] and ack["snapshot"]["run"]["timer"]["seconds"] == 120
    timer = received(paars, "update")[-1]["run"]["timer"]
    assert timer["closes"] is False and 119 <= timer["remaining"] <= 120
    _let_time_run_out(run)
    assert answer(paars, "m0-mood", {"value": 4})["ok"]  # time is up, but answering stays open


def test_timer_that_closes_answers_refuses_late_answers(app, client, run):
    sock = staff_socket(app, client, run)
    paars = girl(app, run, "Paarse Uil")
    command(sock, run, "start")
    assert command(sock, run, "timer_start", seconds=60, close=True)["snapshot"]["run"]["timer"]["closes"] is True
    assert answer(paars, "m0-mood", {"value": 4})["ok"]
    _let_time_run_out(run)
    assert answer(paars, "m0-mood", {"value": 2}, "client-0002") == {"ok": False, "error": "answers_closed"}
    assert command(sock, run, "next")["snapshot"]["run"]["timer"] is None  # the timer stays with its message


def test_timer_refusals(app, client, run):
    sock = staff_socket(app, client, run)
    assert command(sock, run, "timer_start", seconds=60) == {"ok": False, "error": "not_started"}
    command(sock, run, "start")
    for bad in (12, 3000, None):  # within what the event accepts, outside what a timer may be
        assert command(sock, run, "timer_start", seconds=bad) == {"ok": False, "error": "bad_timer"}
    for bad in (5, 99999, "60", True):
        assert command(sock, run, "timer_start", seconds=bad) == {"ok": False, "error": "wrong_shape"}
    assert command(sock, run, "timer_start", seconds=60)["ok"]
    assert command(sock, run, "timer_stop")["snapshot"]["run"]["timer"] is None
    command(sock, run, "end")
    assert command(sock, run, "timer_start", seconds=60) == {"ok": False, "error": "timer_run_ended"}


def _let_time_run_out(run):
    stored = db.session.get(Run, run.id, populate_existing=True)
    stored.timer_started_at -= timedelta(seconds=stored.timer_seconds + 1)
    db.session.commit()


def test_per_girl_presence_and_progress_without_her_answer(app, client, run):
    sock = staff_socket(app, client, run)
    paars, blauw, groen = girl(app, run, "Paarse Uil"), girl(app, run, "Blauwe Vos"), girl(app, run, "Groene Kikker")
    online = [e for e in received(sock, "facilitator:presence")]
    assert {e["presence"] for e in online} == {"online"} and len(online) == 3
    command(sock, run, "start")
    answer(paars, "m0-mood", {"value": 4})
    answer(blauw, "m0-mood", {"skip": True})
    groen.disconnect()
    assert received(sock, "facilitator:presence")[-1]["presence"] == "offline"
    snapshot = sock.emit("sync", {"run": run.id}, callback=True)["snapshot"]
    assert people(snapshot) == {"Paarse Uil": ("online", "answered"), "Blauwe Vos": ("online", "skipped"),
                                "Groene Kikker": ("offline", "thinking")}
    assert all(set(p) == {"id", "pseudonym", "presence", "progress"} for p in snapshot["participants"])
    gone = db.session.scalar(db.select(Participant).filter_by(pseudonym="Blauwe Vos"))
    assert sock.emit("facilitator:remove", {"run": run.id, "participant": gone.id}, callback=True)["ok"]
    snapshot = sock.emit("sync", {"run": run.id}, callback=True)["snapshot"]
    assert people(snapshot)["Blauwe Vos"] == ("left", None)
    stored = db.session.get(Participant, gone.id)
    assert stored.last_seen_at is not None


def test_signals_stay_listed_after_seen_and_reach_the_report(app, client, run):
    sock = staff_socket(app, client, run)
    paars, blauw = girl(app, run, "Paarse Uil"), girl(app, run, "Blauwe Vos")
    paars.emit("participant:signal", {"kind": "talk"}, callback=True)
    blauw.emit("participant:signal", {"kind": "talk"}, callback=True)
    blauw.emit("participant:signal", {"kind": "talk"}, callback=True)  # pressed twice: one entry
    first = received(sock, "facilitator:signal")[0]
    assert first["kind"] == "talk" and first["at"].endswith("Z") and first["seen"] is False
    assert sock.emit("facilitator:ack_signal", {"run": run.id, "signal": first["id"]}, callback=True)["ok"]
    listed = sock.emit("sync", {"run": run.id}, callback=True)["snapshot"]["signals"]
    assert [(s["pseudonym"], s["seen"]) for s in listed] == [("Paarse Uil", True), ("Blauwe Vos", False)]
    page = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    assert "Signals from the girls" in page and "wants to talk: <strong>2</strong>" in page
    assert "Paarse Uil" not in page
    named = client.get(f"/staff/runs/{run.id}/report?names=1").get_data(as_text=True)
    assert "wants to talk: <strong>2</strong> (Blauwe Vos, Paarse Uil)" in named


def test_a_refused_word_names_its_place(app, client, squad):
    from app.services import runs

    run = runs.create_run(squad, 0)
    sock = staff_socket(app, client, run)
    paars = girl(app, run, "Paarse Uil")
    command(sock, run, "start")
    words = [i for i in runs.items_of(run) if i.type == "words"][0]
    command(sock, run, "goto", index=runs.items_of(run).index(words))
    ack = answer(paars, words.id, {"words": ["zon", "m@an"]})
    assert ack == {"ok": False, "error": "bad_chars", "index": 1}
    assert answer(paars, words.id, {"words": ["zon", "<b>"]}, "client-0002") == {"ok": False, "error": "markup",
                                                                                 "index": 1}
