"""A ready-made demo so a counsellor in training can try the whole flow on her own phone.

The demo account's address is under the reserved top-level domain `.invalid` (RFC 2606), so it can never be
a colleague's: it marks the demo without a column of its own. Everything made with that account (squads,
runs, the girls who joined, their answers, tracks) is demo data, and `remove_demo` deletes all of it.
"""
from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Table, delete, select, update

from ..extensions import db
from ..models import Facilitator, Run, Squad, SquadMode
from . import accounts, runs, squads

DEMO_EMAIL = "demo@gps-live.invalid"
DEMO_NAME = "Demo"
DEMO_SQUAD = "Demo squad"
# Easy to read aloud and to type: no 0/o, 1/l/i.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class NoDemo(Exception):
    """There is no demo account in this database."""


@dataclass(frozen=True)
class DemoAccess:
    email: str
    password: str
    run: Run


def new_password() -> str:
    """Three groups of four, e.g. `k7mx-p9qa-4hwt`: about 70 bits, random per install and per call."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def demo_account() -> Facilitator | None:
    return accounts.find_by_email(DEMO_EMAIL)


def ensure_demo() -> DemoAccess:
    """The demo account (with a new password: only its hash is kept), its squad and an open run of module 0."""
    password = new_password()
    facilitator = demo_account()
    if facilitator is None:
        facilitator = accounts.create_facilitator(email=DEMO_EMAIL, name=DEMO_NAME, password=password)
    else:
        facilitator.set_password(password)
        db.session.commit()
    squad = db.session.scalar(select(Squad).where(Squad.owner_id == facilitator.id, Squad.name == DEMO_SQUAD))
    if squad is None:
        squad = squads.create_squad(facilitator, DEMO_SQUAD, SquadMode.GROUP)
    run = runs.open_run_of(squad) or runs.create_run(squad, 0)
    if not run.door_open:
        run = runs.change(run.id, runs.set_door(True))
    return DemoAccess(email=facilitator.email, password=password, run=run)


def remove_demo() -> str:
    """Delete the demo account and every row that depends on it; returns what went, e.g. '1 squad, 1 run'."""
    facilitator = demo_account()
    if facilitator is None:
        raise NoDemo()
    removed: Counter[str] = Counter()
    _delete_with_dependents(Facilitator.__table__, [facilitator.id], removed)
    db.session.commit()
    db.session.expunge_all()
    return ", ".join(_counted(table, count) for table, count in reversed(removed.items()) if count)


def _counted(table: str, count: int) -> str:
    noun = "account" if table == "facilitator" else table.replace("_", " ")
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _delete_with_dependents(table: Table, ids: list[int], removed: Counter) -> None:
    """Follow every foreign key to `table`, children first, so tables added later go too without a change here.

    A reference that is set to NULL on delete (an audit entry's actor, a coach's message author) is set to
    NULL, as the database would: those rows belong to someone else's record.
    """
    if not ids:
        return
    for child in db.metadata.sorted_tables:
        for key in child.foreign_keys:
            if key.column.table is not table:
                continue
            if key.ondelete == "SET NULL":
                db.session.execute(update(child).where(key.parent.in_(ids)).values({key.parent.name: None}))
            elif "id" in child.c:
                child_ids = list(db.session.scalars(select(child.c.id).where(key.parent.in_(ids))))
                _delete_with_dependents(child, child_ids, removed)
            else:  # a link table without its own id: nothing can depend on its rows
                removed[child.name] += db.session.execute(delete(child).where(key.parent.in_(ids))).rowcount
    result = db.session.execute(delete(table).where(table.c.id.in_(ids)))
    removed[table.name] += result.rowcount
