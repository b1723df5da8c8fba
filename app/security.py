"""Security headers on every response (DESIGN.md §6)."""
from __future__ import annotations

from flask import Flask, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    app.after_request(add_headers)


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

