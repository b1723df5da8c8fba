"""Security headers on every response (DESIGN.md §6)."""
from __future__ import annotations

import re
import sys

from flask import Flask, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


# The most one Engine.IO polling POST or websocket frame may carry (socketio.init_app's max_http_buffer_size).
SOCKET_BUFFER = 16 * 1024


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
    app.wsgi_app = PollingSizeLimit(app.wsgi_app, SOCKET_BUFFER)


class PollingSizeLimit:
    """A polling POST over the limit gets 413 at once (WSGI middleware in front of Engine.IO).

    Engine.IO refuses such a POST without reading its body and closes the session; under gevent the phone then
    waited for an answer that never came (measured: no answer in 10 s). Here it is told plainly, and the
    connection is closed so the unread body cannot be taken for the next request.
    """

    def __init__(self, wsgi_app, limit: int, path: str = "/socket.io"):
        self.wsgi_app, self.limit, self.path = wsgi_app, limit, path

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(self.path):
            length = environ.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > self.limit:
                body = f"Too much at once: at most {self.limit} bytes.".encode()
                start_response("413 Request Entity Too Large", [
                    ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
                    ("Connection", "close")])
                return [body]
        return self.wsgi_app(environ, start_response)


def add_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if not request.path.startswith("/static/"):
        # Pages carry girls' data (staff pages, reports, the CSV) or a girl's token (her inbox): none of it may
        # stay in the browser's cache, where the next user of a shared laptop or phone would find it after
        # logout or a quick exit. Only the versioned static files are cached.
        response.headers["Cache-Control"] = "no-store"
    return response



class AddressFreeLog:
    """gevent's error log (malformed requests and the like) without the client's address.

    gevent writes lines such as "<socket …>: (from ('203.0.113.9', 40568)) Invalid HTTP method"; the
    address is personal data we promise not to keep (docs/privacy.md). Pass as pywsgi's `error_log`.
    """

    ADDRESS = re.compile(r"\('[^']*', \d+(?:, \d+, \d+)?\)|\b\d{1,3}(?:\.\d{1,3}){3}\b")

    def __init__(self, stream=None):
        self.stream = stream

    def write(self, text: str) -> None:
        (self.stream or sys.stderr).write(self.ADDRESS.sub("(address withheld)", text))

    def flush(self) -> None:
        (self.stream or sys.stderr).flush()
