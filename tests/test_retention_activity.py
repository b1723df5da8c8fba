"""Issue 11: retention by last activity. A run never ended and a track never closed are purged once idle for
RETENTION_DAYS, like an ended run; joins, answers, messages and moves keep them; the coach sees it coming."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import Answer, Participant, Run, RunState, SquadMode, utcnow
from app.models_tracks import SupportMessage, Track
from app.services import retention, squads

from .conftest import join, phone
from .test_run_flow import answer, command, staff_socket
from .test_tracks import coach_socket, create_track, girl_phone, join_track

TEN_YEARS = timedelta(days=3650)


def back_date(model, row_id, **columns):
    db.session.execute(db.update(model).where(model.id == row_id).values(**columns))
    db.session.commit()
    db.session.expire_all()


def fresh(model, row_id):
    """The row as the database has it now (requests write through their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, row_id)


def test_a_run_left_open_for_ten_years_is_ended_and_purged(app, client, run):
    join(app.test_client(), run, "Rode Vos")
    back_date(Run, run.id, created_at=utcnow() - TEN_YEARS, last_activity_at=utcnow() - TEN_YEARS)
    assert retention.purge(30) == 1
    purged = fresh(Run, run.id)
    assert purged.state is RunState.ENDED and purged.purged_at is not None and purged.join_code is None
    assert Participant.query.count() == 0


def test_a_run_from_before_the_column_counts_from_its_start(app, client, run):
    back_date(Run, run.id, created_at=utcnow() - TEN_YEARS, last_activity_at=None)
    assert retention.purge(30) == 1


def test_joins_answers_and_moves_keep_an_open_run(app, client, run):
    sock, _ = staff_socket(app, client, run)
    back_date(Run, run.id, created_at=utcnow() - TEN_YEARS, last_activity_at=None)
    girl = phone(app, join(app.test_client(), run, "Rode Vos"))  # a join
    assert fresh(Run, run.id).last_activity_at > utcnow() - timedelta(minutes=1)
    back_date(Run, run.id, last_activity_at=utcnow() - timedelta(days=29))
    command(sock, run, "start")  # a move
    assert fresh(Run, run.id).last_activity_at > utcnow() - timedelta(minutes=1)
    back_date(Run, run.id, last_activity_at=utcnow() - timedelta(days=29))
    assert answer(girl, "m0-mood", {"value": 3})["ok"]  # an answer
    assert fresh(Run, run.id).last_activity_at > utcnow() - timedelta(minutes=1)
    assert retention.purge(30) == 0 and Answer.query.count() == 1
    assert retention.purge(30, now=utcnow() + timedelta(days=30, minutes=1)) == 1


def test_answers_in_a_burst_note_the_activity_once_and_none_is_lost(app, client, run):
    sock, _ = staff_socket(app, client, run)
    girls = [phone(app, join(app.test_client(), run, f"Meisje {n}")) for n in range(5)]
    command(sock, run, "start")
    version = fresh(Run, run.id).version
    assert all(answer(girl, "m0-mood", {"value": 2})["ok"] for girl in girls)
    assert Answer.query.count() == 5 and fresh(Run, run.id).version == version


def online_track(app, client, staff):
    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    track_id, path = create_track(client, squad)
    token, key = join_track(app, path)
    return db.session.get(Track, track_id), token, key


def test_an_open_track_idle_for_the_retention_period_is_deleted(app, client, staff):
    track, _, _ = online_track(app, client, staff)
    back_date(Track, track.id, created_at=utcnow() - TEN_YEARS, joined_at=utcnow() - TEN_YEARS,
              last_activity_at=utcnow() - timedelta(days=30))
    assert retention.purge_tracks(30) == 1
    assert Track.query.count() == 0


def test_messages_answers_and_the_coachs_moves_keep_a_track(app, client, staff):
    track, token, key = online_track(app, client, staff)
    her, (coach, _) = girl_phone(app, token, key), coach_socket(app, client, track.id)
    for act in (lambda: her.emit("participant:reply", {"text": "hoi", "client_id": "girl-msg-0001"}, callback=True),
                lambda: coach.emit("facilitator:track_message", {"track": track.id, "text": "dag",
                                                     "client_id": "coach-msg-0001"}, callback=True),
                lambda: coach.emit("facilitator:track_module", {"track": track.id, "module": 5, "open": False}, callback=True)):
        back_date(Track, track.id, last_activity_at=utcnow() - timedelta(days=29))
        ack = act()
        assert ack["ok"], ack
        assert fresh(Track, track.id).last_activity_at > utcnow() - timedelta(minutes=1)
    assert SupportMessage.query.count() == 2
    assert retention.purge_tracks(30) == 0 and Track.query.count() == 1


def test_the_coach_sees_the_purge_coming_on_the_track_and_squad_pages(app, client, staff):
    track, _, _ = online_track(app, client, staff)
    back_date(Track, track.id, last_activity_at=utcnow() - timedelta(days=20))
    assert 'id="retention-warning"' not in client.get(f"/staff/tracks/{track.id}").get_data(as_text=True)
    back_date(Track, track.id, last_activity_at=utcnow() - timedelta(days=24))
    page = client.get(f"/staff/tracks/{track.id}").get_data(as_text=True)
    assert 'id="retention-warning"' in page and "will be deleted with her answers and messages" in page
    assert "will be deleted with her answers" in client.get(f"/staff/squads/{track.squad_id}").get_data(as_text=True)


def test_the_squad_page_warns_before_an_idle_run_is_ended(app, client, squad, run):
    assert 'id="retention-warning"' not in client.get(f"/staff/squads/{squad.id}").get_data(as_text=True)
    back_date(Run, run.id, created_at=utcnow() - timedelta(days=25))
    page = client.get(f"/staff/squads/{squad.id}").get_data(as_text=True)
    assert 'id="retention-warning"' in page and "it will be ended and its answers deleted" in page


def test_a_purged_track_keeps_counts_per_item_and_nothing_of_her(app, client, staff):
    """Issue 13: purged like an ended run. Her module runs stay as runs of the squad with counts only."""
    from app.models import ItemTally, Signal

    track, token, key = online_track(app, client, staff)
    her = girl_phone(app, token, key)
    assert her.emit("participant:answer", {"item": "m0-mood", "payload": {"value": 2}, "client_id": "purge-me-0001"},
                    callback=True)["ok"]
    assert her.emit("participant:reply", {"text": "Ik ben Zoë", "client_id": "girl-msg-0002"}, callback=True)["ok"]
    assert her.emit("participant:signal", {"kind": "talk"}, callback=True)["ok"]
    run_id = fresh(Track, track.id).runs[0].id
    # A girl's answer keeps the track alive: her earlier modules are not purged one by one while she works on.
    back_date(Run, run_id, last_activity_at=utcnow() - TEN_YEARS)
    assert retention.purge(30) == 0 and Answer.query.count() == 1

    back_date(Track, track.id, last_activity_at=utcnow() - timedelta(days=31))
    assert retention.purge_tracks(30) == 1
    assert Track.query.count() == 0 and SupportMessage.query.count() == 0
    assert Answer.query.count() == 0 and Participant.query.count() == 0 and Signal.query.count() == 0
    kept = fresh(Run, run_id)
    assert kept.purged_at is not None and kept.track_id is None and kept.state is RunState.ENDED
    assert [(t.item_id, t.answered, t.skipped) for t in ItemTally.query.filter_by(run_id=run_id)] == [
        ("m0-mood", 1, 0)]
