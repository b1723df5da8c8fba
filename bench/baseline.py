"""The baseline: a bare python-socketio server relaying the benchmark's traffic, without GPS Live.

Same server stack as run.py (gevent monkey-patching, gevent.pywsgi, python-socketio in async_mode
"gevent", websockets through simple-websocket), no Flask, no database, no checks. It answers the same
join path (a page with a form, a POST that redirects, a page with data-token), sends the same snapshot
and update payloads our server sends (captured by bench.setup_db), acks answers and relays them to the
staff room. What our figures cost above these is the price of our logic and database.

`python -m bench.baseline --port N --data setup.json`
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import sys  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from urllib.parse import parse_qs  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402

# A page about the size of our join page, so the HTTP part weighs the same.
PADDING = "<!-- " + "x" * 4000 + " -->"


class Relay:
    """In-memory runs: tokens, the current step, and every answer (for the lost/duplicate check)."""

    def __init__(self, data: dict):
        self.module = data["module"]
        self.runs = {row["join_token"]: row["run"] for row in data["squads"]}
        self.screens = {row["screen_token"]: row["run"] for row in data["squads"]}
        self.cookies = {row["cookie"]: row["run"] for row in data["squads"]}
        self.girls: dict[str, tuple[int, str]] = {}  # token -> (run, pseudonym)
        self.step: dict[int, tuple[int, bool]] = {}  # run -> (index, revealed)
        self.answers: dict[tuple[int, str, str], str] = {}  # (run, pseudonym, item) -> client_id

    def update(self, run: int) -> dict | None:
        if run not in self.step:
            return None
        index, revealed = self.step[run]
        step = self.module["steps"][index]
        return step["revealed" if revealed else "update"]


def build(data: dict) -> tuple[socketio.Server, Relay]:
    relay = Relay(data)
    sio = socketio.Server(async_mode="gevent", max_http_buffer_size=16 * 1024, ping_interval=20,
                          ping_timeout=25)

    @sio.on("connect")
    def connect(sid, environ, auth=None):
        auth = auth if isinstance(auth, dict) else {}
        if "token" in auth and auth["token"] in relay.girls:
            run, pseudonym = relay.girls[auth["token"]]
            sio.save_session(sid, {"run": run, "pseudonym": pseudonym})
            sio.enter_room(sid, f"run:{run}")
            snapshot = dict(relay.module["snapshot"], me={"pseudonym": pseudonym, "locale": "nl"})
            sio.emit("snapshot", snapshot, to=sid)
            return True
        if "screen" in auth and auth["screen"] in relay.screens:
            run = relay.screens[auth["screen"]]
            sio.enter_room(sid, f"run:{run}:screen")
            sio.save_session(sid, {"run": run})
            return True
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        if "session" in cookie and cookie["session"].value in relay.cookies:
            sio.save_session(sid, {"staff": relay.cookies[cookie["session"].value]})
            return True
        return False

    @sio.on("facilitator:join")
    def staff_join(sid, data):
        sio.enter_room(sid, f"run:{data['run']}:staff")
        return {"ok": True, "snapshot": relay.update(data["run"])}

    @sio.on("facilitator:command")
    def staff_command(sid, data):
        run, action = data["run"], data["action"]
        index, _revealed = relay.step.get(run, (-1, False))
        if action in ("start", "next"):
            relay.step[run] = (index + 1, False)
        elif action == "reveal_results":
            relay.step[run] = (index, True)
        if action == "end":
            sio.emit("ended", {"run": run}, to=f"run:{run}")
        else:
            sio.emit("update", relay.update(run), to=f"run:{run}")
        sio.emit("facilitator:changed", {"run": run}, to=f"run:{run}:staff")
        sio.emit("changed", {"run": run}, to=f"run:{run}:screen")
        return {"ok": True, "snapshot": relay.update(run)}

    @sio.on("sync")
    def sync(sid, data=None):
        run = sio.get_session(sid).get("run") or sio.get_session(sid).get("staff")
        return {"ok": True, "snapshot": relay.update(run)}

    @sio.on("participant:answer")
    def answer(sid, data):
        me = sio.get_session(sid)
        run, item = me["run"], data["item"]
        relay.answers[(run, me["pseudonym"], item)] = data["client_id"]
        counts = {"joined": 0, "answered": 0, "skipped": 0, "thinking": 0}
        row = {"id": 0, "participant": 0, "pseudonym": me["pseudonym"], "item": item, "value": data["payload"],
               "skipped": False, "hidden": False}
        sio.emit("facilitator:answer", {"answer": row, "counts": counts}, to=f"run:{run}:staff")
        sio.emit("presenter:counts", {"counts": counts}, to=f"run:{run}:screen")
        return {"ok": True, "item": item, "answer": data["payload"]}

    return sio, relay


def join_pages(relay: Relay):
    """The join path as plain WSGI: GET /j/<t> form, POST /j/<t> -> 204 with X-GPS-Token (as join.js asks), or
    without X-GPS-Replace -> 302 /p/<t>, GET /p/<t> with data-token."""

    def page(start_response, body: str, headers=()):
        data = f"<!doctype html><html><body>{body}{PADDING}</body></html>".encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", str(len(data))), *headers])
        return [data]

    def app(environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "j" and parts[1] in relay.runs:
            if method == "POST":
                return join(environ, start_response, relay.runs[parts[1]], parts[1])
            return page(start_response, '<form method="post"><input name="csrf_token" value="bench"></form>')
        if len(parts) == 2 and parts[0] == "p" and parts[1] in relay.runs:
            cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
            token = cookie["new_token"].value if "new_token" in cookie else ""
            return page(start_response, f'<div id="app" data-token="{token}"></div>')
        if path == "/bench/answers":
            rows = [[run, who, item, cid] for (run, who, item), cid in relay.answers.items()]
            data = json.dumps(rows).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    def join(environ, start_response, run: int, join_token: str):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(size).decode())
        token = secrets.token_urlsafe(24)
        relay.girls[token] = (run, form.get("pseudonym", ["?"])[0])
        if environ.get("HTTP_X_GPS_REPLACE") == "1":  # join.js: the inbox is on the join page already
            start_response("204 No Content", [("X-GPS-Next", f"/p/{join_token}"), ("X-GPS-Token", token)])
            return [b""]
        start_response("302 Found", [("Location", f"/p/{join_token}"), ("Content-Length", "0"),
                                     ("Set-Cookie", f"new_token={token}; Path=/; HttpOnly")])
        return [b""]

    return app


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", required=True, help="the JSON written by bench.setup_db")
    args = parser.parse_args(argv)
    with open(args.data, encoding="utf-8") as handle:
        sio, relay = build(json.load(handle))
    server = pywsgi.WSGIServer(("127.0.0.1", args.port), socketio.WSGIApp(sio, join_pages(relay)), log=None)
    print(f"baseline listening on http://127.0.0.1:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
