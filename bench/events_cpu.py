"""Server CPU per join, answer and move, in one process, without the network (issue 16).

    python -m bench.events_cpu                 # this tree
    python bench/events_cpu.py /path/to/tree   # another tree (a copy of an older commit: "before")
    python -m bench.events_cpu --postgres [URL]   # on PostgreSQL (a fresh schema, dropped afterwards; default URL:
                                                  # postgresql+psycopg://postgres@127.0.0.1:5432/test)

Six runs of 30 girls on an SQLite file, through the Flask test client (join page and form, as join.js posts it)
and the Flask-SocketIO test client (sockets), with the dashboard and the projector connected: each girl joins, then
three moves (start, next, next) with every girl answering each. The dashboard follows the protocol: a `changed`
without a snapshot is answered with a `sync` (before issue 16 it also pulled a snapshot once per burst of answers,
modelled as one pull per six answers). CPU is `time.process_time()` of the whole process (background pushes
included), so it depends far less on a busy machine than the latencies of bench.load.
"""
import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
parser = argparse.ArgumentParser(prog="python -m bench.events_cpu", description=__doc__.split("\n\n")[0])
parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parent.parent),
                    help="the tree whose app is measured (default: this one)")
parser.add_argument("--postgres", nargs="?", const=POSTGRES, metavar="URL",
                    help="measure on PostgreSQL instead of an SQLite file")
arguments = parser.parse_args()
root = arguments.root
sys.path.insert(0, root)
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # bench.server of this tree, for --postgres
import tests.conftest as conf  # applies the cheap password hashes and request isolation
from app import create_app
from app.extensions import db, socketio
from app.realtime import gate
from app.services import runs, squads
from app.models import SquadMode
from config import TestConfig

GIRLS, ROUNDS = 30, 6
ACTIONS = ("start", "next", "next")


def one_run(app, client, owner, number: int, costs: dict) -> None:
    """A squad's run: 30 girls join, then three moves with every girl answering; CPU seconds into `costs`."""
    gate.reset()
    run = runs.create_run(squads.create_squad(owner, f"Groep {number}", SquadMode.GROUP), 0)
    staff = socketio.test_client(app, flask_test_client=client)
    staff.emit("facilitator:join", {"run": run.id}, callback=True)
    screen = socketio.test_client(app, auth={"screen": run.screen_token})

    def follow() -> None:  # what the dashboard does with what it received
        for message in staff.get_received():
            if message["name"] == "facilitator:changed" and "snapshot" not in (message["args"][0] or {}):
                staff.emit("sync", {"run": run.id}, callback=True)
        screen.get_received()

    phones = []
    for n in range(GIRLS):
        started = time.process_time()
        browser = app.test_client()
        page = browser.get(f"/j/{run.join_token}")
        joined = browser.post(f"/j/{run.join_token}", headers={"X-GPS-Replace": "1"}, data={
            "pseudonym": f"Meisje {n}", "language": "en", "csrf_token": conf.csrf_from(page.get_data(as_text=True))})
        phones.append(socketio.test_client(app, auth={"token": joined.headers.get("X-GPS-Token")}))
        follow()
        costs["join"].append(time.process_time() - started)
    for step, action in enumerate(ACTIONS):
        gate.reset_budget()
        started = time.process_time()
        ack = staff.emit("facilitator:command", {"run": run.id, "action": action}, callback=True)
        follow()
        costs["move"].append(time.process_time() - started)
        item = ack["snapshot"]["item"]["id"]
        for n, phone in enumerate(phones):
            phone.get_received()
            started = time.process_time()
            answered = phone.emit("participant:answer", {"item": item, "payload": {"skip": True},
                                             "client_id": f"c{number}x{step}x{n:05d}"}, callback=True)
            if n % 6 == 5:
                follow()
            costs["answer"].append(time.process_time() - started)
            assert answered["ok"], answered
        follow()
    for connection in phones + [staff, screen]:
        connection.disconnect()


def main(database_url: str | None = None) -> dict:
    folder = tempfile.mkdtemp(prefix="gps-cpu-")

    class Config(TestConfig):
        DATABASE_URL = database_url or f"sqlite:///{folder}/cpu.db"
        RATELIMIT_ENABLED = False

    app = create_app(Config)
    app.test_client_class, app.instance_path = conf.EnglishClient, folder
    costs = {"join": [], "answer": [], "move": []}
    with app.app_context():
        db.create_all()
        client = app.test_client()
        owner = conf.make_facilitator()
        assert conf.login(client).status_code == 302
        for number in range(ROUNDS):
            one_run(app, client, owner, number, costs)
        db.session.remove()
        db.engine.dispose()  # before a PostgreSQL schema is dropped
    # The median as well as the mean: on a shared machine a few slow events (another process, a GC pass) move the
    # mean by ±30 % from one run to the next, the median far less.
    return {name: {"mean": round(1000 * sum(values) / len(values), 2),
                   "median": round(1000 * statistics.median(values), 2)} for name, values in costs.items()}


if __name__ == "__main__":
    if arguments.postgres:
        from bench.server import postgres_schema

        schema = postgres_schema(arguments.postgres)
    else:
        schema = contextlib.nullcontext(None)
    with schema as url:
        print(root, "on PostgreSQL" if url else "on SQLite", "CPU ms per event:", main(url))
