"""Issue 13, "everything a run has, a track has", the coach's side: the report of a whole track (page, CSV, print),
the report of one module run, hiding one of her answers (facilitator:hide on the module's run) and pausing her track
(facilitator:track_pause). Through the Flask test client and the Flask-SocketIO test client."""
from __future__ import annotations

import csv
import io
import re

import pytest

from app.extensions import db, socketio
from app.models import Answer, SquadMode
from app.models_tracks import Track
from app.services import retention, squads

from .conftest import login, make_facilitator, received
from .test_tracks import answer, coach_socket, create_track, first_snapshot, girl_phone, join_track, one_to_one

SECRET_WORD = "zeepbel"  # her words answer in module 0: it must never leave the coach's page once hidden
FORMULA = '=HYPERLINK("x")'


def her_track(app, client, squad):
    """A track where she finished module 0 (a scale, a words answer, the rest skipped) and wrote one open answer in
    module 1; returns (track id, her phone)."""
    track_id, path = create_track(client, squad)
    girl = girl_phone(app, *join_track(app, path))
    for item in one_to_one(0):
        payload = {"value": 4} if item == "m0-mood" else {"words": [SECRET_WORD]} if item == "m0-good-friend" \
            else {"skip": True}
        assert answer(girl, item, payload)["ok"], item
    for item in one_to_one(1):
        if item == "m1-pressure":
            assert answer(girl, item, {"text": FORMULA})["ok"]
            break
        assert answer(girl, item, {"skip": True})["ok"], item
    assert girl.emit("participant:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    return track_id, girl


def row_of(snapshot: dict, item_id: str) -> dict:
    return next(row for row in snapshot["inbox"] if row["id"] == item_id)


def hide(coach, row: dict, hidden: bool = True) -> dict:
    return coach.emit("facilitator:hide", {"run": row["run"], "answer": row["answer_id"], "hidden": hidden}, callback=True)


def csv_rows(response, separator: str) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff\"")  # the BOM for Excel, then every field quoted
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=separator))


# --- the whole-track report ------------------------------------------------------------------------

def test_track_report_has_every_module_in_order_and_her_name_only_on_request(app, client, online_squad):
    track_id, _ = her_track(app, client, online_squad)
    page = client.get(f"/staff/tracks/{track_id}/report")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Groene Egel" not in html  # names off: not even in the title
    positions = [html.index(f'id="module-{n}"') for n in range(6)]
    assert positions == sorted(positions)
    assert SECRET_WORD in html and FORMULA.replace('"', "&#34;") in html  # her answers, as text
    assert "She has not begun this module." in html  # modules 2–5
    assert re.search(r"wants to talk: <strong>1</strong>", html)  # her signals per kind, as in a run report
    runs_of_track = {run.module_number: run.id for run in db.session.get(Track, track_id).runs}
    assert f'/staff/runs/{runs_of_track[0]}/report"' in html and f'/staff/runs/{runs_of_track[1]}/report"' in html
    assert f'href="/staff/tracks/{track_id}"' in html  # back to her track
    assert 'id="print"' in html
    named = client.get(f"/staff/tracks/{track_id}/report?names=1").get_data(as_text=True)
    assert "Report of the track of Groene Egel" in named and "<strong>Groene Egel</strong>: " in named
    assert re.search(r"wants to talk: <strong>1</strong> \(Groene Egel\)", named)


@pytest.mark.parametrize("lang,separator", [("nl", ";"), ("fr", ";"), ("en", ",")])
def test_track_csv_follows_the_run_csv_rules(app, client, online_squad, lang, separator):
    track_id, _ = her_track(app, client, online_squad)
    client.get(f"/lang/{lang}")
    response = client.get(f"/staff/tracks/{track_id}/report.csv")
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "no-store"
    assert f'filename="gps-track-{track_id}.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response, separator)
    assert {len(row) for row in rows} == {6}  # module, message, question, answered, skipped, answer
    assert [row[0] for row in rows[1:]] == sorted((row[0] for row in rows[1:]), key=int)  # modules in order
    answers = [row[-1] for row in rows[1:]]
    assert SECRET_WORD in answers and "'" + FORMULA in answers  # the formula start neutralised
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    assert "Groene Egel" not in response.get_data(as_text=True)
    named = client.get(f"/staff/tracks/{track_id}/report.csv?names=1")
    assert "-names.csv" in named.headers["Content-Disposition"]
    named_rows = csv_rows(named, separator)
    assert {len(row) for row in named_rows} == {7}
    assert {row[-2] for row in named_rows[1:] if row[-1]} == {"Groene Egel"}


