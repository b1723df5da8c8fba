"""The simulated people: per squad one counsellor's dashboard, one projector and N girls' phones.

Real python-socketio clients (asyncio + aiohttp, websocket transport) speaking docs/protocol.md. A squad's
clients all live in one process, so every latency is measured on one clock. Every wait is bounded.
"""
from __future__ import annotations

import asyncio
import random
import re
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import aiohttp
import socketio

WORDS = ["respect", "eerlijk", "lief", "trouw", "grappig", "luistert", "steun", "vertrouwen"]
SKIP_SHARE = 0.05  # some girls skip, as the app allows on every item


@dataclass
class Plan:
    """What one client process does."""

    url: str
    squads: list[dict]
    items: list[str]
    size: int
    think_ms: int
    join_rate: float  # phones per second started by this process
    timeout: float = 30.0
    seed: int = 0
    urls: list[str] = field(default_factory=list)  # several server processes (--workers); empty: only `url`

    def url_for(self, squad: int, seat: int) -> str:
        """Seat 0 is the squad's dashboard and projector, seat n its girl n. With several processes the dashboard
        sits on one and the girls alternate over all of them, so every fan-out crosses the message queue."""
        urls = self.urls or [self.url]
        return urls[(squad + seat) % len(urls)]


@dataclass
class Results:
    join: list[float] = field(default_factory=list)
    fanout: list[float] = field(default_factory=list)
    reveal: list[float] = field(default_factory=list)
    answer_ack: list[float] = field(default_factory=list)
    answer_staff: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    acked: list[tuple] = field(default_factory=list)  # (run, pseudonym, item, client_id) acknowledged ok
    staff_duplicates: int = 0
    retried: int = 0  # answers sent again after a lost connection (the storm), same client id
    phones: int = 0
    lag: list[float] = field(default_factory=list)  # the client event loop's delays: is the load generator the limit?
    client_cpu: float = 0.0  # CPU seconds of the client processes

    def merge(self, other: Results) -> None:
        for name in ("join", "fanout", "reveal", "answer_ack", "answer_staff", "acked", "lag"):
            getattr(self, name).extend(getattr(other, name))
        self.errors.update(other.errors)
        self.staff_duplicates += other.staff_duplicates
        self.retried += other.retried
        self.phones += other.phones
        self.client_cpu += other.client_cpu


def answer_payload(view: dict, rng: random.Random) -> dict:
    """A valid answer for the item as the phone received it (or a skip)."""
    if rng.random() < SKIP_SHARE:
        return {"skip": True}
    kind, config = view["type"], view.get("config") or {}
    ids = lambda key: [entry["id"] for entry in config.get(key, [])]  # noqa: E731
    makers = {
        "poll": lambda: {"choice": rng.choice(ids("options"))},
        "multi": lambda: {"choices": rng.sample(ids("options"), rng.randint(1, min(3, len(ids("options")))))},
        "truefalse": lambda: {"choice": rng.random() < 0.5},
        "scale": lambda: {"value": rng.randint(1, 5)},
        "open": lambda: {"text": "Dat vind ik een goede vraag."},
        "words": lambda: {"words": rng.sample(WORDS, rng.randint(1, config.get("max_words", 3)))},
        "agree": lambda: {"votes": {i: rng.choice(["agree", "doubt", "disagree"]) for i in ids("statements")}},
        "order": lambda: {"order": rng.sample(ids("steps"), len(ids("steps")))},
        "redflags": lambda: {"flags": rng.sample(ids("chat"), rng.randint(0, len(ids("chat"))))},
    }
    return makers[kind]() if kind in makers else {"skip": True}


def new_client() -> socketio.AsyncClient:
    return socketio.AsyncClient(reconnection=False, handle_sigint=False)


