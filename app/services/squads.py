"""Squads: a group (or one girl) that a facilitator follows through the programme."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Facilitator, Squad, SquadMode, utcnow


def squads_of(facilitator: Facilitator, *, archived: bool = False) -> list[Squad]:
    query = select(Squad).where(Squad.owner_id == facilitator.id)
    query = query.where(Squad.archived_at.is_not(None) if archived else Squad.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Squad.created_at.desc())))


def owned_squad(facilitator: Facilitator, squad_id: int) -> Squad | None:
    """A squad only its owner reaches (an admin reaches all)."""
    squad = db.session.get(Squad, squad_id)
    if squad is None or not (squad.owner_id == facilitator.id or facilitator.is_admin):
        return None
    return squad


def create_squad(owner: Facilitator, name: str, mode: SquadMode) -> Squad:
    squad = Squad(owner_id=owner.id, name=name.strip(), mode=mode)
    db.session.add(squad)
    db.session.commit()
    return squad


def rename_squad(squad: Squad, name: str) -> None:
    squad.name = name.strip()
    db.session.commit()


def set_archived(squad: Squad, archived: bool) -> None:
    squad.archived_at = utcnow() if archived else None
    db.session.commit()
