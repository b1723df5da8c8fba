"""The reconnect storm (issue 16): every phone connected, then (1) the server process is killed and started
again, and (2) every client's network is cut for 10 s. How long until every phone has her snapshot again,
what went wrong, whether an acknowledged answer was lost, and what the server's CPU did meanwhile.

    python -m bench.load --storm --squads 100 --size 12

The clients reconnect as the browsers' Socket.IO client does (static/js/participant.js): backoff from 1 s,
doubling, capped at 4 s, each delay ±50 % at random (socket.io-client's randomizationFactor 0.5), so they do
not all come back in the same 100 ms; a dashboard sends `facilitator:join` again on every connect; a phone keeps an
answer that has no acknowledgement yet and sends it again, with the same client id, once she is back.

The flow, in three steps the benchmark process gives the signal for:
1. every counsellor starts the module; the girls answer the first message after their think time; while they
   answer the server is SIGKILLed and started again on the same database and port;
2. once every phone is back and every answer acknowledged: the second message; while the girls answer every
   client closes its connection at once, waits 10 s (the cut) and reconnects with backoff;
3. once every phone is back: the third message, answers, and the end.
A move is sent as `start` or `goto <index>` (the same move again changes nothing), so a move whose ack was lost
in a storm is simply sent again.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import socketio

from . import server as servers
from .clients import Phone, Plan, Results, Squad, _guard, answer_payload, join_all, split, watch_lag

CUT_SECONDS = 10.0
FIRST_DELAY, MAX_DELAY, JITTER = 1.0, 4.0, 0.5  # socket.io-client: reconnectionDelay, reconnectionDelayMax (ours)
ANSWER_TIMEOUT = 8.0  # participant.js: socket.timeout(8000).emit("participant:answer", …)


def backoff(rng: random.Random):
    """The delays between reconnection attempts, as socket.io-client computes them."""
    attempt = 0
    while True:
        yield min(MAX_DELAY, FIRST_DELAY * 2 ** attempt * rng.uniform(1 - JITTER, 1 + JITTER))
        attempt += 1


@dataclass
class Link:
    """One client's connection through the storms: when it was lost and when its snapshot came back."""

    name: str
    client: socketio.AsyncClient
    connect: object  # coroutine function: one connection attempt
    rng: random.Random
    lost_at: float | None = None
    back_at: float | None = None
    attempts: int = 0
    holding: bool = False  # the network is cut: no attempt before `resume_at`
    resume_at: float = 0.0
    back: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None

    def lost(self) -> None:
        """The connection went: come back with backoff (during a cut, not before the cut ends)."""
        if self.lost_at is None or self.back_at is not None:  # it was up: a new loss (else: still the same one)
            self.lost_at, self.back_at = time.monotonic(), None
            self.back.clear()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.come_back())

    def has_snapshot(self) -> None:
        if self.lost_at is not None and self.back_at is None:
            self.back_at = time.monotonic()
        self.back.set()

    async def come_back(self) -> None:
        delays = backoff(self.rng)
        started = self.lost_at or time.monotonic()
        due = started
        while not self.client.connected:
            due += next(delays)
            if self.holding:  # attempts during the cut fail: the first one after it can succeed
                while due < self.resume_at:
                    due += next(delays)
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            self.attempts += 1
            try:
                await self.connect()
            except (socketio.exceptions.ConnectionError, OSError, asyncio.TimeoutError):
                continue


