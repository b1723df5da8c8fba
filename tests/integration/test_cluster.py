"""Two `python run.py` processes on one PostgreSQL database and one Redis queue: one GPS Live.

The counsellor's dashboard talks to process A, the girls' phones to process B (and the other way round);
every event must reach every client whichever process it lands on, and the database stays the truth.
"""
from __future__ import annotations

import subprocess
import sys
import time

import requests

from .conftest import (ROOT, Client, Server, TcpRelay, closed_port, csrf_from, demo_run, join_over_http, payload_for,
                       port_of, query, server_env, staff_cookie, through_relay, unique)


def staff_on(url: str, run: dict, name: str = "staff") -> Client:
    staff = Client(name, cookie=staff_cookie(url, run["email"])).connect(url)
    joined = staff.call("facilitator:join", {"run": run["run"]})
    assert joined["ok"], joined
    return staff


def phone_on(url: str, token: str, name: str) -> Client:
    phone = Client(name, auth={"token": token}).connect(url)
    phone.wait_for("snapshot")
    return phone


def command(staff: Client, run: dict, action: str) -> dict:
    ack = staff.call("facilitator:command", {"run": run["run"], "action": action})
    assert ack["ok"], ack
    return ack["snapshot"]


def live_item(phone: Client, after: int, item_id: str | None = None) -> dict:
    update = phone.wait_for("update", lambda u: u["item"] is not None and item_id in (None, u["item"]["id"]),
                            after=after)
    return update["item"]


def stored_answers(cluster, run: dict) -> list[tuple]:
    return query(cluster.database_url, "SELECT participant_id, item_id, client_id FROM answer WHERE run_id = :run",
                 run=run["run"])


def new_run(cluster) -> dict:
    return demo_run(cluster.env, f"{unique('staff')}@gps.test")


def test_join_items_answers_and_reveals_flow_between_processes(live_cluster):
    a, b = live_cluster.a, live_cluster.b
    run = new_run(live_cluster)
    staff = staff_on(a.url, run)
    seen = staff.mark()
    tokens = {name: join_over_http(b.url, run["join_token"], name) for name in ("Rode Vos", "Witte Uil")}
    staff.wait_for("facilitator:joined", after=seen)  # a join handled by B reaches the dashboard on A
    tokens["Roze Ster"] = join_over_http(a.url, run["join_token"], "Roze Ster")
    phones = [phone_on(b.url, tokens["Rode Vos"], "Rode Vos"), phone_on(b.url, tokens["Witte Uil"], "Witte Uil"),
              phone_on(a.url, tokens["Roze Ster"], "Roze Ster")]
    marks = [p.mark() for p in phones]
    command(staff, run, "start")  # on A
    items = [live_item(p, m) for p, m in zip(phones, marks)]
    assert len({i["id"] for i in items}) == 1
    item = items[0]
    seen = staff.mark()
    for number, p in enumerate(phones):
        ack = p.call("answer", {"item": item["id"], "payload": payload_for(item), "client_id": f"cluster-{number:04d}"})
        assert ack["ok"], ack
    for p in phones:
        staff.wait_for("facilitator:answer", lambda d, n=p.name: d["answer"]["pseudonym"] == n, after=seen)
    # Retries of the same answers, through the other process this time: stored once all the same.
    retry = [phone_on(a.url, tokens["Rode Vos"], "Rode Vos again"), phone_on(b.url, tokens["Roze Ster"], "Roze again")]
    for p, number in zip(retry, (0, 2)):
        assert p.call("answer", {"item": item["id"], "payload": payload_for(item),
                                 "client_id": f"cluster-{number:04d}"})["ok"]
    answers = stored_answers(live_cluster, run)
    assert len(answers) == 3 and len({(pid, iid) for pid, iid, _ in answers}) == 3

    second = staff_on(b.url, run, "second tab on B")
    marks = [p.mark() for p in phones]
    command(second, run, "reveal_results")  # on B this time: reaches phones on both processes
    for p, m in zip(phones, marks):
        revealed = p.wait_for("update", lambda u: u["item"] and u["item"]["revealed"]["results"], after=m)
        assert revealed["item"]["id"] == item["id"]
    staff.wait_for("facilitator:changed", after=seen)
    for client in phones + retry + [staff, second]:
        client.close()


