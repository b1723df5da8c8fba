"""Issue 11: the real server's log names no client address, also for a malformed request."""
from __future__ import annotations

import socket
import time

import pytest

pytestmark = pytest.mark.live


def test_a_malformed_request_is_logged_without_the_clients_address(live_server):
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=5) as raw:
        raw.sendall(b"\x88\x82\xd4\x81\x9b\xa4\xd7i\r\n\r\n")  # a stray websocket frame, as after a restart
        raw.recv(1024)
        local_port = raw.getsockname()[1]
    deadline = time.monotonic() + 5
    while "Invalid HTTP method" not in live_server.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = live_server.log()
    assert "Invalid HTTP method" in log or "address withheld" in log
    assert f"'127.0.0.1', {local_port}" not in log and "(address withheld)" in log
