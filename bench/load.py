"""The load benchmark: GPS Live under S squads of N girls, against a bare Socket.IO baseline.

    python -m bench.load --squads 100 --size 12            # one squad count, ours and the baseline
    python -m bench.load --knee 25,50,100,200 --json out.json
    python -m bench.load --squads 100 --workers 2          # two processes on PostgreSQL + Redis (docs/deploy.md)
    python -m bench.load --knee 50,100 --compare-workers   # 1 × SQLite, 1 × PostgreSQL, 2 × PostgreSQL + Redis
    python -m bench.load --storm --squads 100              # the reconnect storm (bench/storm.py)

See docs/benchmarks.md for what is measured and the figures on the development machine.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import queue
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from . import server as servers
from .clients import Plan, Results, simulate, split

TARGETS = {"answer_staff": 50.0, "fanout": 100.0, "join": 300.0}  # p95 in ms
MB_PER_PHONE = 0.5
RATIO = 2.0
LATENCIES = ("join", "fanout", "reveal", "answer_ack", "answer_staff", "lag")
# --compare-workers without a value: tells the database's effect apart from the second process's.
COMPARE = "1:sqlite,1:postgres,2:postgres"
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


# --- client processes ----------------------------------------------------------------------------

def _client_process(plan: Plan, number: int, reports, go) -> None:
    async def joined(phones: int) -> None:
        reports.put(("joined", number, phones))

    async def go_wait() -> None:
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, go.wait, plan.timeout * 20):
            raise TimeoutError("no go from the benchmark")

    try:
        results = asyncio.run(simulate(plan, joined, go_wait))
    except Exception as failure:  # noqa: BLE001 - reported, the parent decides
        results = Results(errors=Counter({f"client_process:{type(failure).__name__}": 1}))
    reports.put(("done", number, results))


def finish_clients(processes, done: list, expected: int) -> Results:
    """Stop the client processes and merge what they reported; a process that never reported is an error."""
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
    results = Results()
    for _kind, _n, part in done:
        results.merge(part)
    if len(done) < expected:
        results.errors["client_process_timeout"] += expected - len(done)
    return results


def _collect(reports, kind: str, count: int, deadline: float, on_wait=None) -> list:
    got = []
    while len(got) < count and time.monotonic() < deadline:
        if on_wait:
            on_wait()
        try:
            message = reports.get(timeout=0.5)
        except queue.Empty:
            continue
        if message[0] == kind:
            got.append(message)
    return got


def drive(server: servers.Server, setup: dict, args) -> dict:
    """Run the clients against one server; returns the figures."""
    context = multiprocessing.get_context("spawn")
    reports, go = context.Queue(), context.Event()
    procs = args.clients_procs or (1 if args.squads * args.size <= 300 else 2)
    parts = split(setup["squads"], procs)
    rate = args.join_rate / len(parts)
    plans = [Plan(server.url, rows, setup["module"]["items"], args.size, args.think_ms, rate, args.timeout,
                  seed=args.seed + n, urls=server.urls) for n, rows in enumerate(parts)]
    print(f"[{server.name}] pid {', '.join(map(str, server.pids))} on {' '.join(server.urls)}: "
          f"{args.squads} squads × {args.size}", file=sys.stderr, flush=True)
    _w0, cpu0, idle_rss = server.sample()
    marks, machine = [server.last_points()], [(servers.machine_cpu(), servers.services_cpu())]
    wall0 = time.monotonic()
    processes = [context.Process(target=_client_process, args=(plan, n, reports, go), daemon=True)
                 for n, plan in enumerate(plans)]
    for process in processes:
        process.start()
    phones = args.squads * args.size
    join_deadline = time.monotonic() + phones / args.join_rate + args.timeout * 3 + 30
    joined = _collect(reports, "joined", len(plans), join_deadline, server.sample)
    wall1, cpu1, connected_rss = server.sample()
    marks.append(server.last_points())
    machine.append((servers.machine_cpu(), servers.services_cpu()))
    go.set()
    play_deadline = time.monotonic() + len(plans[0].items) * (args.think_ms / 1000 * 2 + args.timeout * 4) + 60
    done = _collect(reports, "done", len(plans), play_deadline, server.sample)
    wall2, cpu2, _rss = server.sample()
    marks.append(server.last_points())
    machine.append((servers.machine_cpu(), servers.services_cpu()))
    results = finish_clients(processes, done, len(plans))
    connected = sum(message[2] for message in joined)
    return {"results": results, "phones_connected": connected, "idle_rss": idle_rss,
            "connected_rss": connected_rss, "peak_rss": server.peak_rss(),
            "cpu_join": _percent(cpu1 - cpu0, wall1 - wall0), "cpu_module": _percent(cpu2 - cpu1, wall2 - wall1),
            "cpu_seconds": cpu2 - cpu0, "wall_seconds": wall2 - wall0,
            "cpu_join_seconds": cpu1 - cpu0, "cpu_module_seconds": cpu2 - cpu1,
            "per_process": per_process(server.pids, marks, server.peaks()),
            "machine_join": _busy(machine[0][0], machine[1][0]), "machine_module": _busy(machine[1][0], machine[2][0]),
            "services_join": _percent(servers.services_delta(machine[0][1], machine[1][1]), wall1 - wall0),
            "services_module": _percent(servers.services_delta(machine[1][1], machine[2][1]), wall2 - wall1)}


def _busy(before: tuple[float, float], after: tuple[float, float]) -> float:
    """Share of the whole machine (all cores) that was busy between two readings, in %."""
    return _percent(after[0] - before[0], after[1] - before[1])


def per_process(pids: list[int], marks: list[list[tuple]], peaks: list[int]) -> list[dict]:
    """Each server process's own CPU (joining, playing) and memory: is the load spread evenly?"""
    start, joined, played = marks
    return [{"pid": pid, "cpu_percent_join": _percent(j[1] - s[1], j[0] - s[0]),
             "cpu_percent_module": _percent(p[1] - j[1], p[0] - j[0]), "cpu_seconds": round(p[1] - s[1], 1),
             "idle_rss_mb": _mb(s[2]), "connected_rss_mb": _mb(j[2]), "peak_rss_mb": _mb(peak)}
            for pid, s, j, p, peak in zip(pids, start, joined, played, peaks)]


