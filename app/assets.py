"""Static files with a content hash in their URL, so phones may cache them for a year, sent gzipped."""
from __future__ import annotations

import gzip
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, request, url_for
from flask.sessions import SecureCookieSessionInterface

IMMUTABLE_SECONDS = 31536000  # a year: the URL changes whenever the file does


def init_app(app: Flask) -> None:
    static_root = Path(app.static_folder)

    def asset_url(filename: str) -> str:
        return url_for("static", filename=filename, v=_content_hash(*_stamp(static_root / filename)))

    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["bundle_url"] = bundle_url
    app.extensions.setdefault("gps_bundles", {})
    app.add_url_rule("/static/bundles/<name>.js", "bundle", serve_bundle)  # under /static/: cached like a file
    app.session_interface = StaticFilesWithoutSession()
    app.after_request(_cache_versioned)
    app.after_request(_gzip_static)


def fingerprint(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256, computed again when the file changes (mtime, size)."""
    stat = path.stat()
    return _content_hash(str(path), stat.st_mtime_ns, stat.st_size)


def _stamp(path: Path) -> tuple[str, int, int]:
    """(path, mtime, size) of a file a page links to: read once per process, as the files of a running server do
    not change (a page named up to twenty; issue 16, the join page). In debug, on every page: a file being edited
    gets its new fingerprint at once."""
    from flask import current_app

    stamps = current_app.extensions.setdefault("gps_file_stamps", {})
    if current_app.debug or path not in stamps:
        stat = path.stat()
        stamps[path] = (str(path), stat.st_mtime_ns, stat.st_size)
    return stamps[path]


@lru_cache(maxsize=256)
def _content_hash(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _cache_versioned(response):
    """Immutable for a year only when `?v=` is the file's current fingerprint. Any other value (an old page
    still in a phone's cache, a typed URL) is revalidated as usual, so a stale copy is never pinned for a year."""
    from flask import current_app

    if request.endpoint != "static" or response.status_code != 200 or not request.args.get("v"):
        return response
    try:
        current = fingerprint(Path(current_app.static_folder) / request.view_args["filename"])
    except OSError:
        return response
    if request.args["v"] == current:
        response.cache_control.no_cache = None  # send_file's default; it would make phones revalidate
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_SECONDS
        response.cache_control.immutable = True
    return response


# --- bundles: several static scripts as one response -------------------------------------------------
# Ten small scripts (the item types' files) cost a phone ten responses: ~5 KB of headers, files under
# MIN_SIZE sent uncompressed, and round trips on a slow link. A bundle is their concatenation, in order, with a
# fingerprint of its content in the URL and the caching and compression of a static file. Its files come without
# their comment lines and indentation (written for people, not for a phone: the girl's bundles weigh a quarter
# less compressed); a file with a template literal, whose indentation may be text, is left as it is.

_COMMENT_LINE = re.compile(rb"^[ \t]*(?://[^\n]*|/\*(?:[^*]|\*(?!/))*\*/[ \t]*)\n", re.M)
_INDENT = re.compile(rb"^[ \t]+", re.M)


def register_bundle(app: Flask, name: str, filenames) -> None:
    """`bundle_url(name)` serves these files of static/ (in this order) as one script (a blueprint may register
    its own before init_app)."""
    app.extensions.setdefault("gps_bundles", {})[name] = tuple(filenames)


def compact(script: bytes) -> bytes:
    """The script without whole-line comments and indentation; code and its line breaks stay as written."""
    if b"`" in script:
        return script
    return _INDENT.sub(b"", _COMMENT_LINE.sub(b"", script))


def bundle_url(name: str) -> str:
    return url_for("bundle", name=name, v=_bundle(name)[0])


def _bundle(name: str) -> tuple[str, bytes, bytes]:
    """(fingerprint, body, gzipped body), built again when one of its files changes (mtime, size)."""
    from flask import abort, current_app

    filenames = current_app.extensions["gps_bundles"].get(name)
    if filenames is None:
        abort(404)
    root = Path(current_app.static_folder)
    return _built(tuple(_stamp(root / f) for f in filenames))


@lru_cache(maxsize=16)
def _built(stamps: tuple) -> tuple[str, bytes, bytes]:
    # Each file ends its own statements; the newline keeps a last line comment from swallowing the next file.
    body = b"\n".join(compact(Path(path).read_bytes()) for path, _mtime, _size in stamps)
    return hashlib.sha256(body).hexdigest()[:12], body, gzip.compress(body, compresslevel=9, mtime=0)


def serve_bundle(name: str):
    from flask import current_app

    version, body, gzipped = _bundle(name)
    response = current_app.response_class(body, mimetype="text/javascript")
    response.set_etag(version)
    response.vary.add("Accept-Encoding")
    if request.args.get("v") == version:  # as _cache_versioned: immutable only for the current fingerprint
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_SECONDS
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    response = response.make_conditional(request)
    if response.status_code == 200 and request.accept_encodings["gzip"]:
        response.set_data(gzipped)
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(version, weak=True)
    return response


class StaticFilesWithoutSession(SecureCookieSessionInterface):
    """Static files neither set the session cookie nor vary on it.

    Flask adds `Vary: Cookie` to every response whose session was looked at, and Flask-Login looks at it
    after every request (its remember-me check): the same file would then be cached once per cookie, and
    shared caches would not keep it at all. A static file never depends on who asks.
    """

    def save_session(self, app, session, response) -> None:
        if request.endpoint in ("static", "bundle"):
            return
        super().save_session(app, session, response)


# Text assets shrink 3-5x; a girl's phone on weak Wi-Fi loads the Socket.IO client (47 KB) in ~14 KB.
# Only static files: pages are not compressed, as they carry CSRF and participant tokens (BREACH).
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
                "text/plain"}
MIN_SIZE = 1024


@lru_cache(maxsize=64)
def _gzipped(path: str, _mtime_ns: int) -> bytes:
    """Compressed once per file version (the mtime is part of the key), at the highest level."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def _gzip_static(response):
    from flask import current_app, request

    if request.endpoint != "static" or response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code != 200 or not request.accept_encodings["gzip"]:
        return response
    path = Path(current_app.static_folder) / request.view_args["filename"]
    try:
        stat = path.stat()
    except OSError:
        return response
    if stat.st_size < MIN_SIZE:
        return response
    body = _gzipped(str(path), stat.st_mtime_ns)
    response.close()  # the file send_file opened
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)
    etag, _weak = response.get_etag()
    if etag:  # another encoding of the same file: a weak tag, so If-None-Match still gives 304
        response.set_etag(etag, weak=True)
    return response