def test_another_coach_gets_404_and_a_coach_who_owns_the_squad_does_not(app, client, online_squad):
    track_id, _ = her_track(app, client, online_squad)
    make_facilitator("bo@example.org", "Bo")
    other = app.test_client()
    login(other, "bo@example.org")
    for path in (f"/staff/tracks/{track_id}/report", f"/staff/tracks/{track_id}/report?names=1",
                 f"/staff/tracks/{track_id}/report.csv?names=1",
                 f"/staff/runs/{db.session.get(Track, track_id).runs[0].id}/report"):
        assert other.get(path).status_code == 404, path
    assert app.test_client().get(f"/staff/tracks/{track_id}/report").status_code in (302, 401)  # not logged in
    # a coach (not an admin) reaches the report of a track in her own squad
    coach = make_facilitator("cas@example.org", "Cas")
    own = squads.create_squad(coach, "Cas online", SquadMode.ONLINE_INDIVIDUAL)
    cas = app.test_client()
    login(cas, "cas@example.org")
    own_track, _ = create_track(cas, own)
    assert cas.get(f"/staff/tracks/{own_track}/report").status_code == 200
    assert cas.get(f"/staff/tracks/{track_id}/report").status_code == 404


def test_a_hidden_answer_stays_out_of_every_report_and_comes_back_when_shown(app, client, online_squad):
    track_id, _ = her_track(app, client, online_squad)
    coach, snap = coach_socket(app, client, track_id)
    row = row_of(snap, "m0-good-friend")
    assert row["hidden"] is False and row["answer_id"] and row["run"]
    assert hide(coach, row) == {"ok": True}
    assert row_of(coach.emit("facilitator:track_sync", {"track": track_id}, callback=True)["snapshot"], "m0-good-friend")["hidden"]
    assert db.session.get(Answer, row["answer_id"]).hidden
    for names in ("", "?names=1"):
        html = client.get(f"/staff/tracks/{track_id}/report{names}").get_data(as_text=True)
        assert SECRET_WORD not in html and "Hidden: this answer stays out of the report." in html
        assert SECRET_WORD not in client.get(f"/staff/tracks/{track_id}/report.csv{names}").get_data(as_text=True)
        assert SECRET_WORD not in client.get(f"/staff/runs/{row['run']}/report{names}").get_data(as_text=True)
        assert SECRET_WORD not in client.get(f"/staff/runs/{row['run']}/report.csv{names}").get_data(as_text=True)
    assert hide(coach, row, hidden=False) == {"ok": True}
    assert SECRET_WORD in client.get(f"/staff/tracks/{track_id}/report").get_data(as_text=True)


def test_staff_hide_is_refused_for_another_coach_and_for_an_answer_of_another_run(app, client, online_squad):
    track_id, _ = her_track(app, client, online_squad)
    coach, snap = coach_socket(app, client, track_id)
    row, other_run = row_of(snap, "m0-good-friend"), row_of(snap, "m1-pressure")["run"]
    assert coach.emit("facilitator:hide", {"run": other_run, "answer": row["answer_id"], "hidden": True},
                      callback=True) == {"ok": False, "error": "unknown_answer"}
    make_facilitator("bo@example.org", "Bo")
    other = app.test_client()
    login(other, "bo@example.org")
    intruder = socketio.test_client(app, flask_test_client=other)
    assert hide(intruder, row) == {"ok": False, "error": "not_allowed"}
    assert not db.session.get(Answer, row["answer_id"]).hidden


def test_after_a_purge_a_module_keeps_its_counts_and_no_words(app, client, online_squad):
    """Tracks are purged whole (retention.purge_tracks); a module run purged on its own shows counts only."""
    track_id, _ = her_track(app, client, online_squad)
    run = next(r for r in db.session.get(Track, track_id).runs if r.module_number == 0)
    retention._purge_run(run, None)
    db.session.commit()
    html = client.get(f"/staff/tracks/{track_id}/report?names=1").get_data(as_text=True)
    assert 'id="purged-notice"' in html and SECRET_WORD not in html
    module0 = html[html.index('id="module-0"'):html.index('id="module-1"')]
    assert module0.count('class="report-item card"') == len(one_to_one(0))
    assert "1 answer · 0 skipped" in module0 and "0 answers · 1 skipped" in module0
    rows = csv_rows(client.get(f"/staff/tracks/{track_id}/report.csv"), ",")
    assert [row[3:5] for row in rows[1:] if row[0] == "0"][:3] == [["1", "0"], ["0", "1"], ["1", "0"]]


# --- the report of one module run of her track -----------------------------------------------------