class StormPhone(Phone):
    """A girl who keeps her unacknowledged answer and sends it again when she is back."""

    def __init__(self, squad: Squad, number: int):
        super().__init__(squad, number)
        self.token: str | None = None
        self.link: Link | None = None

    async def join(self) -> None:
        await super().join()
        self.link = Link(self.pseudonym, self.sio, self.reconnect, random.Random(self.squad.rng.random()))
        self.sio.on("disconnect", lambda *_reason: self.link.lost())

    async def join_by_link(self) -> str:
        self.token = await super().join_by_link()
        return self.token

    async def reconnect(self) -> None:
        await self.sio.connect(self.url, auth={"token": self.token}, transports=["websocket"],
                               wait_timeout=self.squad.plan.timeout)

    def on_snapshot(self, data: dict) -> None:
        """Her snapshot after a reconnect names the live message: she answers it as if its update had come."""
        for view in data.get("inbox") or []:
            self.views.setdefault(view["id"], view)
        super().on_snapshot(data)
        if self.link:
            self.link.has_snapshot()

    async def answer(self, item: str) -> None:
        squad, plan = self.squad, self.squad.plan
        await asyncio.sleep(squad.rng.uniform(0.5, 1.5) * plan.think_ms / 1000)
        deadline = time.monotonic() + plan.timeout * 4
        while item not in self.views and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # the move may arrive with her snapshot after a reconnect
        view = self.views.get(item)
        if view is None:
            squad.results.errors["item_never_arrived"] += 1
            return
        data = {"item": item, "payload": answer_payload(view, squad.rng), "client_id": secrets.token_hex(8)}
        while time.monotonic() < deadline:
            if not self.sio.connected:
                await asyncio.sleep(0.05)
                continue
            try:
                ack = await self.sio.call("participant:answer", data, timeout=ANSWER_TIMEOUT)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
                squad.results.retried += 1  # sent again with the same client id, as her phone does
                await asyncio.sleep(0.05)
                continue
            if ack.get("ok"):
                squad.results.acked.append((squad.run, self.pseudonym, item, data["client_id"]))
            else:
                squad.results.errors[f"answer:{ack.get('error')}"] += 1
            return
        squad.results.errors["answer_never_acknowledged"] += 1


class StormSquad(Squad):
    def __init__(self, plan: Plan, row: dict, results: Results, rng: random.Random):
        super().__init__(plan, row, results, rng)
        self.phones = [StormPhone(self, n) for n in range(1, plan.size + 1)]
        self.staff_link = Link("staff", self.staff, self.connect_dashboard, random.Random(rng.random()))
        self.screen_link = Link("screen", self.screen, self.connect_screen, random.Random(rng.random()))

    async def connect_staff(self) -> None:
        async def follow(data=None):  # what facilitator.js does on "facilitator:changed": a move carries its snapshot
            if not (isinstance(data, dict) and "snapshot" in data):
                await self.staff.emit("sync", {"run": self.run})

        self.staff.on("facilitator:changed", follow)
        self.staff.on("connect", lambda: asyncio.get_running_loop().create_task(self.rejoin()))
        self.staff.on("disconnect", lambda *_reason: self.staff_link.lost())
        self.screen.on("disconnect", lambda *_reason: self.screen_link.lost())
        self.screen.on("presenter:snapshot", lambda _data: self.screen_link.has_snapshot())
        await self.connect_dashboard()
        await self.staff_link.back.wait()
        await self.connect_screen()

    async def connect_dashboard(self) -> None:
        # A callable: python-socketio reconnects with what it returns (see Squad.staff_headers).
        await self.staff.connect(self.url, headers=self.staff_headers, transports=["websocket"],
                                 wait_timeout=self.plan.timeout)

    async def connect_screen(self) -> None:
        await self.screen.connect(self.url, auth={"screen": self.row["screen_token"]}, transports=["websocket"],
                                  wait_timeout=self.plan.timeout)

    async def rejoin(self) -> None:
        """What facilitator.js does on every connect."""
        try:
            ack = await self.staff.call("facilitator:join", {"run": self.run}, timeout=self.plan.timeout)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
            return  # the connection went again; the next connect joins again
        if ack.get("ok"):
            self.staff_link.has_snapshot()
        else:
            self.results.errors[f"staff_join:{ack.get('error')}"] += 1

    def links(self) -> list[Link]:
        return [self.staff_link, self.screen_link] + [p.link for p in self.phones if p.link]

    async def move(self, action: str, index: int | None, reached) -> None:
        """Send the move until it is acknowledged or the dashboard's snapshot shows it happened."""
        deadline = time.monotonic() + self.plan.timeout * 4
        data = {"run": self.run, "action": action, **({"index": index} if index is not None else {})}
        while time.monotonic() < deadline:
            await self.staff_link.back.wait()
            try:
                ack = await self.staff.call("facilitator:command", data, timeout=self.plan.timeout)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
                await asyncio.sleep(0.1)
                continue
            if ack.get("ok") or (ack.get("snapshot") and reached(ack["snapshot"])):
                return
            try:
                state = await self.staff.call("sync", {"run": self.run}, timeout=self.plan.timeout)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
                continue
            if state.get("ok") and reached(state["snapshot"]):
                return  # the first send had made the move; its ack was lost
            self.results.errors[f"command_{action}:{ack.get('error')}"] += 1
            return
        self.results.errors[f"command_{action}:timeout"] += 1

    async def item(self, index: int) -> None:
        item = self.plan.items[index]
        if index == 0:
            await self.move("start", None, lambda snap: snap["run"]["current"] == item)
        else:
            await self.move("goto", index, lambda snap: snap["run"]["current"] == item)
        await asyncio.gather(*(phone.answer(item) for phone in self.phones if phone.link))


