"""A ready-made demo so a counsellor in training can try the whole flow on her own phone."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Facilitator, Run, Squad, SquadMode
from . import accounts, runs, squads

DEMO_SQUAD = "Demo squad"


def ensure_demo(*, email: str, password: str) -> tuple[Facilitator, Run]:
    facilitator = accounts.find_by_email(email)
    if facilitator is None:
        facilitator = accounts.create_facilitator(email=email, name="Demo", password=password)
    squad = db.session.scalar(select(Squad).where(Squad.owner_id == facilitator.id, Squad.name == DEMO_SQUAD))
    if squad is None:
        squad = squads.create_squad(facilitator, DEMO_SQUAD, SquadMode.GROUP)
    run = runs.open_run_of(squad) or runs.create_run(squad, 0)
    if not run.door_open:
        run = runs.change(run.id, runs.set_door(True))
    return facilitator, run