class Squad:
    """One squad's clients and the arrivals its counsellor waits for."""

    def __init__(self, plan: Plan, row: dict, results: Results, rng: random.Random):
        self.plan, self.row, self.results, self.rng = plan, row, results, rng
        self.run = row["run"]
        # The phones of one home share its address (docs/deploy: nginx passes it on in X-Forwarded-For).
        self.home = f"198.18.{row['squad'] // 250}.{row['squad'] % 250 + 1}"
        self.url = plan.url_for(row["squad"], 0)
        self.phones = [Phone(self, n) for n in range(1, plan.size + 1)]
        self.staff, self.screen = new_client(), new_client()
        self.arrivals: dict[tuple, int] = Counter()
        self.expected: dict[tuple, asyncio.Future] = {}
        self.emitted: dict[tuple, float] = {}
        self.staff_seen: Counter = Counter()
        self.results_pushed, self.results_pull = False, None  # how the dashboard gets the spread (see staff_answer)

    # --- arrivals --------------------------------------------------------------------------------
    def arrived(self, key: tuple) -> None:
        self.arrivals[key] += 1
        waiter = self.expected.get(key)
        if waiter and not waiter.done() and self.arrivals[key] >= len(self.joined()):
            waiter.set_result(time.perf_counter())

    def joined(self) -> list[Phone]:
        return [phone for phone in self.phones if phone.sio.connected]

    def staff_answer(self, data: dict) -> None:
        if not self.results_pushed and self.results_pull is None:
            # facilitator.js before issue 16: the spread was fetched with a `sync` 400 ms after a burst began;
            # a server that pushes `facilitator:results` makes that pull unnecessary (checked when it is due)
            self.results_pull = asyncio.get_running_loop().call_later(0.4, self.pull_results)
        row = data.get("answer") or {}
        key = (row.get("pseudonym"), row.get("item"))
        self.staff_seen[key] += 1
        if self.staff_seen[key] == 1 and key in self.emitted:
            self.results.answer_staff.append(time.perf_counter() - self.emitted[key])
        elif self.staff_seen[key] > 1:
            self.results.staff_duplicates += 1

    def pull_results(self) -> None:
        self.results_pull = None
        if not self.results_pushed and self.staff.connected:
            asyncio.get_running_loop().create_task(self._pull())

    async def _pull(self) -> None:
        try:
            await self.staff.emit("sync", {"run": self.run})
        except socketio.exceptions.BadNamespaceError:
            pass  # the dashboard left between the timer and this task (the run had ended): nothing to pull

    def results_arrived(self, _data=None) -> None:
        self.results_pushed = True

    # --- staff side ------------------------------------------------------------------------------
    def staff_headers(self) -> dict:
        """A new dict for every (re)connect. python-engineio moves a `Cookie` header into its aiohttp session's
        cookie jar and deletes it from the dict it was given, which python-socketio keeps for reconnecting;
        the jar is closed with the lost connection, so a plain dict reconnects without the login cookie and is
        refused `not_authenticated` (docs/benchmarks.md). python-socketio calls a callable on every attempt."""
        return {"Cookie": f"session={self.row['cookie']}"}

    async def connect_staff(self) -> None:
        url, timeout = self.url, self.plan.timeout
        self.staff.on("facilitator:answer", self.staff_answer)
        self.staff.on("facilitator:results", self.results_arrived)

        async def staff_sync(data=None):  # the dashboard on "facilitator:changed" (a move pushes its snapshot)
            if not (isinstance(data, dict) and "snapshot" in data):
                await self.staff.emit("sync", {"run": self.run})

        async def screen_sync(_data=None):  # and the projector
            await self.screen.emit("sync", {})

        self.staff.on("facilitator:changed", staff_sync)
        self.screen.on("changed", screen_sync)
        await self.staff.connect(url, headers=self.staff_headers, transports=["websocket"], wait_timeout=timeout)
        ack = await self.staff.call("facilitator:join", {"run": self.run}, timeout=timeout)
        if not ack.get("ok"):
            raise RuntimeError(f"facilitator:join refused: {ack}")
        await self.screen.connect(url, auth={"screen": self.row["screen_token"]}, transports=["websocket"],
                                  wait_timeout=timeout)

    async def command(self, action: str, key: tuple | None) -> float | None:
        """Send a move; with a key, wait until every phone has the matching update and return that time."""
        if key:
            self.expected[key] = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        ack = await self.staff.call("facilitator:command", {"run": self.run, "action": action},
                                    timeout=self.plan.timeout)
        if not ack or not ack.get("ok"):
            self.results.errors[f"command_{action}:{(ack or {}).get('error')}"] += 1
            return None
        if not key:
            return None
        if self.arrivals[key] >= len(self.joined()):
            return time.perf_counter() - start
        try:
            done = await asyncio.wait_for(self.expected[key], self.plan.timeout)
        except asyncio.TimeoutError:
            self.results.errors["fanout_timeout"] += 1
            return None
        return done - start

    async def play_module(self) -> None:
        """The counsellor goes through the module: item, answers, reveal, next; then ends the run."""
        await asyncio.sleep(self.rng.uniform(0, self.plan.think_ms / 1000))  # homes do not start in lockstep
        for index, item in enumerate(self.plan.items):
            took = await self.command("start" if index == 0 else "next", (item, False))
            if took is not None:
                self.results.fanout.append(took)
            await asyncio.gather(*(phone.answer(item) for phone in self.joined()))
            await self.wait_staff_answers(item)
            took = await self.command("reveal_results", (item, True))
            if took is not None:
                self.results.reveal.append(took)
        await self.command("end", None)

    async def wait_staff_answers(self, item: str) -> None:
        expected = [key for key in self.emitted if key[1] == item]
        deadline = time.perf_counter() + self.plan.timeout
        while any(self.staff_seen[key] == 0 for key in expected) and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        missing = sum(1 for key in expected if self.staff_seen[key] == 0)
        if missing:
            self.results.errors["staff_answer_missing"] += missing

    async def close(self) -> None:
        clients = [self.staff, self.screen] + [phone.sio for phone in self.phones]
        await asyncio.gather(*(asyncio.wait_for(c.disconnect(), 5) for c in clients if c.connected),
                             return_exceptions=True)


