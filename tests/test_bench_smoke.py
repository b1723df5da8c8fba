"""Smoke versions of the benchmarks (docs/benchmarks.md), so they cannot rot.

They check that the benchmarks run and report figures, and that no answer is lost or duplicated; they do
not judge speed (this machine is shared; the figures live in docs/benchmarks.md).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import load, pageweight

SQUADS, SIZE = 2, 3


@pytest.mark.live
def test_load_benchmark_runs_ours_and_the_baseline_without_losing_an_answer(tmp_path):
    out = tmp_path / "load.json"
    [outcome] = load.main(["--squads", str(SQUADS), "--size", str(SIZE), "--think-ms", "200", "--timeout", "15",
                           "--join-rate", "50", "--json", str(out)])
    items = 3  # module 0
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
    assert any("/p/" in path for path in paths)  # the girl reached her inbox
    assert figures["bytes"] > socket_client and figures["slow_link_seconds"] > 0