async def wait_back(squads: list[StormSquad], since: float, timeout: float) -> dict:
    """Until every client lost after `since` has its snapshot again; their times (monotonic, absolute)."""
    deadline = time.monotonic() + timeout
    links = [link for squad in squads for link in squad.links()]
    while time.monotonic() < deadline:
        if all(link.back_at is not None and link.lost_at is not None and link.lost_at >= since for link in links):
            break
        await asyncio.sleep(0.05)
    phones = [link for link in links if link.name not in ("staff", "screen")]
    return {"phones_back": [link.back_at for link in phones if link.back_at is not None and link.lost_at >= since],
            "phones_missing": sum(1 for link in phones if link.back_at is None or link.lost_at < since),
            "staff_back": [link.back_at for link in links if link.name in ("staff", "screen") and link.back_at],
            "attempts": sum(link.attempts for link in links)}


async def cut(squads: list[StormSquad]) -> float:
    """Every client's connection closes at once; none comes back before CUT_SECONDS (then with backoff)."""
    started = time.monotonic()
    links = [link for squad in squads for link in squad.links()]
    for link in links:
        link.holding, link.resume_at = True, started + CUT_SECONDS
        link.attempts = 0
    await asyncio.gather(*(link.client.eio.disconnect(abort=True) for link in links), return_exceptions=True)
    for link in links:  # its disconnect handler has run already (then this changes nothing), or it was down
        link.lost()
    return started


@dataclass
class StormSteps:
    """The benchmark process's signals (multiprocessing events) and where this process reports."""

    joined: object
    go: list  # three events: the three steps
    cut: object
    report: object  # callable(kind, payload)


async def simulate_storm(plan: Plan, steps: StormSteps) -> Results:
    results = Results()
    watcher = asyncio.create_task(watch_lag(results))
    rng = random.Random(plan.seed)
    squads = [StormSquad(plan, row, results, random.Random(rng.random())) for row in plan.squads]
    loop = asyncio.get_running_loop()

    async def wait_for(signal) -> None:
        if not await loop.run_in_executor(None, signal.wait, plan.timeout * 20):
            raise TimeoutError("no signal from the benchmark")

    try:
        await join_all(squads, plan)
        results.phones = sum(len(squad.joined()) for squad in squads)
        steps.joined(results.phones)
        # 1: the first message; the server is killed while the girls answer.
        await wait_for(steps.go[0])
        since = time.monotonic()
        await asyncio.gather(*(_guard(results, "step1", squad.item(0)) for squad in squads))
        steps.report("back", await wait_back(squads, since, plan.timeout * 4))
        # 2: the second message; every client's network is cut while the girls answer.
        await wait_for(steps.go[1])
        answering = [loop.create_task(_guard(results, "step2", squad.item(1))) for squad in squads]
        await wait_for(steps.cut)
        started = await cut(squads)
        back = await wait_back(squads, started, CUT_SECONDS + plan.timeout * 4)
        for squad in squads:
            for link in squad.links():
                link.holding = False
        await asyncio.gather(*answering)
        steps.report("back", {**back, "cut_end": started + CUT_SECONDS})
        # 3: the third message, and the end.
        await wait_for(steps.go[2])
        await asyncio.gather(*(_guard(results, "step3", squad.item(2)) for squad in squads))
        await asyncio.gather(*(_guard(results, "end", squad.move("end", None, lambda s: s["run"]["state"] == "ended"))
                               for squad in squads))
    finally:
        watcher.cancel()
        await asyncio.gather(*(squad.close() for squad in squads), return_exceptions=True)
    results.client_cpu = time.process_time()
    return results