def _percent(cpu: float, wall: float) -> float:
    return round(100 * cpu / wall, 1) if wall > 0 else 0.0


# --- checking answers against what was stored ---------------------------------------------------

def stored_answers_app(database_url: str) -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(
                "SELECT a.run_id, p.pseudonym, a.item_id, a.client_id FROM answer a "
                "JOIN participant p ON p.id = a.participant_id"))]
    finally:
        engine.dispose()


def stored_answers_baseline(server: servers.Server) -> list[tuple]:
    with urllib.request.urlopen(server.url + "/bench/answers", timeout=30) as response:
        return [tuple(row) for row in json.load(response)]


def lost_and_duplicated(results: Results, stored: list[tuple]) -> tuple[int, int]:
    """Lost: acknowledged but not stored as sent. Duplicated: one girl's item stored or relayed twice."""
    stored_set = set(stored)
    per_answer = Counter((run, who, item) for run, who, item, _cid in stored)
    lost = sum(1 for answer in results.acked if answer not in stored_set)
    duplicated = sum(n - 1 for n in per_answer.values() if n > 1) + results.staff_duplicates
    return lost, duplicated


# --- figures -------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return round(ordered[rank] * 1000, 1)


def summary(run: dict, stored: list[tuple]) -> dict:
    results: Results = run["results"]
    lost, duplicated = lost_and_duplicated(results, stored)
    phones = max(run["phones_connected"], 1)
    figures = {name: {"n": len(getattr(results, name)),
                      **{f"p{q}": percentile(getattr(results, name), q / 100) for q in (50, 95, 99)}}
               for name in LATENCIES}
    return {"latency_ms": figures, "errors": dict(results.errors), "error_count": sum(results.errors.values()),
            "answers_acked": len(results.acked), "answers_stored": len(stored), "lost": lost,
            "duplicated": duplicated, "phones": run["phones_connected"],
            "cpu_percent_join": run["cpu_join"], "cpu_percent_module": run["cpu_module"],
            "cpu_seconds": round(run["cpu_seconds"], 1), "wall_seconds": round(run["wall_seconds"], 1),
            "idle_rss_mb": _mb(run["idle_rss"]), "connected_rss_mb": _mb(run["connected_rss"]),
            "peak_rss_mb": _mb(run["peak_rss"]),
            "client_cpu_percent": _percent(results.client_cpu, run["wall_seconds"]),
            # Server CPU per unit of work: robust against a busy machine, unlike the latencies.
            "cpu_ms_per_join": round(1000 * run["cpu_join_seconds"] / phones, 2),
            "cpu_ms_per_answer": round(1000 * run["cpu_module_seconds"] / max(len(results.acked), 1), 2),
            "mb_per_phone": round((run["connected_rss"] - run["idle_rss"]) / phones / 2**20, 3),
            "per_process": run["per_process"],
            "machine_busy_percent_join": run["machine_join"], "machine_busy_percent_module": run["machine_module"],
            # PostgreSQL and Redis processes (all of them): the database's CPU is not in the servers' figure.
            "services_cpu_percent_join": run["services_join"], "services_cpu_percent_module": run["services_module"]}


