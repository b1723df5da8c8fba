"""Issue 5 against the real server (`python run.py`) with real python-socketio clients: a girl's online track
across two "days" (her phone disconnects, the server is even killed and restarted in between), her coach
following live, support messages both ways, a refused reuse of her invitation, and a takeover by a new
invitation that stops the old phone. Also the offline individual run: one girl only, at her own pace."""
from __future__ import annotations

import re
import threading
import time

import pytest
import requests
import socketio

from app.content import load_programme
from app.programme import SESSIONS

from .conftest import LiveServer, csrf_of, post_form, staff_session

pytestmark = pytest.mark.live
WAIT = 20.0  # seconds for any one awaited event; generous for a loaded CI machine

# Module 0 as one girl walks it, from the content itself (the texts and order are the content's to change).
ONE_TO_ONE_0 = [item.id for item in load_programme(SESSIONS).module(0).items if "individual" in item.modes]


class Client:
    """A real Socket.IO client that records the events a test waits for (bounded waits, no sleeps)."""

    def __init__(self, server: LiveServer, names: tuple[str, ...]):
        self.url, self.events, self.cond = server.url, [], threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        for name in names:
            self.sio.on(name, lambda data=None, name=name: self._record(name, data))

    def _record(self, name, data):
        with self.cond:
            self.events.append((name, data))
            self.cond.notify_all()

    def wait_for(self, name: str, match=lambda data: True, timeout: float = WAIT):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event, data in self.events:
                    if event == name and match(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {name!r} within {timeout}s; got {[e for e, _ in self.events]}")
                self.cond.wait(left)

    def call(self, event: str, data: dict) -> dict:
        return self.sio.call(event, data, timeout=10)

    def close(self):
        if self.sio.connected:
            self.sio.disconnect()


def hang_up(clients: list[Client]) -> None:
    """Close all clients at once: python-engineio's websocket close may wait up to 3 s for its frame."""
    threads = [threading.Thread(target=client.close) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)


def girl(server: LiveServer, token: str, key: str) -> Client:
    phone = Client(server, ("track:snapshot", "track:message", "track:revoked", "track:signal_seen"))
    phone.sio.connect(server.url, auth={"track": token, "key": key}, transports=["websocket"], wait_timeout=10)
    return phone


def coach(server: LiveServer, http: requests.Session, track_id: int) -> tuple[Client, dict]:
    view = Client(server, ("facilitator:track_answer", "facilitator:track_message", "facilitator:track_signal", "facilitator:track_changed"))
    view.sio.connect(server.url, headers={"Cookie": f"session={http.cookies['session']}"}, transports=["websocket"],
                     wait_timeout=10)
    ack = view.call("facilitator:track_join", {"track": track_id})
    assert ack["ok"], ack
    return view, ack["snapshot"]


def make_squad(server: LiveServer, http: requests.Session, mode: str) -> int:
    made = post_form(http, server.url + "/staff/squads", {"name": f"Squad {mode}", "mode": mode})
    assert made.status_code == 302, made.text[:300]
    return int(made.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def post_on(http: requests.Session, page_url: str, action_url: str) -> requests.Response:
    """A button form whose action differs from its page (CSRF token from the page)."""
    token = csrf_of(http.get(page_url, timeout=10).text)
    return http.post(action_url, data={"csrf_token": token}, allow_redirects=False, timeout=10)


def invitation_of(server: LiveServer, http: requests.Session, track_id: int) -> str:
    page = http.get(f"{server.url}/staff/tracks/{track_id}", timeout=10).text
    return re.search(r'id="invitation-link">([^<]+)<', page).group(1)


def accept(link: str, pseudonym: str) -> tuple[str, str]:
    """She opens her invitation on a phone; returns (token her phone keeps, track key)."""
    http = requests.Session()
    response = post_form(http, link, {"pseudonym": pseudonym, "language": "en"})
    assert response.status_code == 302, response.text[:300]
    page = http.get(link.split("/i/")[0] + response.headers["Location"], timeout=10).text
    return re.search(r'data-token="([^"]+)"', page).group(1), re.search(r'data-key="([^"]+)"', page).group(1)


def answer(phone: Client, item: str, payload: dict, client_id: str) -> dict:
    return phone.call("participant:answer", {"item": item, "payload": payload, "client_id": client_id})


def test_online_track_live(live_server: LiveServer):
    server, clients = live_server, []
    try:
        http = staff_session(server)
        squad_id = make_squad(server, http, "online_individual")
        squad_url = f"{server.url}/staff/squads/{squad_id}"
        made = post_on(http, squad_url, squad_url + "/tracks")
        track_id = int(made.headers["Location"].rsplit("/", 1)[-1])
        link = invitation_of(server, http, track_id)
        token, key = accept(link, "Zilveren Maan")
        assert requests.get(link, timeout=10).status_code == 410  # single use

        view, snap = coach(server, http, track_id)
        clients.append(view)
        assert snap["track"]["pseudonym"] == "Zilveren Maan" and snap["track"]["done"] == 0

        # Day one: she answers two messages; her coach follows live and writes to her.
        day1 = girl(server, token, key)
        clients.append(day1)
        assert day1.wait_for("track:snapshot")["track"]["current"] == "m0-mood"
        first = answer(day1, "m0-mood", {"value": 5}, "live-answer-01")
        assert first["ok"] and first["snapshot"]["inbox"][0]["info"]
        seen = view.wait_for("facilitator:track_answer", lambda d: d["answer"]["item"] == "m0-mood")
        assert seen["progress"]["done"] == 1 and seen["progress"]["position"] == 2
        second, third = ONE_TO_ONE_0[1], ONE_TO_ONE_0[2]
        assert answer(day1, second, {"skip": True}, "live-answer-02")["ok"]
        view.wait_for("facilitator:track_answer", lambda d: d["progress"]["done"] == 2)
        sent = view.call("facilitator:track_message", {"track": track_id, "text": "Mooi gedaan! Tot morgen?", "client_id": "live-coach-1"})
        assert sent["ok"]
        assert day1.wait_for("track:message")["text"] == "Mooi gedaan! Tot morgen?"
        assert day1.call("participant:reply", {"text": "Ja, tot morgen", "client_id": "live-girl-01"})["ok"]
        assert view.wait_for("facilitator:track_message", lambda d: d["from"] == "girl")["text"] == "Ja, tot morgen"
        hang_up([day1, view])  # her phone goes to sleep; the coach closes the laptop

        # The night: the server is killed and restarted; only what was committed is there the next day.
        server.restart()

        # Day two: the same token, no typing; she continues where she stopped and rereads her messages.
        view, snap = coach(server, http, track_id)
        clients.append(view)
        day2 = girl(server, token, key)
        clients.append(day2)
        again = day2.wait_for("track:snapshot")
        assert again["track"]["done"] == 2 and again["track"]["current"] == third
        assert [m["from"] for m in again["messages"]] == ["coach", "girl"]
        assert again["inbox"][1]["answer"] == {"skip": True} and again["inbox"][1]["info"]
        assert answer(day2, third, {"skip": True}, "live-answer-03")["ok"]
        assert view.wait_for("facilitator:track_answer")["progress"]["done"] == 3

        # Her "I want to talk" reaches the coach live.
        assert day2.call("participant:signal", {"kind": "talk"}) == {"ok": True}
        assert view.wait_for("facilitator:track_signal")["pseudonym"] == "Zilveren Maan"

        # She lost her phone: a new invitation takes the track over; the old phone is stopped.
        post_on(http, f"{server.url}/staff/tracks/{track_id}", f"{server.url}/staff/tracks/{track_id}/invitation")
        new_token, new_key = accept(invitation_of(server, http, track_id), "")
        assert new_key == key
        assert day2.wait_for("track:revoked") == {"track": track_id}
        assert answer(day2, ONE_TO_ONE_0[3], {"skip": True}, "live-answer-04")["error"] == "token_revoked"
        with pytest.raises(socketio.exceptions.ConnectionError):
            girl(server, token, key)
        new_phone = girl(server, new_token, new_key)
        clients.append(new_phone)
        assert new_phone.wait_for("track:snapshot")["track"]["done"] == 3
    finally:
        hang_up(clients)


def test_offline_individual_live(live_server: LiveServer):
    server, clients = live_server, []
    try:
        http = staff_session(server)
        squad_id = make_squad(server, http, "offline_individual")
        opened = post_form(http, f"{server.url}/staff/squads/{squad_id}/modules/0/start", {})
        run_id = int(re.search(r"/staff/runs/(\d+)", opened.headers["Location"]).group(1))
        page = http.get(f"{server.url}/staff/runs/{run_id}", timeout=10).text
        join_link = re.search(re.escape(server.url) + r"/j/[A-Za-z0-9_-]+", page).group(0)

        phone_http = requests.Session()
        assert post_form(phone_http, join_link, {"pseudonym": "Blauwe Vos", "language": "en"}).status_code == 302
        token = re.search(r'data-token="([^"]+)"', phone_http.get(join_link.replace("/j/", "/p/"), timeout=10).text).group(1)
        other_phone = requests.Session()
        other_phone.headers["Accept-Language"] = "en"
        second = post_form(other_phone, join_link, {"pseudonym": "Tweede", "language": "en"})
        assert second.status_code == 200 and "for one girl only" in second.text

        dash = Client(server, ("facilitator:changed",))
        dash.sio.connect(server.url, headers={"Cookie": f"session={http.cookies['session']}"}, transports=["websocket"],
                         wait_timeout=10)
        clients.append(dash)
        assert dash.call("facilitator:join", {"run": run_id})["ok"]
        phone = Client(server, ("snapshot", "update"))
        phone.sio.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        clients.append(phone)
        assert dash.call("facilitator:command", {"run": run_id, "action": "start"})["ok"]
        assert dash.call("facilitator:command", {"run": run_id, "action": "self_paced"})["snapshot"]["self_paced"]
        ack = phone.call("answer", {"item": "m0-mood", "payload": {"value": 3}, "client_id": "live-offline-1"})
        assert ack["ok"]
        # the next one-to-one message (group-only messages such as the agreements are left out)
        snap = phone.wait_for("snapshot", lambda s: s["run"]["current"] == ONE_TO_ONE_0[1])
        assert snap["inbox"][0]["info"]  # the blogger's info right after her answer, and the next message
    finally:
        hang_up(clients)
