"""Issue 14: the house by structure. Each audience's socket code lives in its own blueprint; what audiences share
lives in realtime/ or a service; no blueprint imports another blueprint, and realtime/ and services/ import none."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.extensions import socketio

APP = Path(__file__).resolve().parent.parent / "app"
BLUEPRINTS = ("auth", "facilitator", "participant", "presenter")


def imported_packages(path: Path) -> set[str]:
    """The app packages a module imports (relative imports resolved against its own package)."""
    package = path.relative_to(APP).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1]) if node.level > 1 else list(package)
                parts = base + (node.module.split(".") if node.module else [])
                if not node.module:
                    parts += [alias.name for alias in node.names]
            elif node.module and node.module.startswith("app."):
                parts = node.module.split(".")[1:]
            else:
                continue
            if parts:
                found.add(parts[0])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("app.")}
    return found


def modules_of(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_no_blueprint_imports_another(blueprint):
    others = set(BLUEPRINTS) - {blueprint}
    wrong = {str(p.relative_to(APP)): sorted(imported_packages(p) & others) for p in modules_of(blueprint)}
    assert {path: names for path, names in wrong.items() if names} == {}


@pytest.mark.parametrize("layer", ("realtime", "services", "content", "item_types"))
def test_shared_layers_import_no_blueprint(layer):
    wrong = {str(p.relative_to(APP)): sorted(imported_packages(p) & set(BLUEPRINTS)) for p in modules_of(layer)}
    assert {path: names for path, names in wrong.items() if names} == {}


def test_an_event_of_another_audience_is_refused_before_its_handler(app, client, run):
    """A phone cannot call a facilitator event, nor staff a phone's; `sync` serves every audience."""
    from app.realtime import audiences

    from .conftest import join, phone

    assert set(audiences._audiences) == {"participant", "presenter", "facilitator"}
    her = phone(app, join(app.test_client(), run, "Rode Vos"))
    assert her.emit("facilitator:join", {"run": run.id}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert her.emit("facilitator:track_sync", {"track": 1}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert her.emit("sync", {}, callback=True)["ok"]
    staff = socketio.test_client(app, flask_test_client=client)
    assert staff.emit("signal", {"kind": "talk"}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert staff.emit("track:sync", {}, callback=True) == {"ok": False, "error": "not_allowed"}
    assert staff.emit("sync", {"run": run.id}, callback=True)["ok"]


def test_a_phone_open_since_before_the_rename_still_answers(app, client, run):
    """Issue 14: a girl's phone is one audience, `participant`, whose events carry its prefix; every old name of a
    run's page (`answer`, `phone:answer`, `signal`, `phone:signal`) and of a track's page (`track:answer`,
    `track:reply`, `track:signal`, `track:sync`) still reaches the same handler for one release."""
    from app.models import SquadMode
    from app.realtime.guard import EVENTS
    from app.services import runs, squads

    from .conftest import join, phone, received
    from .test_tracks import create_track, girl_phone, join_track

    assert {name: EVENTS[name] for name in ("participant:answer", "participant:signal", "participant:reply",
                                            "participant:sync")} == {
        "participant:answer": ("participant", ("answer", "phone:answer", "track:answer")),
        "participant:signal": ("participant", ("signal", "phone:signal", "track:signal")),
        "participant:reply": ("participant", ("track:reply",)),
        "participant:sync": ("participant", ("track:sync",))}
    runs.change(run.id, runs.start)
    item = runs.current_item(runs.by_join_token(run.join_token)).id
    phones = [phone(app, join(app.test_client(), run, name)) for name in ("Oude Gsm", "Oudere Gsm", "Nieuwe Gsm")]
    for sock, name, n in zip(phones, ("answer", "phone:answer", "participant:answer"), range(3)):
        assert sock.emit(name, {"item": item, "payload": {"skip": True}, "client_id": f"run-name-000{n}"},
                         callback=True)["answer"] == {"skip": True}, name
    for sock, name, kind in zip(phones, ("signal", "phone:signal", "participant:signal"), ("talk", "break", "talk")):
        assert sock.emit(name, {"kind": kind}, callback=True) == {"ok": True}, name
    assert phones[0].emit("participant:sync", {}, callback=True)["snapshot"]["run"]["id"] == run.id
    assert phones[0].emit("participant:reply", {"text": "Hoi", "client_id": "run-reply-01"},
                          callback=True) == {"ok": False, "error": "not_allowed"}  # a run has no coach messages

    track_id, path = create_track(client, squads.create_squad(run.squad.owner, "Online", SquadMode.ONLINE_INDIVIDUAL))
    her = girl_phone(app, *join_track(app, path))
    current = received(her, "track:snapshot")[-1]["track"]["current"]
    old = her.emit("track:answer", {"item": current, "payload": {"skip": True}, "client_id": "track-old-01"}, callback=True)
    assert old["ok"] and old["snapshot"]["track"]["answered"] == 1
    assert her.emit("track:reply", {"text": "Hoi", "client_id": "track-old-02"}, callback=True)["message"]["text"] == "Hoi"
    assert her.emit("participant:reply", {"text": "Nog eens", "client_id": "track-new-02"}, callback=True)["ok"]
    assert her.emit("track:signal", {"kind": "talk"}, callback=True) == {"ok": True}
    assert her.emit("participant:signal", {"kind": "break"}, callback=True) == {"ok": True}
    for name in ("track:sync", "participant:sync", "sync"):
        assert her.emit(name, {}, callback=True)["snapshot"]["track"]["id"] == track_id, name


# Issue 14: the facilitator's old event names (staff:, coach:, attention:) are still accepted for one release.
FACILITATOR_FORMERLY = {"staff:join", "staff:command", "staff:remove", "staff:hide", "staff:ack_signal", "staff:screen",
                        "staff:approve", "staff:approve_all", "coach:join", "coach:sync", "coach:module",
                        "coach:message", "coach:ack_signal", "coach:pause", "coach:close", "coach:read",
                        "attention:sync", "attention:seen"}


def test_a_staff_page_open_since_before_the_rename_still_steers(app, client, run):
    """Each old name of a facilitator event reaches the handler of its new name: the same payload gets the same
    acknowledgement from both (nothing is written: an empty payload is refused, the attention state is read)."""
    from app.realtime.guard import EVENTS

    formerly = {old: name for name, event in EVENTS.items() if event.audience == "facilitator" for old in event.formerly}
    assert set(formerly) == FACILITATOR_FORMERLY
    staff = socketio.test_client(app, flask_test_client=client)
    for old, name in sorted(formerly.items()):
        ack = staff.emit(old, {}, callback=True)
        assert ack.get("error") != "unknown_event" and ack == staff.emit(name, {}, callback=True), old
    assert staff.emit("staff:join", {"run": run.id}, callback=True)["snapshot"]["run"]["id"] == run.id


def test_every_event_is_named_after_its_audience():
    """`<audience>:<what>` for every event of one audience (`facilitator:hide`, `presenter:…`), so that a newcomer
    finds an event's handler from its name; only the shared `sync` has no prefix. Old names are not counted."""
    from app.realtime.guard import EVENTS

    wrong = {name: event.audience for name, event in EVENTS.items()
             if not (name.startswith(f"{event.audience}:") if event.audience else name == "sync")}
    assert wrong == {}
