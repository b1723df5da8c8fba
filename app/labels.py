"""Words for the domain's codes (modes, states, item types), shown in the staff's language."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_date
from flask_babel import gettext as _

from . import item_types
from .models import Run, RunState, SquadMode


def mode_label(mode: SquadMode) -> str:
    return {SquadMode.GROUP: _("Offline group"), SquadMode.OFFLINE_INDIVIDUAL: _("Offline individual"),
            SquadMode.ONLINE_INDIVIDUAL: _("Online individual")}[mode]


def state_label(state: RunState) -> str:
    return {RunState.LOBBY: _("Lobby"), RunState.LIVE: _("Live"), RunState.ENDED: _("Ended")}[state]


def run_label(run: Run) -> str:
    return f"{format_date(run.created_at, 'medium')} · {state_label(run.state)}"


def type_label(name: str) -> str:
    """Each type names itself (its `label`, app/item_types/<type>/)."""
    return item_types.label(name)


def mode_list(modes) -> str:
    names = {"group": _("group"), "individual": _("individual")}
    return " + ".join(names[m] for m in modes)


def audit_label(action: str) -> str:
    return {"run_deleted": _("Run deleted"), "retention_purge": _("Answers deleted after the retention period"),
            "track_deleted": _("Track deleted")}.get(action, action)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(audit_label=audit_label, mode_label=mode_label, run_label=run_label, type_label=type_label,
                                 mode_list=mode_list, state_label=state_label)
