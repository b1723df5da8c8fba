"""Issue 11: a Socket.IO polling POST over the 16 KB limit gets a prompt 413, from the real server."""
from __future__ import annotations

import json

import pytest
import requests

pytestmark = pytest.mark.live

LIMIT = 16 * 1024


def polling_session(server) -> tuple[requests.Session, str]:
    http = requests.Session()
    opened = http.get(f"{server.url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
    assert opened.status_code == 200, opened.text[:200]
    return http, json.loads(opened.text[1:])["sid"]


def post(http, server, sid, body: str):
    return http.post(f"{server.url}/socket.io/", params={"EIO": "4", "transport": "polling", "sid": sid},
                     data=body.encode(), headers={"Content-Type": "text/plain;charset=UTF-8"}, timeout=10)


def test_a_polling_post_over_the_limit_gets_413_and_a_small_one_goes_through(live_server):
    http, sid = polling_session(live_server)
    assert post(http, live_server, sid, "40").status_code == 200  # the Socket.IO connect packet
    too_big = post(http, live_server, sid, "42" + json.dumps(["sync", "x" * (LIMIT + 100)]))
    assert too_big.status_code == 413
    assert "too much" in too_big.text.lower() or too_big.text == ""
    other, other_sid = polling_session(live_server)  # the server goes on serving everyone else
    assert post(other, live_server, other_sid, "40").status_code == 200
