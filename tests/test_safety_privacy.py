"""Issue 6: help and quick exit everywhere, content notes, retention, delete now, reports, access."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from app.extensions import db
from app.models import Answer, AuditEntry, ItemTally, Participant, Run, RunState, Signal, utcnow
from app.programme import programme
from app.services import retention, runs

from .conftest import csrf_from, join, login, make_facilitator, phone, received
from .test_run_flow import answer, command, staff_socket


def participant_pages(app, run):
    girl = app.test_client()
    join(girl, run, "Groene Uil")
    return {
        "join": app.test_client().get(f"/j/{run.join_token}"),
        "inbox": girl.get(f"/p/{run.join_token}"),
        "code": girl.get("/code"),
        "privacy": girl.get("/privacy"),
        "unknown link": girl.get("/j/not-a-real-token"),
        "not found": girl.get("/nothing-here"),
    }


def test_help_and_quick_exit_on_every_participant_page(app, run):
    for name, response in participant_pages(app, run).items():
        html = response.get_data(as_text=True)
        assert 'href="tel:116000"' in html, name
        assert 'id="quick-exit"' in html and "js/safety.js" in html, name
        assert "MAX" in html, name


def test_help_is_in_her_language(app, run):
    girl = app.test_client()
    girl.get("/lang/fr")
    html = girl.get("/code").get_data(as_text=True)
    assert "116 000" in html and "Sortie rapide" in html


def test_quick_exit_is_explained_once_at_join(app, run):
    html = app.test_client().get(f"/j/{run.join_token}").get_data(as_text=True)
    assert "does not erase your browser history" in html


def test_module_five_warns_girls_gently(app, client, squad):
    run = runs.create_run(squad, 5)
    girl = phone(app, join(app.test_client(), run, "Witte Zwaan", "en"))
    snap = received(girl, "snapshot")[0]
    assert snap["notice"] == programme().module(5).text("girl_notice", "en")
    assert "116 000" in snap["notice"]


def test_sensitive_items_carry_their_flag_to_the_dashboard(app, client, squad):
    run = runs.create_run(squad, 5)
    sock, _ = staff_socket(app, client, run)
    snapshot = command(sock, run, "start")["snapshot"]
    assert snapshot["item"]["sensitive"] is True


def finished_run(app, client, squad, answers_by_name):
    run = runs.create_run(squad, 0)
    sock, _ = staff_socket(app, client, run)
    phones = {name: phone(app, join(app.test_client(), run, name)) for name in answers_by_name}
    command(sock, run, "start")
    for name, payload in answers_by_name.items():
        assert answer(phones[name], "m0-mood", payload)["ok"]
    phones[next(iter(phones))].emit("participant:signal", {"kind": "talk"}, callback=True)
    command(sock, run, "end")
    return db.session.get(Run, run.id)


def test_purge_deletes_exactly_at_the_boundary_and_keeps_counts(app, client, squad):
    run = finished_run(app, client, squad, {"Rode Vos": {"value": 2}, "Blauwe Uil": {"skip": True}})
    ended = utcnow()
    db.session.execute(db.update(Run).where(Run.id == run.id).values(ended_at=ended))
    live = runs.create_run(squad, 1)  # an open run, older than the boundary but active since, is not purged
    db.session.execute(db.update(Run).where(Run.id == live.id).values(created_at=ended - timedelta(days=90),
                                                                      last_activity_at=ended + timedelta(days=1)))
    db.session.commit()
    assert retention.purge(30, now=ended + timedelta(days=30, seconds=-1)) == 0
    assert Answer.query.count() == 2
    assert retention.purge(30, now=ended + timedelta(days=30)) == 1
    assert Answer.query.count() == 0 and Participant.query.count() == 0 and Signal.query.count() == 0
    tally = ItemTally.query.one()
    assert (tally.item_id, tally.answered, tally.skipped) == ("m0-mood", 1, 1)
    assert db.session.get(Run, live.id).state is RunState.LOBBY
    assert retention.purge(30, now=ended + timedelta(days=400)) == 1  # the open run, idle now; the first not twice


def test_purge_command(app, client, squad, runner):
    run = finished_run(app, client, squad, {"Rode Vos": {"value": 2}})
    db.session.execute(db.update(Run).where(Run.id == run.id).values(ended_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    result = runner.invoke(args=["gps", "purge"])
    assert "Purged 1 run(s)" in result.output and Answer.query.count() == 0


def test_delete_now_removes_everything_and_is_audited(app, client, squad):
    run = finished_run(app, client, squad, {"Rode Vos": {"value": 2}})
    page = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    response = client.post(f"/staff/runs/{run.id}/delete", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    for model in (Run, Participant, Answer, Signal):
        assert model.query.count() == 0
    entry = AuditEntry.query.one()
    assert entry.action == "run_deleted" and "Rode Vos" not in entry.subject
    assert "Rode Vos" not in client.get("/staff/audit").get_data(as_text=True)


def test_a_live_run_cannot_be_deleted(app, client, run):
    page = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    client.post(f"/staff/runs/{run.id}/delete", data={"csrf_token": csrf_from(page)})
    assert db.session.get(Run, run.id) is not None


def test_report_hides_pseudonyms_unless_asked_and_never_shows_hidden_answers(app, client, squad):
    run = runs.create_run(squad, 1)
    sock, _ = staff_socket(app, client, run)
    girls = {n: phone(app, join(app.test_client(), run, n)) for n in ("Rode Vos", "Blauwe Uil")}
    command(sock, run, "start")
    index = next(n for n, i in enumerate(programme().module(1).items) if i.type == "open")
    command(sock, run, "goto", index=index)
    item_id = programme().module(1).items[index].id
    answer(girls["Rode Vos"], item_id, {"text": "<b>=1+1</b> zeg nee"})
    answer(girls["Blauwe Uil"], item_id, {"text": "geheim antwoord"})
    hidden = Answer.query.filter(Answer.value["text"].as_string() == "geheim antwoord").one()
    sock.emit("facilitator:hide", {"run": run.id, "answer": hidden.id, "hidden": True}, callback=True)
    anonymous = client.get(f"/staff/runs/{run.id}/report").get_data(as_text=True)
    assert "&lt;b&gt;=1+1&lt;/b&gt; zeg nee" in anonymous and "Rode Vos" not in anonymous
    assert "geheim antwoord" not in anonymous
    named = client.get(f"/staff/runs/{run.id}/report?names=1").get_data(as_text=True)
    assert "Rode Vos" in named and "geheim antwoord" not in named
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/runs/{run.id}/report.csv").get_data(as_text=True))))
    assert all("Rode Vos" not in cell for row in rows for cell in row)
    named_rows = list(csv.reader(io.StringIO(
        client.get(f"/staff/runs/{run.id}/report.csv?names=1").get_data(as_text=True))))
    assert any("Rode Vos" in row for row in named_rows)
    assert not any("geheim antwoord" in cell for row in named_rows for cell in row)


def test_csv_cells_cannot_become_formulas(app, client, squad):
    run = runs.create_run(squad, 1)
    sock, _ = staff_socket(app, client, run)
    girl = phone(app, join(app.test_client(), run, "Rode Vos"))
    command(sock, run, "start")
    index = next(n for n, i in enumerate(programme().module(1).items) if i.type == "open")
    command(sock, run, "goto", index=index)
    answer(girl, programme().module(1).items[index].id, {"text": "=HYPERLINK(\"x\")"})
    body = client.get(f"/staff/runs/{run.id}/report.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_another_counsellor_reaches_nothing_of_mine(app, client, squad):
    run = finished_run(app, client, squad, {"Rode Vos": {"value": 2}})
    make_facilitator(email="bea@example.org", name="Bea")
    other = app.test_client()
    login(other, email="bea@example.org")
    for path in (f"/staff/squads/{squad.id}", f"/staff/runs/{run.id}", f"/staff/runs/{run.id}/report",
                 f"/staff/runs/{run.id}/report.csv", f"/staff/runs/{run.id}/qr.svg"):
        assert other.get(path).status_code == 404, path
    token = csrf_from(other.get("/staff/squads").get_data(as_text=True))
    assert other.post(f"/staff/runs/{run.id}/delete", data={"csrf_token": token}).status_code == 404
    assert other.get("/staff/audit").status_code == 403
    assert db.session.get(Run, run.id) is not None


def test_privacy_pages_exist_in_three_languages(app, client, staff):
    english = {"girls": "What happens with my answers?", "staff": "what GPS Live stores"}
    for code in ("nl", "fr", "en"):
        girl = app.test_client()
        girl.get(f"/lang/{code}")
        girls_page = girl.get("/privacy").get_data(as_text=True)
        client.get(f"/lang/{code}")
        staff_page = client.get("/staff/privacy").get_data(as_text=True)
        translated = code != "en"
        assert (english["girls"] not in girls_page) == translated and "116 000" in girls_page
        assert (english["staff"] not in staff_page) == translated


def test_no_ip_or_device_data_in_the_schema(app):
    columns = {c.name for table in db.metadata.tables.values() for c in table.columns}
    assert not columns & {"ip", "ip_address", "user_agent", "remote_addr", "device"}


def test_closed_tracks_are_purged_and_a_track_can_be_deleted_now(app, client, staff):
    from app.models import SquadMode
    from app.models import Run
    from app.models_tracks import Track
    from app.services import squads, tracks

    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    old, _ = tracks.create_track(squad)
    kept, _ = tracks.create_track(squad)
    closed = utcnow()
    db.session.execute(db.update(Track).where(Track.id == old.id).values(closed_at=closed))
    db.session.execute(db.update(Track).where(Track.id == kept.id).values(last_activity_at=closed + timedelta(days=1)))
    db.session.commit()
    assert retention.purge_tracks(30, now=closed + timedelta(days=30, seconds=-1)) == 0
    assert retention.purge_tracks(30, now=closed + timedelta(days=30)) == 1
    assert {t.id for t in Track.query.all()} == {kept.id}
    page = client.get(f"/staff/tracks/{kept.id}").get_data(as_text=True)
    assert client.post(f"/staff/tracks/{kept.id}/delete", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert Track.query.count() == 0 and Run.query.filter(Run.track_id.is_not(None)).count() == 0
    assert AuditEntry.query.filter_by(action="track_deleted").count() == 1
