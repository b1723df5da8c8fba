"""Plain-Python services: the rules of the app, callable without a request."""
from __future__ import annotations

from ..extensions import db


def commit_keeping_loaded() -> None:
    """Commit without expiring what this event loaded. For a write whose every value the caller set itself (an
    answer, a move, a join, her presence): the broadcasts after it then send the rows just written, her nickname,
    the run and its squad without reading them all again, three to four statements per event (issue 16,
    docs/benchmarks.md)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
