"""Issue 13: the coach's attention view, through the real paths (the Flask test client for the pages, the
Flask-SocketIO test client for the phones, the dashboards and the staff pages' count).

Every kind of item (a signal of a run and of a track, a girl's unread messages, a low check-in, a quiet track)
appears for the owner of the squad and never for another coach, and leaves when staff acknowledge, read or mark
it seen.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.extensions import db, socketio
from app.models import Answer, Facilitator, Run, SquadMode, utcnow
from app.models_tracks import SupportMessage, Track
from app.programme import programme
from app.services import attention, runs, squads

from .conftest import csrf_from, join, login, make_facilitator, phone, received
from .test_run_flow import staff_socket
from .test_tracks import coach_socket, create_track, girl_phone, join_track

CHECKIN = "m0-mood"  # module 0 opens with a check-in scale: 1 stormy … 5 sunshine


# --- helpers --------------------------------------------------------------------------------------

def staff_page_socket(app, client):
    """What every staff page opens (static/js/attention.js): a staff connection, nothing joined."""
    return socketio.test_client(app, flask_test_client=client)


def state_of(sock) -> dict:
    ack = sock.emit("facilitator:attention_sync", {}, callback=True)
    assert ack["ok"], ack
    return ack["state"]


def kinds(state) -> list[str]:
    return [row["kind"] for row in state["items"]]


@pytest.fixture()
def other(app):
    """Another coach, logged in on her own browser, with a staff page open."""
    make_facilitator("bo@example.org", "Bo")
    browser = app.test_client()
    assert login(browser, "bo@example.org").status_code == 302
    return browser, staff_page_socket(app, browser)


@pytest.fixture()
def live_run(app, client, run):
    """Module 0 live with one girl in it: the check-in is the current message."""
    dashboard, _ = staff_socket(app, client, run)
    assert dashboard.emit("facilitator:command", {"run": run.id, "action": "start"}, callback=True)["ok"]
    return run, dashboard, phone(app, join(app.test_client(), run, "Blauwe Vos"))


def check_in(girl, value, client_id="checkin-0001"):
    ack = girl.emit("participant:answer", {"item": CHECKIN, "payload": {"value": value}, "client_id": client_id},
                    callback=True)
    assert ack["ok"], ack


# --- signals --------------------------------------------------------------------------------------

def test_a_run_signal_reaches_every_staff_page_of_the_owner_only_until_acknowledged(app, client, live_run, other):
    run, dashboard, girl = live_run
    mine = staff_page_socket(app, client)
    _, theirs = other
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    [added] = received(mine, "facilitator:attention_added")
    item = added["item"]
    assert item["kind"] == "signal" and item["signal_kind"] == "talk" and item["pseudonym"] == "Blauwe Vos"
    assert item["url"] == f"/staff/runs/{run.id}" and item["squad"] == "Leefgroep De Linde"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", item["at"])
    assert state_of(mine)["count"] == 1 and kinds(state_of(mine)) == ["signal"]
    assert theirs.get_received() == [] and state_of(theirs) == {"count": 0, "items": []}
    # Pressed again: merged into the unseen one, no second item.
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    assert received(mine, "facilitator:attention_added") == [] and state_of(mine)["count"] == 1
    # Acknowledged on the dashboard: it leaves every page of hers.
    assert dashboard.emit("facilitator:ack_signal", {"run": run.id, "signal": item["signal"]}, callback=True)["ok"]
    assert received(mine, "facilitator:attention_removed") == [{"key": item["key"]}]
    assert state_of(mine)["count"] == 0


def test_an_admin_sees_only_her_own_squads_too(app, client, staff, other):
    assert staff.is_admin
    bo = db.session.query(Facilitator).filter_by(email="bo@example.org").one()
    run = runs.create_run(squads.create_squad(bo, "Groep van Bo", SquadMode.GROUP), 0)
    girl = phone(app, join(app.test_client(), run, "Gele Uil"))
    mine = staff_page_socket(app, client)
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    assert state_of(mine)["count"] == 0 and received(mine, "facilitator:attention_added") == []
    assert [row["pseudonym"] for row in state_of(other[1])["items"]] == ["Gele Uil"]


def test_every_kind_of_signal_is_listed(app, client, live_run):
    _run, _dashboard, girl = live_run
    for kind in ("talk", "break", "talk_after"):
        assert girl.emit("participant:signal", {"kind": kind}, callback=True) == {"ok": True}
    assert sorted(row["signal_kind"] for row in state_of(staff_page_socket(app, client))["items"]) == \
        ["break", "talk", "talk_after"]


def test_a_track_signal_links_to_the_track_and_leaves_when_acknowledged(app, client, staff, other):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    girl = girl_phone(app, *join_track(app, path))
    mine = staff_page_socket(app, client)
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    pushed = received(mine, "facilitator:attention_changed")[-1]  # the track handlers send the whole state
    [item] = pushed["items"]
    assert item["kind"] == "signal" and item["url"] == f"/staff/tracks/{track_id}" and item["track"] == track_id
    assert item["pseudonym"] == "Groene Egel" and state_of(mine) == pushed
    assert state_of(other[1])["count"] == 0
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_ack_signal", {"track": track_id, "signal": item["signal"]}, callback=True)["ok"]
    assert received(mine, "facilitator:attention_changed")[-1]["count"] == 0


# --- messages -------------------------------------------------------------------------------------

def test_her_messages_are_one_item_until_the_coach_reads_them(app, client, staff, other):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "Hoe gaat het?", "client_id": "coach-000001"},
                      callback=True)["ok"]
    mine = staff_page_socket(app, client)
    assert state_of(mine)["count"] == 0  # the coach's own message needs nobody
    for n in (1, 2):
        reply = {"text": f"bericht {n}", "client_id": f"reply-00000{n}"}
        assert girl.emit("participant:reply", reply, callback=True)["ok"]
    [item] = state_of(mine)["items"]
    assert item["kind"] == "messages" and item["count"] == 2 and item["url"] == f"/staff/tracks/{track_id}"
    assert "bericht" not in str(item)  # what she wrote stays on her track's page
    # Another coach cannot mark them read, and never sees them.
    browser, theirs = other
    assert theirs.emit("facilitator:track_read", {"track": track_id}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert state_of(theirs)["count"] == 0 and state_of(mine)["count"] == 1
    # The coach's page is open and in view (static/js/coach.js sends facilitator:track_read): read, and gone.
    assert coach.emit("facilitator:track_read", {"track": track_id}, callback=True) == {"ok": True, "read": 2}
    assert received(mine, "facilitator:attention_changed")[-1]["count"] == 0
    assert db.session.query(SupportMessage).filter_by(sender="girl", read_at=None).count() == 0
    assert coach.emit("facilitator:track_read", {"track": track_id}, callback=True) == {"ok": True, "read": 0}


# --- low check-ins --------------------------------------------------------------------------------

@pytest.mark.parametrize("value,listed", [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_only_the_two_lowest_points_of_a_check_in_are_listed(app, client, live_run, value, listed):
    _run, _dashboard, girl = live_run
    mine = staff_page_socket(app, client)
    check_in(girl, value)
    assert state_of(mine)["count"] == (1 if listed else 0)
    if listed:
        [added] = received(mine, "facilitator:attention_added")
        assert added["item"]["kind"] == "checkin" and added["item"]["value"] == value
        assert added["item"]["emoji"] == {1: "⛈️", 2: "🌧️"}[value] and added["item"]["module"] == 0
        assert state_of(mine)["items"] == [added["item"]]


def test_a_low_check_in_is_marked_seen_by_its_coach_only(app, client, live_run, other):
    run, _dashboard, girl = live_run
    mine = staff_page_socket(app, client)
    check_in(girl, 1)
    [item] = state_of(mine)["items"]
    _, theirs = other
    assert state_of(theirs)["count"] == 0
    assert theirs.emit("facilitator:attention_seen", {"answer": item["answer"]}, callback=True) == \
        {"ok": False, "error": "unknown_answer"}
    assert db.session.get(Answer, item["answer"]).seen_at is None  # nothing written
    assert mine.emit("facilitator:attention_seen", {"answer": item["answer"]}, callback=True) == {"ok": True}
    assert received(mine, "facilitator:attention_removed")[-1] == {"key": item["key"]}
    assert state_of(mine)["count"] == 0
    db.session.expire_all()
    assert db.session.get(Answer, item["answer"]).seen_at is not None


def test_a_better_check_in_takes_it_off_and_a_new_low_one_brings_it_back(app, client, live_run):
    _run, _dashboard, girl = live_run
    mine = staff_page_socket(app, client)
    check_in(girl, 1, "checkin-0001")
    [item] = state_of(mine)["items"]
    mine.emit("facilitator:attention_seen", {"answer": item["answer"]}, callback=True)
    check_in(girl, 4, "checkin-0002")  # answers may change until the results are shown
    assert state_of(mine)["count"] == 0
    check_in(girl, 2, "checkin-0003")  # a new low value is new to staff, also after the first was seen
    assert [row["value"] for row in state_of(mine)["items"]] == [2]


def answer_the_next_message(run, dashboard, girl) -> Answer:
    """The message after the check-in (a poll in module 0), answered with its first option."""
    assert dashboard.emit("facilitator:command", {"run": run.id, "action": "next"}, callback=True)["ok"]
    item = programme().module(0).items[1]
    assert item.role != "checkin" and item.type == "poll"
    ack = girl.emit("participant:answer", {"item": item.id, "payload": {"choice": item.data["options"][0]["id"]},
                               "client_id": "other-0001"}, callback=True)
    assert ack["ok"], ack
    return db.session.query(Answer).filter_by(item_id=item.id).one()


def test_other_answers_send_nothing_to_the_attention_view(app, client, live_run):
    run, dashboard, girl = live_run
    mine = staff_page_socket(app, client)
    answer = answer_the_next_message(run, dashboard, girl)
    assert [e["name"] for e in mine.get_received() if e["name"].startswith("facilitator:attention_")] == []
    # …and cannot be marked seen from the view: only a check-in can.
    assert mine.emit("facilitator:attention_seen", {"answer": answer.id}, callback=True) == {"ok": False, "error": "unknown_answer"}
    assert db.session.get(Answer, answer.id).seen_at is None


def test_old_skipped_and_purged_check_ins_are_not_listed(app, client, live_run):
    run, _dashboard, girl = live_run
    check_in(girl, 1)
    answer = db.session.query(Answer).one()
    mine = staff_page_socket(app, client)
    answer.updated_at = utcnow() - timedelta(days=attention.CHECKIN_FRESH_DAYS, hours=1)
    db.session.commit()
    assert state_of(mine)["count"] == 0  # about a day that has passed
    answer.updated_at, answer.skipped, answer.value = utcnow(), True, {"skip": True}
    db.session.commit()
    assert state_of(mine)["count"] == 0
    answer.skipped, answer.value = False, {"value": 1}
    db.session.commit()
    assert state_of(mine)["count"] == 1
    db.session.get(Run, run.id).purged_at = utcnow()
    db.session.commit()
    assert state_of(mine)["count"] == 0


# --- quiet tracks ---------------------------------------------------------------------------------

def test_a_quiet_track_is_listed_after_attention_idle_days(app, client, staff, other):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    mine = staff_page_socket(app, client)
    assert state_of(mine)["count"] == 0  # not joined yet: nothing to miss
    join_track(app, path)
    track = db.session.get(Track, track_id)
    days = app.config["ATTENTION_IDLE_DAYS"]
    assert days == 7
    track.joined_at = track.last_activity_at = utcnow() - timedelta(days=days - 1)
    db.session.commit()
    assert state_of(mine)["count"] == 0
    track.joined_at = track.last_activity_at = utcnow() - timedelta(days=days + 2)
    db.session.commit()
    [item] = state_of(mine)["items"]
    assert item["kind"] == "idle" and item["days"] == days + 2 and item["url"] == f"/staff/tracks/{track_id}"
    assert state_of(other[1])["count"] == 0
    app.config["ATTENTION_IDLE_DAYS"] = days + 5
    assert state_of(mine)["count"] == 0
    app.config["ATTENTION_IDLE_DAYS"] = days
    track.paused_at = utcnow()  # paused by her coach: quiet on purpose
    db.session.commit()
    assert state_of(mine)["count"] == 0
    track.paused_at, track.closed_at = None, utcnow()
    db.session.commit()
    assert state_of(mine)["count"] == 0


def test_an_offline_girls_enrolment_is_never_a_quiet_track(app, client, staff):
    """One-to-one offline: her enrolment keeps her pseudonym across modules; she meets her counsellor in person."""
    squad = squads.create_squad(staff, "Eén op één", SquadMode.OFFLINE_INDIVIDUAL)
    run = runs.create_run(squad, 0)
    join(app.test_client(), run, "Rode Kat")
    enrolment = db.session.query(Track).filter_by(squad_id=squad.id).one()
    enrolment.joined_at = enrolment.last_activity_at = utcnow() - timedelta(days=60)
    db.session.commit()
    assert state_of(staff_page_socket(app, client))["count"] == 0


def test_a_message_from_the_coach_takes_a_quiet_track_off(app, client, staff):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    join_track(app, path)
    track = db.session.get(Track, track_id)
    track.joined_at = track.last_activity_at = utcnow() - timedelta(days=30)
    db.session.commit()
    mine = staff_page_socket(app, client)
    assert kinds(state_of(mine)) == ["idle"]
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_message", {"track": track_id, "text": "Hoi!", "client_id": "coach-000002"},
                      callback=True)["ok"]
    assert state_of(mine)["count"] == 0


# --- the page, the count on every staff page, the sound ------------------------------------------

def test_every_staff_page_shows_the_count_in_the_menu_and_the_title(app, client, live_run, other):
    _run, _dashboard, girl = live_run
    girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    check_in(girl, 2)
    for path in ("/staff/squads", "/staff/modules", "/staff/attention"):
        page = client.get(path).get_data(as_text=True)
        assert re.search(r"<title>\(2\) ", page), path
        assert re.search(r'id="attention-link"[^>]*>Attention <span id="attention-count">\(2\)</span></a>', page), path
    theirs = other[0].get("/staff/squads").get_data(as_text=True)
    assert "<title>Squads" in theirs and '<span id="attention-count"></span>' in theirs


def test_the_attention_page_lists_her_items_and_no_one_elses(app, client, live_run, other):
    _run, _dashboard, girl = live_run
    girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    page = client.get("/staff/attention").get_data(as_text=True)
    assert "What needs you" in page and "Blauwe Vos" in page
    state = re.search(r'id="attention-state">(.*?)</script>', page, re.S).group(1)
    assert '"count": 1' in state
    theirs = other[0].get("/staff/attention").get_data(as_text=True)
    assert "Blauwe Vos" not in theirs and "Nothing needs you right now." in theirs
    assert app.test_client().get("/staff/attention").status_code == 302  # logged out: to the login page


def test_the_sound_switch_is_kept_with_her_account(app, client, staff):
    assert staff.attention_sound is True
    page = client.get("/staff/attention").get_data(as_text=True)
    assert 'data-sound="1"' in page
    response = client.post("/staff/attention/sound", data={"csrf_token": csrf_from(page)})  # unchecked: off
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Facilitator, staff.id).attention_sound is False
    page = client.get("/staff/squads").get_data(as_text=True)
    assert 'data-sound="0"' in page
    client.post("/staff/attention/sound", data={"csrf_token": csrf_from(page), "sound": "on"})
    db.session.expire_all()
    assert db.session.get(Facilitator, staff.id).attention_sound is True
    client.post("/staff/attention/sound", data={"sound": "off"})  # no form token: nothing changes
    db.session.expire_all()
    assert db.session.get(Facilitator, staff.id).attention_sound is True


# --- bad input ------------------------------------------------------------------------------------

def test_wrong_shapes_and_other_audiences_are_refused(app, client, live_run):
    _run, _dashboard, girl = live_run
    mine = staff_page_socket(app, client)
    for name, payload in [("facilitator:attention_sync", {"x": 1}), ("facilitator:attention_seen", {}), ("facilitator:attention_seen", {"answer": "1"}),
                          ("facilitator:attention_seen", {"answer": 0}), ("facilitator:track_read", {"track": True})]:
        assert mine.emit(name, payload, callback=True) == {"ok": False, "error": "wrong_shape"}, (name, payload)
    assert mine.emit("facilitator:attention_seen", {"answer": 999}, callback=True) == {"ok": False, "error": "unknown_answer"}
    for name, payload in [("facilitator:attention_sync", {}), ("facilitator:attention_seen", {"answer": 1}), ("facilitator:track_read", {"track": 1})]:
        assert girl.emit(name, payload, callback=True) == {"ok": False, "error": "not_allowed"}, name
    check_in(girl, 4)
    not_low = db.session.query(Answer).one()
    assert mine.emit("facilitator:attention_seen", {"answer": not_low.id}, callback=True)["ok"]  # a check-in: harmless


# --- cost -----------------------------------------------------------------------------------------

def test_the_state_takes_four_statements_whatever_the_number_of_squads(app, client, staff):
    for n in range(6):
        squad = squads.create_squad(staff, f"Groep {n}", SquadMode.GROUP)
        run = runs.create_run(squad, 0)
        girl = phone(app, join(app.test_client(), run, f"Meisje {n}"))
        girl.emit("participant:signal", {"kind": "talk"}, callback=True)
    online = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    for _ in range(3):
        track_id, path = create_track(client, online)
        girl = girl_phone(app, *join_track(app, path))
        girl.emit("participant:reply", {"text": "hoi", "client_id": "reply-000001"}, callback=True)
    staff_id, statements = staff.id, []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.test_request_context("/"):
            state = attention.state_for(staff_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert kinds(state).count("signal") == 6 and kinds(state).count("messages") == 3
    assert len(statements) == 4, statements


def test_a_check_in_answer_costs_no_statement_more_than_another_answer(app, client, live_run):
    """The attention view's part of an answer is a delta built from what the answer event holds."""
    _run, _dashboard, girl = live_run
    staff_page_socket(app, client)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        check_in(girl, 1)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert not any("support_message" in sql or "track" in sql.split("FROM")[-1][:40] for sql in statements), statements
    assert len(statements) <= 7, statements  # tests/test_query_counts.py's limit for an answer
