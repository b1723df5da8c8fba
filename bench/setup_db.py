"""Prepare a fresh benchmark database before the server starts (run in its own process).

`python -m bench.setup_db OUT.json --squads S` with DATABASE_URL and SECRET_KEY in the environment:
migrates the database the way run.py does, creates S counsellors, each with one squad and one open run,
and writes what the load clients need: per squad the run id, join token, screen token and a staff login
session cookie (signed with the server's SECRET_KEY, as a real login would give), plus the module's
phone payloads so the bare baseline server can relay messages of the same size.
"""
from __future__ import annotations

import argparse
import json
import sys

from werkzeug.security import generate_password_hash

MODULE = 0


def staff_cookie(app, facilitator) -> str:
    """The `session` cookie a browser would hold after logging in as this counsellor."""
    from flask import session

    from app.auth.sessions import sign_in

    with app.test_request_context("/login", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        sign_in(facilitator)  # with the account's session version, as a real login
        return app.session_interface.get_signing_serializer(app).dumps(dict(session))


def create_squads(app, count: int) -> list[dict]:
    from app.extensions import db
    from app.models import Facilitator, SquadMode
    from app.services import runs, squads

    # One cheap hash for all: these accounts never log in by password (scrypt would cost ~80 ms each).
    password_hash = generate_password_hash("bench-not-used", method="pbkdf2:sha256:1000")
    rows = []
    for number in range(1, count + 1):
        facilitator = Facilitator(email=f"bench{number}@gps.local", name=f"Bench {number}",
                                  password_hash=password_hash)
        db.session.add(facilitator)
        db.session.commit()
        squad = squads.create_squad(facilitator, f"Squad {number}", SquadMode.GROUP)
        run = runs.create_run(squad, MODULE)
        rows.append({"squad": number, "run": run.id, "join_token": run.join_token,
                     "screen_token": run.screen_token, "cookie": staff_cookie(app, facilitator)})
    return rows


def phone_payloads() -> dict:
    """What our server sends phones at each step of the module (Dutch), for the baseline to relay."""
    from app.models import Participant, Run, RunState, Squad, SquadMode
    from app.services import runs, snapshots

    group = Squad(id=0, mode=SquadMode.GROUP)  # never saved: the payloads of a group run, as the benchmark plays
    lobby = Run(id=0, squad=group, module_number=MODULE, state=RunState.LOBBY, door_open=True, reveals={})
    girl = Participant(id=0, pseudonym="Meisje 1", locale="nl")
    steps = []
    played = runs.items_of(lobby)  # the messages of a group run, in order (group-only ones included)
    for index, item in enumerate(played):
        live = Run(id=0, squad=group, module_number=MODULE, state=RunState.LIVE, door_open=True, current_index=index,
                   furthest_index=index, reveals={})
        shown = Run(id=0, squad=group, module_number=MODULE, state=RunState.LIVE, door_open=True, current_index=index,
                    furthest_index=index, reveals={item.id: {"results": True}})
        steps.append({"item": item.id, "update": snapshots.participant_update(live, "nl"),
                      "revealed": snapshots.participant_update(shown, "nl")})
    return {"items": [item.id for item in played], "types": [item.type for item in played],
            "snapshot": snapshots.participant_snapshot(lobby, girl), "steps": steps}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.setup_db")
    parser.add_argument("out")
    parser.add_argument("--squads", type=int, required=True)
    args = parser.parse_args(argv)
    from flask_migrate import upgrade

    from app import create_app
    from config import Config

    # Not app.startup.prepare(): on an empty database it would write a setup link into instance/.
    app = create_app(Config)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        data = {"squads": create_squads(app, args.squads), "module": phone_payloads()}
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)


if __name__ == "__main__":
    main(sys.argv[1:])
