"""Issue 13: a girl who works one-to-one with her counsellor keeps one identity across the modules of her squad:
one pseudonym, her earlier answers visible to her counsellor, her phone offered the next module."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Participant, Run, RunState, SquadMode
from app.models_tracks import Track
from app.services import runs, squads

from .conftest import csrf_from, join, phone, received


@pytest.fixture()
def one_to_one(staff):
    return squads.create_squad(staff, "Eén op één", SquadMode.OFFLINE_INDIVIDUAL)


def start(client, squad, number: int, girl: int | None = None) -> Run:
    """The counsellor's real pages: the preparation page, then "Open the lobby"."""
    path = f"/staff/squads/{squad.id}/modules/{number}/start" + (f"?girl={girl}" if girl else "")
    page = client.get(path).get_data(as_text=True)
    made = client.post(path, data={"csrf_token": csrf_from(page)})
    assert made.status_code == 302, made.get_data(as_text=True)[:300]
    return db.session.get(Run, int(made.headers["Location"].rsplit("/", 1)[-1]))


def end(run: Run) -> None:
    runs.change(run.id, runs.end)


def first_module(app, client, squad):
    """Module 0 with a new girl: she chooses her pseudonym and answers the check-in."""
    run = start(client, squad, 0)
    runs.change(run.id, runs.start)
    girl = app.test_client()
    token = join(girl, run, pseudonym="Zoë De Smet", language="en")
    her_phone = phone(app, token)
    her_phone.token = token  # to open her page again later, as her phone would
    item = runs.current_item(db.session.get(Run, run.id, populate_existing=True))
    ack = her_phone.emit("participant:answer", {"item": item.id, "payload": {"value": 4}, "client_id": "first-answer-1"},
                         callback=True)
    assert ack["ok"], ack
    return run, girl, her_phone


def test_she_is_enrolled_once_and_listed_on_the_squad_page(app, client, one_to_one):
    run, _girl, _phone = first_module(app, client, one_to_one)
    her = db.session.query(Participant).filter_by(run_id=run.id).one()
    enrolment = db.session.get(Track, her.track_id)
    assert enrolment.pseudonym == "Zoë De Smet" and enrolment.squad_id == one_to_one.id
    assert enrolment.token_hash is None  # she works beside her counsellor: no phone token of a track
    end(run)
    page = client.get(f"/staff/squads/{one_to_one.id}").get_data(as_text=True)
    assert f'id="girl-{enrolment.id}"' in page and "Zoë De Smet" in page
    assert f"/modules/1/start?girl={enrolment.id}" in page


def test_the_next_module_goes_on_under_the_same_pseudonym(app, client, one_to_one):
    first, girl, old_phone = first_module(app, client, one_to_one)
    enrolment_id = db.session.query(Participant).filter_by(run_id=first.id).one().track_id
    end(first)
    old_phone.get_received()

    prepare = client.get(f"/staff/squads/{one_to_one.id}/modules/1/start?girl={enrolment_id}").get_data(as_text=True)
    assert 'id="start-with"' in prepare and "Zoë De Smet" in prepare
    second = start(client, one_to_one, 1, girl=enrolment_id)
    waiting = db.session.query(Participant).filter_by(run_id=second.id).one()
    assert (waiting.pseudonym, waiting.track_id) == ("Zoë De Smet", enrolment_id)

    # Her phone, still open on module 0, is offered module 1; so is a phone that opens module 0 again later.
    offered = received(old_phone, "next_module")
    assert offered == [{"module": 1, "link": f"/j/{second.join_token}"}]
    again = phone(app, old_phone.token)
    assert received(again, "snapshot")[-1]["next_module"] == {"module": 1, "link": f"/j/{second.join_token}"}
    again.disconnect()

    # The join page continues as her: nothing to type, the same participant row.
    join_page = girl.get(f"/j/{second.join_token}").get_data(as_text=True)
    assert 'id="continue-as"' in join_page and 'name="pseudonym" value="Zoë De Smet"' in join_page
    went = girl.post(f"/j/{second.join_token}", data={"language": "en", "csrf_token": csrf_from(join_page)})
    assert went.status_code == 302
    token = re.search(r'data-token="([^"]+)"', girl.get(f"/p/{second.join_token}").get_data(as_text=True)).group(1)
    new_phone = phone(app, token)
    assert new_phone.is_connected()
    snapshot = received(new_phone, "snapshot")[-1]
    assert snapshot["me"]["pseudonym"] == "Zoë De Smet"
    assert db.session.query(Participant).filter_by(run_id=second.id).count() == 1

    # Once she is in, another phone on the same QR code is refused, as before: one girl only.
    other = app.test_client()
    other_page = other.get(f"/j/{second.join_token}").get_data(as_text=True)
    assert 'id="continue-as"' not in other_page
    refused = other.post(f"/j/{second.join_token}", data={"pseudonym": "Iemand", "language": "en",
                                                          "csrf_token": csrf_from(other_page)})
    assert "one girl only" in refused.get_data(as_text=True)


def test_her_counsellor_sees_her_earlier_answers(app, client, one_to_one):
    first, _girl, _phone = first_module(app, client, one_to_one)
    enrolment_id = db.session.query(Participant).filter_by(run_id=first.id).one().track_id
    end(first)
    second = start(client, one_to_one, 1, girl=enrolment_id)
    dashboard = client.get(f"/staff/runs/{second.id}").get_data(as_text=True)
    assert 'id="earlier-modules"' in dashboard and f"/staff/runs/{first.id}/report" in dashboard
    report = client.get(f"/staff/runs/{first.id}/report?names=1").get_data(as_text=True)
    assert "Zoë De Smet" in report


def test_a_girl_of_another_squad_cannot_be_started_with(app, client, one_to_one, staff):
    first, _girl, _phone = first_module(app, client, one_to_one)
    enrolment_id = db.session.query(Participant).filter_by(run_id=first.id).one().track_id
    end(first)
    other_squad = squads.create_squad(staff, "Andere", SquadMode.OFFLINE_INDIVIDUAL)
    run = start(client, other_squad, 1, girl=enrolment_id)  # the girl is ignored: she is not of this squad
    assert db.session.query(Participant).filter_by(run_id=run.id).count() == 0
    assert run.state is RunState.LOBBY


def test_her_enrolment_outlives_no_run_that_holds_her_answers(app, client, one_to_one):
    """Retention: the enrolment (her pseudonym) goes only once no run of hers holds answers any more."""
    from datetime import timedelta

    from app.models import Answer, utcnow
    from app.services import retention

    first, _girl, _phone = first_module(app, client, one_to_one)
    enrolment_id = db.session.query(Participant).filter_by(run_id=first.id).one().track_id
    end(first)
    long_ago = utcnow() - timedelta(days=40)
    db.session.execute(db.update(Track).where(Track.id == enrolment_id).values(last_activity_at=long_ago))
    db.session.commit()
    assert retention.purge_tracks(30) == 0 and db.session.query(Answer).count() == 1
    db.session.execute(db.update(Run).where(Run.id == first.id).values(ended_at=long_ago))
    db.session.commit()
    assert retention.purge(30) == 1 and retention.purge_tracks(30) == 1
    assert db.session.get(Track, enrolment_id) is None