def _mb(size: int) -> float:
    return round(size / 2**20, 1)


# --- one squad count ------------------------------------------------------------------------------

def setups(args) -> list[tuple[int, str]]:
    """(server processes, database) to measure one after another at each squad count."""
    if args.compare_workers:
        pairs = [entry.split(":") for entry in args.compare_workers.split(",")]
        return [(int(workers), database) for workers, database in pairs]
    return [(args.workers, args.database or ("postgres" if args.workers > 1 else "sqlite"))]


def label(workers: int, database: str) -> str:
    return f"{workers} × {DATABASES[database]}" + (" + Redis" if workers > 1 else "")


def measure_ours(squads: int, workers: int, database: str, args, workdir: Path) -> dict:
    """GPS Live on `workers` processes and `database`; the setup data is left in workdir/setup.json."""
    setup_file = workdir / "setup.json"
    with ExitStack() as cleanup:
        if database == "sqlite" and workers == 1:  # today's single process, migrating at start as run.py does
            port = servers.free_port()
            env = servers.app_environment(workdir, port)
            servers.run_setup(env, setup_file, squads)
            setup = json.loads(setup_file.read_text())
            app = servers.start_app(env, port, workdir, setup["squads"][0]["join_token"])
        else:  # the deployment of docs/deploy.md: migrated once, then `run.py --no-migrate` per process
            url = cleanup.enter_context(servers.postgres_schema(args.postgres_url))
            space = servers.RedisSpace(args.redis_url) if workers > 1 else None
            if space:
                cleanup.callback(space.clear)
            env = servers.cluster_environment(workdir, url, space)
            servers.run_setup(env, setup_file, squads)
            setup = json.loads(setup_file.read_text())
            app = servers.start_members(env, workers, workdir)
        try:
            run = drive(app, setup, args)
        finally:
            app.stop()
        figures = summary(run, stored_answers_app(env["DATABASE_URL"]))
    return {"workers": workers, "database": database, "label": label(workers, database), "figures": figures}


