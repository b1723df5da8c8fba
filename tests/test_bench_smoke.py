"""Smoke versions of the benchmarks (docs/benchmarks.md), so they cannot rot.

They check that the benchmarks run and report figures, and that no answer is lost or duplicated; they do
not judge speed (this machine is shared; the figures live in docs/benchmarks.md).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from bench import load, pageweight

SQUADS, SIZE = 2, 3
ROOT = Path(__file__).resolve().parent.parent


def group_items_of_module_0() -> tuple:
    """What the benchmark plays: every message of module 0 in a group run."""
    from app.programme import load_programme

    return tuple(item for item in load_programme(str(ROOT / "sessions")).module(0).items if "group" in item.modes)


@pytest.mark.live
def test_load_benchmark_runs_ours_and_the_baseline_without_losing_an_answer(tmp_path):
    out = tmp_path / "load.json"
    [outcome] = load.main(["--squads", str(SQUADS), "--size", str(SIZE), "--think-ms", "200", "--timeout", "15",
                           "--join-rate", "50", "--json", str(out)])
    items = len(group_items_of_module_0())
    for server in ("ours", "baseline"):
        figures = outcome[server]
        assert figures["phones"] == SQUADS * SIZE, (server, figures["errors"])
        assert figures["error_count"] == 0, (server, figures["errors"])
        assert figures["lost"] == 0 and figures["duplicated"] == 0, server
        assert figures["answers_acked"] == figures["answers_stored"] == SQUADS * SIZE * items, server
        latency = figures["latency_ms"]
        assert latency["join"]["n"] == SQUADS * SIZE
        assert latency["fanout"]["n"] == latency["reveal"]["n"] == SQUADS * items
        assert latency["answer_ack"]["n"] == latency["answer_staff"]["n"] == SQUADS * SIZE * items
        assert all(latency[name]["p50"] > 0 for name in ("join", "fanout", "answer_ack", "answer_staff"))
        assert figures["peak_rss_mb"] > 0 and figures["cpu_seconds"] >= 0
    assert json.loads(out.read_text())[0]["ours"]["lost"] == 0


@pytest.mark.browser
def test_page_weight_check_reports_bytes_and_slow_link_time():
    if not Path(pageweight.CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing in CI")
        pytest.skip("Debian's Chromium is not installed")
    figures = pageweight.measure()
    paths = figures["by_path"]
    socket_client = next(size for path, size in paths.items() if path.endswith("socket.io.min.js"))
    raw = (Path(__file__).resolve().parent.parent / "static/vendor/socket.io/socket.io.min.js").stat().st_size
    assert socket_client < raw / 2  # it went over the wire gzipped
    assert figures["websocket_bytes"] > 0  # her first inbox item came over her own socket
    assert figures["bytes"] > socket_client and figures["slow_link_seconds"] > 0


@pytest.mark.live
def test_load_benchmark_runs_two_processes_on_postgres_and_redis_without_losing_an_answer(tmp_path):
    database_url = os.environ.get("GPS_TEST_DATABASE_URL", "").strip()
    redis_url = os.environ.get("GPS_TEST_REDIS_URL", "").strip()
    if not (database_url and redis_url):
        pytest.skip("GPS_TEST_DATABASE_URL and GPS_TEST_REDIS_URL are not both set: the --workers 2 smoke "
                    "benchmark (PostgreSQL + Redis) skipped (.ci/run sets them)")
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    pytest.importorskip("redis", reason="redis-py is not installed: pip install -e '.[redis]'")
    [outcome] = load.main(["--squads", str(SQUADS), "--size", str(SIZE), "--think-ms", "200", "--timeout", "15",
                           "--join-rate", "50", "--workers", "2", "--no-baseline", "--postgres-url", database_url,
                           "--redis-url", redis_url, "--json", str(tmp_path / "load.json")])
    [run] = outcome["runs"]
    assert (run["workers"], run["database"]) == (2, "postgres")
    figures, items = run["figures"], len(group_items_of_module_0())
    assert figures["phones"] == SQUADS * SIZE and figures["error_count"] == 0, figures["errors"]
    assert figures["lost"] == 0 and figures["duplicated"] == 0
    assert figures["answers_acked"] == figures["answers_stored"] == SQUADS * SIZE * items
    # Every fan-out reached phones on both processes (each squad's girls are split), so it went through Redis.
    assert figures["latency_ms"]["fanout"]["n"] == SQUADS * items
    assert figures["latency_ms"]["answer_staff"]["n"] == SQUADS * SIZE * items
    processes = figures["per_process"]
    assert len(processes) == 2 and len({p["pid"] for p in processes}) == 2
    assert all(p["cpu_seconds"] > 0 and p["peak_rss_mb"] > 0 for p in processes)


def test_with_two_processes_each_squads_girls_are_split_over_both_and_its_dashboard_sits_on_one():
    from bench.clients import Plan

    plan = Plan("http://a", [], [], 12, 0, 1.0, urls=["http://a", "http://b"])
    for squad in (1, 2, 3):
        girls = Counter(plan.url_for(squad, seat) for seat in range(1, 13))
        assert girls == {"http://a": 6, "http://b": 6}
    assert {plan.url_for(squad, 0) for squad in (1, 2)} == {"http://a", "http://b"}  # dashboards spread too
    assert Plan("http://a", [], [], 3, 0, 1.0).url_for(5, 2) == "http://a"


@pytest.mark.live
def test_storm_benchmark_brings_every_phone_back_after_a_restart_and_a_cut_without_losing_an_answer(tmp_path):
    [outcome] = load.main(["--storm", "--squads", str(SQUADS), "--size", str(SIZE), "--think-ms", "500",
                           "--timeout", "15", "--join-rate", "50", "--json", str(tmp_path / "storm.json")])
    assert outcome["phones"] == SQUADS * SIZE and outcome["error_count"] == 0, outcome["errors"]
    for step in ("restart", "cut"):
        figures = outcome[step]
        assert figures["phones_back"] == SQUADS * SIZE and figures["phones_missing"] == 0, (step, figures)
        assert figures["back_ms"]["p95"] is not None and figures["staff_and_screens_back_max_ms"] is not None
    assert outcome["restart"]["down_seconds"] > 0
    # every answer acknowledged, before, during and after the storms, is in the database, once
    assert outcome["answers_acked"] == outcome["answers_stored"] == SQUADS * SIZE * 3
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0