def test_module_report_of_a_track_run_leads_back_to_her_track(app, client, online_squad):
    track_id, _ = her_track(app, client, online_squad)
    run = next(r for r in db.session.get(Track, track_id).runs if r.module_number == 1)
    html = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    assert f'href="/staff/tracks/{track_id}"' in html and "Back to her track" in html
    assert f'href="/staff/tracks/{track_id}/report"' in html
    assert f'href="/staff/runs/{run.id}"' not in html  # the dashboard of a track run only redirects
    assert "Delete this run" not in html and "agreements" not in html
    assert client.get(f"/staff/runs/{run.id}").headers["Location"].endswith(f"/staff/tracks/{track_id}")
    # the one-to-one wording of her questions, as she read them
    from app.programme import programme

    item = programme().item("m1-pressure")
    assert item.text("question", "en", individual=True) in html.replace("&#39;", "'").replace("&#34;", '"')
    named = client.get(f"/staff/runs/{run.id}/report?names=1").get_data(as_text=True)
    assert f'href="/staff/tracks/{track_id}/report?names=1"' in named


def test_the_track_page_and_the_squad_page_link_the_reports(app, client, online_squad):
    track_id, _ = her_track(app, client, online_squad)
    html = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert f'href="/staff/tracks/{track_id}/report"' in html and 'id="pause-track"' in html
    squad_page = client.get(f"/staff/squads/{online_squad.id}").get_data(as_text=True)
    assert f'href="/staff/tracks/{track_id}/report"' in squad_page  # from her row in the squad's track list
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_pause", {"track": track_id, "paused": True}, callback=True)["ok"]
    row = client.get(f"/staff/squads/{online_squad.id}").get_data(as_text=True).split(f'id="track-{track_id}"')[1]
    assert '<span class="badge">Paused</span>' in row.split("</h3>")[0]
    page = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)  # the state line before the socket
    assert re.search(r'id="pause-state">Paused: she cannot answer', page) and ">Resume her track</button>" in page


# --- pausing her track -----------------------------------------------------------------------------

def test_a_pause_refuses_her_answer_and_resuming_lets_it_through(app, client, online_squad):
    track_id, path = create_track(client, online_squad)
    girl = girl_phone(app, *join_track(app, path))
    coach, snap = coach_socket(app, client, track_id)
    assert snap["track"]["state"] == "open"
    paused = coach.emit("facilitator:track_pause", {"track": track_id, "paused": True}, callback=True)
    assert paused["ok"] and paused["snapshot"]["track"]["state"] == "paused"
    assert first_snapshot(girl)["track"]["state"] == "paused"  # her phone is told at once
    assert answer(girl, "m0-mood", {"value": 3}) == {"ok": False, "error": "track_paused"}
    assert db.session.query(Answer).count() == 0  # nothing written
    # she can still write to her coach and signal while paused
    assert girl.emit("participant:reply", {"text": "Oké", "client_id": "paused-reply-1"}, callback=True)["ok"]
    assert girl.emit("participant:signal", {"kind": "break"}, callback=True) == {"ok": True}
    resumed = coach.emit("facilitator:track_pause", {"track": track_id, "paused": False}, callback=True)
    assert resumed["ok"] and resumed["snapshot"]["track"]["state"] == "open"
    assert first_snapshot(girl)["track"]["state"] == "open"
    assert answer(girl, "m0-mood", {"value": 3})["ok"]
    assert db.session.get(Track, track_id).paused_at is None


def test_pause_is_refused_for_another_coach_and_on_a_closed_track(app, client, online_squad):
    track_id, _ = create_track(client, online_squad)
    make_facilitator("bo@example.org", "Bo")
    other = app.test_client()
    login(other, "bo@example.org")
    intruder = socketio.test_client(app, flask_test_client=other)
    assert intruder.emit("facilitator:track_pause", {"track": track_id, "paused": True},
                         callback=True) == {"ok": False, "error": "not_allowed"}
    assert db.session.get(Track, track_id).paused_at is None
    coach, _ = coach_socket(app, client, track_id)
    assert coach.emit("facilitator:track_close", {"track": track_id}, callback=True)["ok"]
    assert coach.emit("facilitator:track_pause", {"track": track_id, "paused": True},
                      callback=True) == {"ok": False, "error": "track_closed"}
    assert received(coach, "facilitator:track_changed")  # the close reached this view


def test_retention_warning_shows_on_the_track_page_of_an_idle_open_track(app, client, online_squad):
    from datetime import timedelta

    from app.models import utcnow

    track_id, _ = her_track(app, client, online_squad)
    track = db.session.get(Track, track_id)
    idle = app.config["RETENTION_DAYS"] - app.config["RETENTION_WARNING_DAYS"] + 1
    track.last_activity_at = utcnow() - timedelta(days=idle)
    db.session.commit()
    html = client.get(f"/staff/tracks/{track_id}").get_data(as_text=True)
    assert 'id="retention-warning"' in html and "no activity since" in html