# --- the benchmark process: kill, restart, cut, and the figures ------------------------------------------------

def _storm_process(plan: Plan, number: int, reports, go: list, cut_signal) -> None:
    steps = StormSteps(joined=lambda phones: reports.put(("joined", number, phones)), go=go, cut=cut_signal,
                       report=lambda kind, payload: reports.put((kind, number, payload)))
    try:
        results = asyncio.run(simulate_storm(plan, steps))
    except Exception as failure:  # noqa: BLE001 - reported, the parent decides
        results = Results(errors=Counter({f"client_process:{type(failure).__name__}": 1}))
    reports.put(("done", number, results))


def restart(env: dict, port: int, workdir: Path, number: int) -> tuple[servers.Server, float]:
    """`python run.py` again on the same database and port; returns it and when it first answered /healthz
    (polled every 20 ms: the recovery times are measured from there)."""
    log = workdir / f"gps-live-restart-{number}.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen([servers.PYTHON, "run.py", "--port", str(port)], cwd=servers.ROOT, env=env,
                                   stdout=handle, stderr=subprocess.STDOUT)
    server = servers.Server("gps-live", process, port, log)
    deadline = time.monotonic() + servers.START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the restarted server exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return server, time.monotonic()
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.02)
    server.stop()
    raise TimeoutError("the restarted server did not answer")


def _recovery(reports: list, since_of, cpu: tuple, wall: tuple) -> dict:
    from .load import percentile

    back = [max(0.0, t - since_of(payload)) for _k, _n, payload in reports for t in payload["phones_back"]]
    staff = [max(0.0, t - since_of(payload)) for _k, _n, payload in reports for t in payload["staff_back"]]
    return {"phones_back": len(back), "phones_missing": sum(p["phones_missing"] for _k, _n, p in reports),
            "back_ms": {"p50": percentile(back, 0.5), "p95": percentile(back, 0.95),
                        "max": round(max(back) * 1000, 1) if back else None},
            "staff_and_screens_back_max_ms": round(max(staff) * 1000, 1) if staff else None,
            "attempts": sum(p["attempts"] for _k, _n, p in reports),
            "server_cpu_percent": round(100 * (cpu[1] - cpu[0]) / (wall[1] - wall[0]), 1) if wall[1] > wall[0] else 0.0,
            "recovery_seconds": round(wall[1] - wall[0], 1)}


def drive(server: servers.Server, env: dict, workdir: Path, setup: dict, args) -> tuple[dict, servers.Server]:
    from .load import _collect, finish_clients

    context = multiprocessing.get_context("spawn")
    reports, go, cut_signal = context.Queue(), [context.Event() for _ in range(3)], context.Event()
    procs = args.clients_procs or (1 if args.squads * args.size <= 300 else 2)
    parts = split(setup["squads"], procs)
    plans = [Plan(server.url, rows, setup["module"]["items"], args.size, args.think_ms, args.join_rate / len(parts),
                  args.timeout, seed=args.seed + n) for n, rows in enumerate(parts)]
    print(f"[storm] pid {server.process.pid} on {server.url}: {args.squads} squads × {args.size}", file=sys.stderr,
          flush=True)
    processes = [context.Process(target=_storm_process, args=(plan, n, reports, go, cut_signal), daemon=True)
                 for n, plan in enumerate(plans)]
    for process in processes:
        process.start()
    phones = args.squads * args.size
    think, wait = args.think_ms / 1000, args.timeout * 5 + 30
    joined = _collect(reports, "joined", len(plans), time.monotonic() + phones / args.join_rate + wait, server.sample)
    outcome = {"phones": sum(m[2] for m in joined)}
    # 1: killed and started again while the girls answer the first message
    go[0].set()
    time.sleep(think)
    killed_at = time.monotonic()
    server.process.kill()
    server.process.wait(timeout=10)
    server, up_at = restart(env, server.port, workdir, 1)
    _w, cpu0, _r = server.sample()
    back = _collect(reports, "back", len(plans), time.monotonic() + wait, server.sample)
    wall1, cpu1, _r = server.sample()
    outcome["restart"] = {"down_seconds": round(up_at - killed_at, 2),
                          **_recovery(back, lambda _p: up_at, (cpu0, cpu1), (up_at, wall1))}
    # 2: every client's network cut for CUT_SECONDS while the girls answer the second message
    go[1].set()
    time.sleep(think)
    wall2, cpu2, _r = server.sample()
    cut_signal.set()
    back = _collect(reports, "back", len(plans), time.monotonic() + CUT_SECONDS + wait, server.sample)
    wall3, cpu3, _r = server.sample()
    outcome["cut"] = {"cut_seconds": CUT_SECONDS,
                      **_recovery(back, lambda p: p["cut_end"], (cpu2 + 0.0, cpu3), (wall2, wall3))}
    go[2].set()
    done = _collect(reports, "done", len(plans), time.monotonic() + len(plans[0].items) * wait, server.sample)
    outcome["results"] = finish_clients(processes, done, len(plans))
    return outcome, server