class Phone:
    """A girl: joins by the QR link, chooses a pseudonym, answers after thinking."""

    def __init__(self, squad: Squad, number: int):
        self.squad, self.pseudonym = squad, f"Meisje {number}"
        self.url = squad.plan.url_for(squad.row["squad"], number)
        self.sio = new_client()
        self.views: dict[str, dict] = {}
        self.snapshot: asyncio.Future | None = None

    async def join(self) -> None:
        plan, results = self.squad.plan, self.squad.results
        start = time.perf_counter()
        self.snapshot = asyncio.get_running_loop().create_future()
        self.sio.on("snapshot", self.on_snapshot)
        self.sio.on("update", self.on_update)
        token = await self.join_by_link()
        await self.sio.connect(self.url, auth={"token": token}, transports=["websocket"], wait_timeout=plan.timeout)
        await asyncio.wait_for(self.snapshot, plan.timeout)
        results.join.append(time.perf_counter() - start)

    async def join_by_link(self) -> str:
        """GET /j/<token>, POST the form as static/js/join.js does (`X-GPS-Replace: 1`: the inbox is part of the
        join page, the answer is a 204 naming her token); an answer without it is followed to the inbox page."""
        plan, link = self.squad.plan, f"{self.url}/j/{self.squad.row['join_token']}"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                         headers={"X-Forwarded-For": self.squad.home},
                                         timeout=aiohttp.ClientTimeout(total=plan.timeout)) as http:
            async with http.get(link) as response:
                page = await response.text()
            csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
            form = {"csrf_token": csrf.group(1) if csrf else "", "pseudonym": self.pseudonym, "language": "nl"}
            async with http.post(link, data=form, headers={"X-GPS-Replace": "1"}) as response:
                handed = response.headers.get("X-GPS-Token")
                if response.status == 204 and handed:
                    return handed
                inbox = await response.text()
        token = re.search(r'data-token="([^"]+)"', inbox)
        if response.status != 200 or not token:
            raise RuntimeError(f"join_http_{response.status}")
        return token.group(1)

    def on_snapshot(self, data: dict) -> None:
        if self.snapshot and not self.snapshot.done():
            self.snapshot.set_result(data)

    def on_update(self, data: dict) -> None:
        view = data.get("item")
        if view:
            self.views[view["id"]] = view
            self.squad.arrived((view["id"], bool(view["revealed"]["results"])))

    async def answer(self, item: str) -> None:
        squad, plan = self.squad, self.squad.plan
        await asyncio.sleep(squad.rng.uniform(0.5, 1.5) * plan.think_ms / 1000)
        view = self.views.get(item)
        if view is None:
            squad.results.errors["item_never_arrived"] += 1
            return
        data = {"item": item, "payload": answer_payload(view, squad.rng), "client_id": secrets.token_hex(8)}
        squad.emitted[(self.pseudonym, item)] = start = time.perf_counter()
        try:
            ack = await self.sio.call("participant:answer", data, timeout=plan.timeout)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
            squad.results.errors["answer_timeout"] += 1
            return
        squad.results.answer_ack.append(time.perf_counter() - start)
        if ack.get("ok"):
            squad.results.acked.append((squad.run, self.pseudonym, item, data["client_id"]))
        else:
            squad.results.errors[f"answer:{ack.get('error')}"] += 1