def measure(squads: int, args) -> dict:
    args.squads = squads
    with tempfile.TemporaryDirectory(prefix="gps-bench-") as folder:
        base_dir = Path(args.keep) / f"{squads}-squads" if args.keep else Path(folder)
        outcome = {"squads": squads, "size": args.size, "think_ms": args.think_ms, "runs": []}
        for workers, database in setups(args):
            workdir = base_dir / f"{workers}-{database}"
            workdir.mkdir(parents=True, exist_ok=True)
            outcome["runs"].append(measure_ours(squads, workers, database, args, workdir))
        outcome["ours"] = outcome["runs"][0]["figures"]
        if args.baseline:
            setup_file = base_dir / f"{setups(args)[0][0]}-{setups(args)[0][1]}" / "setup.json"
            first = json.loads(setup_file.read_text())["squads"][0]["join_token"]
            base = servers.start_baseline(servers.free_port(), base_dir, setup_file, first)
            try:
                setup = json.loads(setup_file.read_text())
                outcome["baseline"] = summary(drive(base, setup, args), stored_answers_baseline(base))
            finally:
                base.stop()
        return outcome


def ratio(ours: float | None, base: float | None) -> str:
    return f"{ours / base:.2f}" if ours is not None and base else "–"


def report(outcome: dict) -> str:
    ours, base = outcome["ours"], outcome.get("baseline")
    runs = outcome.get("runs") or []
    lines = [f"\n== {outcome['squads']} squads × {outcome['size']} girls "
             f"({ours['phones']} phones connected), think {outcome['think_ms']} ms"
             + (f"; ours = {runs[0]['label']}" if runs else "") + " =="]
    lines.append(f"{'latency (ms)':<14}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}"
                 + (f"{'base p50':>10}{'base p95':>10}{'base p99':>10}{'ratio p95':>10}" if base else ""))
    for name in LATENCIES:
        row = ours["latency_ms"][name]
        line = f"{name:<14}{row['n']:>6}" + "".join(f"{_fmt(row[q]):>9}" for q in ("p50", "p95", "p99"))
        if base:
            other = base["latency_ms"][name]
            line += "".join(f"{_fmt(other[q]):>10}" for q in ("p50", "p95", "p99"))
            line += f"{ratio(row['p95'], other['p95']):>10}"
        lines.append(line)
    for label, figures in (("ours", ours), ("baseline", base)):
        if figures:
            lines.append(f"{label}: errors {figures['error_count']} {figures['errors'] or ''}, "
                         f"acked {figures['answers_acked']}, stored {figures['answers_stored']}, "
                         f"lost {figures['lost']}, duplicated {figures['duplicated']}; "
                         f"server CPU {figures['cpu_percent_join']}% joining, {figures['cpu_percent_module']}% "
                         f"playing; RSS idle {figures['idle_rss_mb']} MB, connected {figures['connected_rss_mb']} MB, "
                         f"peak {figures['peak_rss_mb']} MB, {figures['mb_per_phone']} MB per phone; "
                         f"client processes CPU {figures['client_cpu_percent']}% (sum); server CPU per join "
                         f"{figures['cpu_ms_per_join']} ms, per answer (module phase incl. fan-outs) "
                         f"{figures['cpu_ms_per_answer']} ms")
    lines.append("targets: " + "; ".join(verdicts(outcome)))
    if len(runs) > 1 or (runs and runs[0]["workers"] > 1):
        lines += report_runs(runs)
    return "\n".join(lines)


