"""The load benchmark: GPS Live under S squads of N girls, against a bare Socket.IO baseline.

    python -m bench.load --squads 100 --size 12            # one squad count, ours and the baseline
    python -m bench.load --knee 25,50,100,200 --json out.json

See docs/benchmarks.md for what is measured and the figures on the development machine.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import queue
import sqlite3
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from . import server as servers
from .clients import Plan, Results, simulate, split

TARGETS = {"answer_staff": 50.0, "fanout": 100.0, "join": 300.0}  # p95 in ms
MB_PER_PHONE = 0.5
RATIO = 2.0
LATENCIES = ("join", "fanout", "reveal", "answer_ack", "answer_staff", "lag")


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
                  seed=args.seed + n) for n, rows in enumerate(parts)]
    print(f"[{server.name}] pid {server.process.pid} on {server.url}: {args.squads} squads × {args.size}",
          file=sys.stderr, flush=True)
    _w0, cpu0, idle_rss = server.sample()
    wall0 = time.monotonic()
    processes = [context.Process(target=_client_process, args=(plan, n, reports, go), daemon=True)
                 for n, plan in enumerate(plans)]
    for process in processes:
        process.start()
    phones = args.squads * args.size
    join_deadline = time.monotonic() + phones / args.join_rate + args.timeout * 3 + 30
    joined = _collect(reports, "joined", len(plans), join_deadline, server.sample)
    wall1, cpu1, connected_rss = server.sample()
    go.set()
    play_deadline = time.monotonic() + len(plans[0].items) * (args.think_ms / 1000 * 2 + args.timeout * 4) + 60
    done = _collect(reports, "done", len(plans), play_deadline, server.sample)
    wall2, cpu2, _rss = server.sample()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
    results = Results()
    for _kind, _n, part in done:
        results.merge(part)
    if len(done) < len(plans):
        results.errors["client_process_timeout"] += len(plans) - len(done)
    connected = sum(message[2] for message in joined)
    return {"results": results, "phones_connected": connected, "idle_rss": idle_rss,
            "connected_rss": connected_rss, "peak_rss": server.peak_rss(),
            "cpu_join": _percent(cpu1 - cpu0, wall1 - wall0), "cpu_module": _percent(cpu2 - cpu1, wall2 - wall1),
            "cpu_seconds": cpu2 - cpu0, "wall_seconds": wall2 - wall0,
            "cpu_join_seconds": cpu1 - cpu0, "cpu_module_seconds": cpu2 - cpu1}


def _percent(cpu: float, wall: float) -> float:
    return round(100 * cpu / wall, 1) if wall > 0 else 0.0


# --- checking answers against what was stored ---------------------------------------------------

def stored_answers_app(database: Path) -> list[tuple]:
    with sqlite3.connect(str(database), timeout=30) as connection:
        return connection.execute(
            "SELECT a.run_id, p.pseudonym, a.item_id, a.client_id FROM answer a "
            "JOIN participant p ON p.id = a.participant_id").fetchall()


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
            "mb_per_phone": round((run["connected_rss"] - run["idle_rss"]) / phones / 2**20, 3)}


def _mb(size: int) -> float:
    return round(size / 2**20, 1)


# --- one squad count ------------------------------------------------------------------------------

def measure(squads: int, args) -> dict:
    args.squads = squads
    with tempfile.TemporaryDirectory(prefix="gps-bench-") as folder:
        workdir = Path(args.keep) / f"{squads}-squads" if args.keep else Path(folder)
        workdir.mkdir(parents=True, exist_ok=True)
        port = servers.free_port()
        env = servers.app_environment(workdir, port)
        setup_file = workdir / "setup.json"
        servers.run_setup(env, setup_file, squads)
        setup = json.loads(setup_file.read_text())
        first = setup["squads"][0]["join_token"]
        outcome = {"squads": squads, "size": args.size, "think_ms": args.think_ms}
        app = servers.start_app(env, port, workdir, first)
        try:
            outcome["ours"] = summary(drive(app, setup, args), stored_answers_app(workdir / "bench.db"))
        finally:
            app.stop()
        if args.baseline:
            base = servers.start_baseline(servers.free_port(), workdir, setup_file, first)
            try:
                outcome["baseline"] = summary(drive(base, setup, args), stored_answers_baseline(base))
            finally:
                base.stop()
        return outcome


def ratio(ours: float | None, base: float | None) -> str:
    return f"{ours / base:.2f}" if ours is not None and base else "–"


def report(outcome: dict) -> str:
    ours, base = outcome["ours"], outcome.get("baseline")
    lines = [f"\n== {outcome['squads']} squads × {outcome['size']} girls "
             f"({ours['phones']} phones connected), think {outcome['think_ms']} ms =="]
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
    return "\n".join(lines)


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


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--squads", type=int, default=100, help="squads (each: 1 counsellor, 1 projector, N girls)")
    parser.add_argument("--size", type=int, default=12, help="girls per squad")
    parser.add_argument("--think-ms", type=int, default=3000, help="mean think time before an answer")
    parser.add_argument("--join-rate", type=float, default=25.0, help="phones starting to join per second")
    parser.add_argument("--clients-procs", type=int, default=0, help="client processes (default: by load)")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the bare python-socketio baseline")
    parser.add_argument("--knee", help="comma-separated squad counts to run one after another, e.g. 25,50,100,200")
    parser.add_argument("--timeout", type=float, default=30.0, help="bound on every single wait (s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write all figures to this file")
    parser.add_argument("--keep", help="keep the database and server logs in this folder (for diagnosis)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> list[dict]:
    args = parse_args(argv)
    counts = [int(n) for n in args.knee.split(",")] if args.knee else [args.squads]
    outcomes = []
    for squads in counts:
        outcome = measure(squads, args)
        outcomes.append(outcome)
        print(report(outcome), flush=True)
    if len(outcomes) > 1:
        print("\n" + markdown(outcomes))
    if args.json:
        Path(args.json).write_text(json.dumps(outcomes, indent=2))
    return outcomes


if __name__ == "__main__":
    main(sys.argv[1:])