async def join_all(squads: list[Squad], plan: Plan) -> None:
    """Counsellors and projectors first, then the girls at the planned rate, in random order."""
    await asyncio.gather(*(_guard(squad.results, "staff_connect", squad.connect_staff()) for squad in squads))
    phones = [phone for squad in squads for phone in squad.phones]
    random.Random(plan.seed).shuffle(phones)

    async def scheduled(phone: Phone, at: float) -> None:
        await asyncio.sleep(at)
        await _guard(phone.squad.results, "join", phone.join())

    await asyncio.gather(*(scheduled(phone, n / plan.join_rate) for n, phone in enumerate(phones)))


async def _guard(results: Results, what: str, work) -> None:
    try:
        await work
    except Exception as failure:  # counted, not fatal: the benchmark reports errors
        results.errors[f"{what}:{type(failure).__name__}:{str(failure)[:60]}"] += 1


async def watch_lag(results: Results, every: float = 0.1) -> None:
    """How late this process's event loop wakes up: lag here inflates every latency we measure."""
    while True:
        planned = time.perf_counter() + every
        await asyncio.sleep(every)
        results.lag.append(max(0.0, time.perf_counter() - planned))


async def simulate(plan: Plan, joined, go) -> Results:
    """Join everybody, report, wait for the go (all processes joined), play the module, close."""
    results = Results()
    watcher = asyncio.create_task(watch_lag(results))
    rng = random.Random(plan.seed)
    squads = [Squad(plan, row, results, random.Random(rng.random())) for row in plan.squads]
    try:
        await join_all(squads, plan)
        results.phones = sum(len(squad.joined()) for squad in squads)
        await joined(results.phones)
        await go()
        await asyncio.gather(*(_guard(results, "module", squad.play_module()) for squad in squads))
    finally:
        watcher.cancel()
        await asyncio.gather(*(squad.close() for squad in squads), return_exceptions=True)
    results.client_cpu = time.process_time()
    return results


def split(rows: list[dict], parts: int) -> list[list[dict]]:
    """Whole squads per process, so a squad's clients share one clock."""
    buckets = defaultdict(list)
    for n, row in enumerate(rows):
        buckets[n % parts].append(row)
    return [buckets[n] for n in range(parts) if buckets[n]]