def test_a_killed_process_loses_nothing_acknowledged(live_cluster):
    """B is SIGKILLed mid-run: its phones move to A, keep their acknowledged answers and go on."""
    a, b = live_cluster.a, live_cluster.b
    run = new_run(live_cluster)
    staff = staff_on(a.url, run)
    names = ("Blauwe Vos", "Groene Uil", "Gele Ster")
    tokens = {name: join_over_http(b.url, run["join_token"], name) for name in names}
    phones = {name: phone_on(b.url, tokens[name], name) for name in names}
    marks = {name: p.mark() for name, p in phones.items()}
    command(staff, run, "start")
    first = {name: live_item(p, marks[name]) for name, p in phones.items()}["Blauwe Vos"]
    acked = {}
    for number, (name, p) in enumerate(phones.items()):
        client_id = f"before-kill-{number:04d}"
        assert p.call("answer", {"item": first["id"], "payload": payload_for(first), "client_id": client_id})["ok"]
        acked[name] = client_id

    b.kill()
    for name, p in phones.items():
        p.wait_for("__disconnect__", timeout=15)
        p.close()
    moved = {name: Client(name, auth={"token": tokens[name]}).connect(a.url) for name in names}
    for name, p in moved.items():
        snapshot = p.wait_for("snapshot")
        mine = {entry["id"]: entry.get("answer") for entry in snapshot["inbox"]}
        assert mine.get(first["id"]) is not None, f"{name} lost her acknowledged answer: {snapshot['inbox']}"
    assert len(stored_answers(live_cluster, run)) == len(names)

    marks = {name: p.mark() for name, p in moved.items()}
    command(staff, run, "next")
    nexts = {name: live_item(p, marks[name]) for name, p in moved.items()}
    item = nexts["Blauwe Vos"]
    assert item["id"] != first["id"]
    for number, p in enumerate(moved.values()):
        assert p.call("answer", {"item": item["id"], "payload": payload_for(item),
                                 "client_id": f"after-kill-{number:04d}"})["ok"]
    answers = stored_answers(live_cluster, run)
    assert len(answers) == 2 * len(names)
    assert {cid for _, _, cid in answers} >= set(acked.values())
    for client in list(moved.values()) + [staff]:
        client.close()


def test_join_code_rate_limit_holds_across_processes(live_cluster):
    """POST /code allows 20 wrong codes per minute per address: 12 on A and 8 on B use it up; the 21st is refused."""
    a, b = live_cluster.a, live_cluster.b
    live_cluster.redis.clear()  # counters of earlier tests in this module
    browser = requests.Session()
    token = csrf_from(browser.get(f"{a.url}/code", timeout=10).text)  # the same SECRET_KEY: valid on B too

    def wrong_code(server) -> int:
        return browser.post(f"{server.url}/code", data={"code": "ZZZZZZ", "csrf_token": token}, timeout=10).status_code

    statuses = [wrong_code(a) for _ in range(12)] + [wrong_code(b) for _ in range(8)]
    assert statuses == [200] * 20
    assert wrong_code(b) == 429
    assert wrong_code(a) == 429


def health(server) -> tuple[int, dict]:
    answer = requests.get(f"{server.url}/healthz", timeout=10)
    return answer.status_code, answer.json()


def wait_health(server, status: int, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        code, body = health(server)
        if code == status:
            return body
        assert time.monotonic() < deadline, f"/healthz still {code} {body} after {timeout}s"
        time.sleep(0.2)


def test_redis_unreachable_at_start_is_one_clear_line(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'x.db'}", SOCKETIO_MESSAGE_QUEUE=f"redis://127.0.0.1:{closed_port()}/0")
    done = subprocess.run([sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(closed_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert lines[0].startswith("GPS Live cannot start: Redis at SOCKETIO_MESSAGE_QUEUE cannot be reached")


def test_redis_and_postgres_lost_during_a_run_then_back(live_cluster, tmp_path):
    """A third process reaches Redis and PostgreSQL through relays that the test cuts and restores."""
    redis_relay = TcpRelay(port_of(live_cluster.redis.url, 6379)).start()
    pg_relay = TcpRelay(port_of(live_cluster.database_url, 5432)).start()
    env = {**live_cluster.env, "DATABASE_URL": through_relay(live_cluster.database_url, pg_relay),
           "SOCKETIO_MESSAGE_QUEUE": through_relay(live_cluster.redis.url, redis_relay)}
    c = Server(env, tmp_path, "C").start()
    try:
        run = new_run(live_cluster)
        staff = staff_on(live_cluster.a.url, run)
        phone = phone_on(c.url, join_over_http(c.url, run["join_token"], "Paarse Uil"), "Paarse Uil")

        redis_relay.cut()
        assert wait_health(c, 503) == {"ok": False, "database": "ok", "queue": "unreachable"}
        token = csrf_from(requests.get(f"{c.url}/code", timeout=10).text)
        wrong = requests.post(f"{c.url}/code", data={"code": "ZZZZZZ", "csrf_token": token}, timeout=10)
        assert wrong.status_code in (200, 400)  # the rate limit falls back to memory instead of failing
        redis_relay.restore()
        wait_health(c, 200)
        # The queue listener reconnects with a back-off: a command on A reaches the phone on C again.
        deadline, item = time.monotonic() + 30, None
        mark = phone.mark()
        command(staff, run, "start")
        while item is None and time.monotonic() < deadline:
            try:
                item = live_item(phone, mark)
            except AssertionError:
                mark = phone.mark()
                command(staff, run, "next")
        assert item is not None, c.log()

        pg_relay.cut()
        assert wait_health(c, 503) == {"ok": False, "database": "unreachable", "queue": "ok"}
        assert requests.get(f"{c.url}/login", timeout=20).status_code == 500  # the friendly error page
        pg_relay.restore()
        wait_health(c, 200)
        assert requests.get(f"{c.url}/login", timeout=10).status_code == 200
        assert c.process.poll() is None
        for client in (staff, phone):
            client.close()
    finally:
        c.stop()
        redis_relay.cut()
        pg_relay.cut()