def report_runs(runs: list[dict]) -> list[str]:
    """The setups side by side: latencies, then what each cost, in all and per server process."""
    lines = ["-- setups: p50 / p95 (ms) --", f"{'latency':<14}" + "".join(f"{run['label']:>26}" for run in runs)]
    for name in LATENCIES:
        cells = [run["figures"]["latency_ms"][name] for run in runs]
        lines.append(f"{name:<14}" + "".join(f"{_fmt(c['p50']) + ' / ' + _fmt(c['p95']):>26}" for c in cells))
    for run in runs:
        figures = run["figures"]
        lines.append(f"{run['label']}: errors {figures['error_count']} {figures['errors'] or ''}, lost "
                     f"{figures['lost']}, duplicated {figures['duplicated']}; server CPU (sum) "
                     f"{figures['cpu_percent_join']}% joining, {figures['cpu_percent_module']}% playing, "
                     f"{figures['cpu_ms_per_join']} ms per join, {figures['cpu_ms_per_answer']} ms per answer; RSS (sum) "
                     f"idle {figures['idle_rss_mb']} → connected {figures['connected_rss_mb']} MB, peak "
                     f"{figures['peak_rss_mb']} MB, {figures['mb_per_phone']} MB per phone; whole machine busy "
                     f"{figures['machine_busy_percent_join']}% joining, {figures['machine_busy_percent_module']}% "
                     f"playing (all cores); PostgreSQL + Redis CPU {figures['services_cpu_percent_join']}% joining, "
                     f"{figures['services_cpu_percent_module']}% playing; client processes {figures['client_cpu_percent']}%")
        for number, process in enumerate(figures["per_process"], 1):
            lines.append(f"    process {number} (pid {process['pid']}): CPU {process['cpu_percent_join']}% joining, "
                         f"{process['cpu_percent_module']}% playing; RSS idle {process['idle_rss_mb']} → connected "
                         f"{process['connected_rss_mb']} MB, peak {process['peak_rss_mb']} MB")
    return lines


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def verdicts(outcome: dict) -> list[str]:
    ours, base = outcome["ours"], outcome.get("baseline")
    found = []
    for name, limit in TARGETS.items():
        p95 = ours["latency_ms"][name]["p95"]
        found.append(f"{name} p95 {_fmt(p95)} ≤ {limit:.0f}: {'met' if p95 is not None and p95 <= limit else 'NOT met'}")
        if base and base["latency_ms"][name]["p95"]:
            r = p95 / base["latency_ms"][name]["p95"] if p95 is not None else float("inf")
            found.append(f"{name} ratio {r:.2f} ≤ {RATIO:.0f}: {'met' if r <= RATIO else 'NOT met'}")
    found.append(f"memory {ours['mb_per_phone']} MB/phone ≤ {MB_PER_PHONE}: "
                 f"{'met' if ours['mb_per_phone'] <= MB_PER_PHONE else 'NOT met'}")
    clean = ours["lost"] == 0 and ours["duplicated"] == 0 and ours["error_count"] == 0
    found.append(f"0 lost/duplicated/errors: {'met' if clean else 'NOT met'}")
    return found


def markdown(outcomes: list[dict]) -> str:
    """The p95 table of docs/benchmarks.md: ours, baseline and ratio per squad count."""
    lines = ["| squads (phones) | figure | ours p50 / p95 / p99 (ms) | baseline p50 / p95 / p99 (ms) | ratio p95 |",
             "|---|---|---|---|---|"]
    for outcome in outcomes:
        ours, base = outcome["ours"], outcome.get("baseline")
        for name in (n for n in LATENCIES if n in ours["latency_ms"]):
            row = ours["latency_ms"][name]
            other = base["latency_ms"][name] if base else None
            lines.append(f"| {outcome['squads']} ({ours['phones']}) | {name} | "
                         + " / ".join(_fmt(row[q]) for q in ("p50", "p95", "p99")) + " | "
                         + (" / ".join(_fmt(other[q]) for q in ("p50", "p95", "p99")) if other else "–") + " | "
                         + (ratio(row["p95"], other["p95"]) if other else "–") + " |")
    return "\n".join(lines)


