"""Offline individual runs (issue 5): one girl beside her counsellor, who may let her go at her own pace.

Self-paced: her answer (or skip) to the current message reveals the blogger's info at once and brings
the next message; the counsellor can take the pace back at any moment (the group flow).
"""
from __future__ import annotations

from typing import Callable

from ..models import Run, SquadMode
from . import answers, participants, runs


def is_individual(run: Run) -> bool:
    return run.squad.mode is SquadMode.OFFLINE_INDIVIDUAL


def set_self_paced(on: bool) -> Callable[[Run], None]:
    def move(run: Run) -> None:
        run.set_self_paced(on, individual=is_individual(run))
        if on:
            _advance_if_answered(run)
    return move


def after_answer(item_id: str) -> Callable[[Run], None]:
    """Her answer to `item_id` came in: show its info and move on (only if it is still the current one)."""
    def move(run: Run) -> None:
        current = runs.current_item(run)
        if run.self_paced and current is not None and current.id == item_id:
            _reveal_and_next(run)
    return move


def _advance_if_answered(run: Run) -> None:
    current = runs.current_item(run)
    girls = participants.active_in(run)
    if current is not None and girls and answers.find(girls[0], current.id) is not None:
        _reveal_and_next(run)


def _reveal_and_next(run: Run) -> None:
    runs.reveal("info")(run)
    if run.current_index < len(runs.items_of(run)) - 1:
        runs.step(+1)(run)
