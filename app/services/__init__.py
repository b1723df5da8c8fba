"""Plain-Python services: the rules of the app, callable without a request."""
from __future__ import annotations

from sqlalchemy.orm.attributes import set_committed_value

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


def first_with_parents(statement, parameters: dict, names: tuple[str, ...]):
    """The first entity of the statement's first row, or None. The row's entities each belong to the one before
    (a participant, her run, its squad; `names`: "run", "squad"), and each is hung on the one before under its
    name: one select instead of joinedload, whose row processors SQLAlchemy builds again on every call (issue 16),
    and as the session holds rows only weakly, the parents then live as long as the first entity."""
    row = db.session.execute(statement, parameters).first()
    if row is None:
        return None
    for child, name, parent in zip(row, names, row[1:]):
        set_committed_value(child, name, parent)
    return row[0]