def markdown_runs(outcomes: list[dict]) -> str:
    """The workers table of docs/benchmarks.md: every setup's p50 / p95 per squad count, then its cost."""
    labels = [run["label"] for run in outcomes[0]["runs"]]
    lines = ["| squads (phones) | figure | " + " | ".join(f"{name} p50 / p95 (ms)" for name in labels) + " |",
             "|---|---|" + "---|" * len(labels)]
    for outcome in outcomes:
        phones = outcome["runs"][0]["figures"]["phones"]
        for name in LATENCIES:
            cells = [run["figures"]["latency_ms"][name] for run in outcome["runs"]]
            lines.append(f"| {outcome['squads']} ({phones}) | {name} | "
                         + " | ".join(f"{_fmt(c['p50'])} / {_fmt(c['p95'])}" for c in cells) + " |")
    lines += ["", "| squads | setup | server CPU joining / playing (sum) | per process playing | CPU per join / answer "
                  "| PostgreSQL + Redis CPU playing | machine busy playing (2 cores) | RSS connected (sum) | MB per phone "
                  "| errors / lost / duplicated |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for outcome in outcomes:
        for run in outcome["runs"]:
            f = run["figures"]
            split_cpu = " + ".join(f"{p['cpu_percent_module']} %" for p in f["per_process"])
            lines.append(f"| {outcome['squads']} | {run['label']} | {f['cpu_percent_join']} / {f['cpu_percent_module']} % "
                         f"| {split_cpu} | {f['cpu_ms_per_join']} / {f['cpu_ms_per_answer']} ms "
                         f"| {f['services_cpu_percent_module']} % | {f['machine_busy_percent_module']} % "
                         f"| {f['connected_rss_mb']} MB | {f['mb_per_phone']} "
                         f"| {f['error_count']} / {f['lost']} / {f['duplicated']} |")
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--squads", type=int, default=100, help="squads (each: 1 counsellor, 1 projector, N girls)")
    parser.add_argument("--size", type=int, default=12, help="girls per squad")
    parser.add_argument("--think-ms", type=int, default=3000, help="mean think time before an answer")
    parser.add_argument("--join-rate", type=float, default=25.0, help="phones starting to join per second")
    parser.add_argument("--clients-procs", type=int, default=0, help="client processes (default: by load)")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the bare python-socketio baseline")
    parser.add_argument("--storm", action="store_true",
                        help="the reconnect storm at --squads: server killed and restarted, then every client's network "
                             "cut for 10 s (bench/storm.py); ours only")
    parser.add_argument("--knee", help="comma-separated squad counts to run one after another, e.g. 25,50,100,200")
    parser.add_argument("--timeout", type=float, default=30.0, help="bound on every single wait (s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write all figures to this file")
    parser.add_argument("--keep", help="keep the database and server logs in this folder (for diagnosis)")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (1: one process as today; 2+: PostgreSQL + Redis, docs/deploy.md)")
    parser.add_argument("--database", choices=sorted(DATABASES),
                        help="sqlite (default with 1 worker) or postgres (a fresh schema; required with 2+)")
    parser.add_argument("--compare-workers", nargs="?", const=COMPARE, metavar="W:DB,…",
                        help=f"measure several setups one after another at each squad count (default: {COMPARE})")
    parser.add_argument("--postgres-url", default=servers.POSTGRES_URL,
                        help="PostgreSQL database in which each run gets a fresh schema (dropped afterwards)")
    parser.add_argument("--redis-url", default=servers.REDIS_URL,
                        help="Redis for the message queue and rate limits (own channel and key prefix, "
                             "cleared afterwards)")
    args = parser.parse_args(argv)
    try:
        chosen = setups(args)
    except ValueError:
        parser.error(f"--compare-workers takes workers:database pairs, e.g. {COMPARE}")
    for workers, database in chosen:
        if workers < 1 or database not in DATABASES:
            parser.error(f"no such setup: {workers} workers on {database!r}")
        if workers > 1 and database == "sqlite":
            parser.error("several processes need a server database: use --database postgres")
    return args


def main(argv: list[str]) -> list[dict]:
    args = parse_args(argv)
    if args.storm:
        from . import storm

        outcome = storm.measure(args)
        print(storm.report(outcome), flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps([outcome], indent=2))
        return [outcome]
    counts = [int(n) for n in args.knee.split(",")] if args.knee else [args.squads]
    outcomes = []
    for squads in counts:
        outcome = measure(squads, args)
        outcomes.append(outcome)
        print(report(outcome), flush=True)
    if len(outcomes) > 1:
        print("\n" + markdown(outcomes))
    if len(outcomes[0]["runs"]) > 1 or outcomes[0]["runs"][0]["workers"] > 1:
        print("\n" + markdown_runs(outcomes))
    if args.json:
        Path(args.json).write_text(json.dumps(outcomes, indent=2))
    return outcomes


if __name__ == "__main__":
    main(sys.argv[1:])
