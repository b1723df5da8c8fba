"""Static files with a content hash in their URL, so phones may cache them for a year."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, url_for


def init_app(app: Flask) -> None:
    static_root = Path(app.static_folder)

    @lru_cache(maxsize=128)
    def fingerprint(filename: str) -> str:
        return hashlib.sha256((static_root / filename).read_bytes()).hexdigest()[:12]

    def asset_url(filename: str) -> str:
        return url_for("static", filename=filename, v=fingerprint(filename))

    app.jinja_env.globals["asset_url"] = asset_url
    app.after_request(_cache_versioned)


def _cache_versioned(response):
    from flask import request

    if request.endpoint == "static" and request.args.get("v"):
        response.cache_control.public = True
        response.cache_control.max_age = 31536000
        response.cache_control.immutable = True
    return response