def measure(args) -> dict:
    """One storm at args.squads × args.size on one process on SQLite (the default setup)."""
    from .load import lost_and_duplicated, stored_answers_app

    with tempfile.TemporaryDirectory(prefix="gps-storm-") as folder:
        workdir = Path(args.keep) / f"storm-{args.squads}" if args.keep else Path(folder)
        workdir.mkdir(parents=True, exist_ok=True)
        port = servers.free_port()
        env = servers.app_environment(workdir, port)
        servers.run_setup(env, workdir / "setup.json", args.squads)
        setup = json.loads((workdir / "setup.json").read_text())
        server = servers.start_app(env, port, workdir, setup["squads"][0]["join_token"])
        try:
            outcome, server = drive(server, env, workdir, setup, args)
        finally:
            server.stop()
        stored = stored_answers_app(env["DATABASE_URL"])
    results: Results = outcome.pop("results")
    lost, duplicated = lost_and_duplicated(results, stored)
    return {"storm": True, "squads": args.squads, "size": args.size, "think_ms": args.think_ms, **outcome,
            "errors": dict(results.errors), "error_count": sum(results.errors.values()),
            "answers_acked": len(results.acked), "answers_stored": len(stored), "answers_retried": results.retried,
            "lost": lost, "duplicated": duplicated}


STORM_TARGET_MS = 10_000.0  # every phone back with her snapshot within 10 s p95 of the server answering again


def report(outcome: dict) -> str:
    lines = [f"\n== storm: {outcome['squads']} squads × {outcome['size']} girls ({outcome['phones']} phones) =="]
    for name, label, since in (("restart", "server killed and started again", "the server answering again"),
                               ("cut", f"network cut for {CUT_SECONDS:.0f} s", "the end of the cut")):
        step = outcome[name]
        back = step["back_ms"]
        lines.append(f"{label}: phones back {step['phones_back']} (missing {step['phones_missing']}), time from "
                     f"{since} to her snapshot p50 {back['p50']} / p95 {back['p95']} / max {back['max']} ms; staff and "
                     f"projectors back within {step['staff_and_screens_back_max_ms']} ms; {step['attempts']} "
                     f"connection attempts; server CPU {step['server_cpu_percent']} % over {step['recovery_seconds']} s"
                     + (f"; down {step['down_seconds']} s" if "down_seconds" in step else ""))
    lines.append(f"errors {outcome['error_count']} {outcome['errors'] or ''}, answers acked {outcome['answers_acked']}, "
                 f"stored {outcome['answers_stored']}, sent again {outcome['answers_retried']}, lost {outcome['lost']}, "
                 f"duplicated {outcome['duplicated']}")
    p95 = outcome["restart"]["back_ms"]["p95"]
    met = p95 is not None and p95 <= STORM_TARGET_MS and outcome["lost"] == 0 and not outcome["restart"]["phones_missing"]
    lines.append(f"target: back within {STORM_TARGET_MS / 1000:.0f} s p95 of the restart, 0 acknowledged answers lost: "
                 f"{'met' if met else 'NOT met'}")
    return "\n".join(lines)
