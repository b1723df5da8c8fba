"""Issue 13: the migration that makes each module of a track a run loses nothing, and old links keep working."""
from __future__ import annotations

import re

import pytest

from app.extensions import socketio

from . import migration_tracks as m


@pytest.fixture()
def previous_app(tmp_path):
    with m.app_before_issue_13(f"sqlite:///{tmp_path / 'before-issue-13.db'}") as application:
        yield application


def test_tracks_answers_signals_and_messages_survive_the_upgrade(previous_app):
    m.upgrade_to_head(previous_app)
    m.check_everything_in_place(previous_app)


def test_her_old_link_and_phone_keep_working_after_the_upgrade(previous_app):
    m.upgrade_to_head(previous_app)
    page = previous_app.test_client().get(f"/t/{m.KEY}")
    assert page.status_code == 200 and f'data-key="{m.KEY}"' in page.get_data(as_text=True)
    phone = socketio.test_client(previous_app, auth={"track": m.HER_TOKEN, "key": m.KEY})
    assert phone.is_connected()
    snapshot = next(e["args"][0] for e in phone.get_received() if e["name"] == "track:snapshot")
    before = [row["item"] for row in m.her_answers()]
    assert [i["id"] for i in snapshot["inbox"]][:len(before)] == before
    assert snapshot["track"]["answered"] == len(before) and snapshot["signals_open"] == ["talk"]
    assert [row["text"] for row in snapshot["messages"]] == ["Hoi, goed bezig!", "Dank je"]
    current = snapshot["track"]["current"]
    assert re.match(r"^m1-", current)  # she goes on in module 1, where she was
    ack = phone.emit("track:answer", {"item": current, "payload": {"skip": True}, "client_id": "after-upgrade-1"},
                     callback=True)
    assert ack["ok"], ack
    phone.disconnect()
