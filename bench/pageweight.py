"""A girl's phone on a bad link: bytes for join → lobby → first inbox item, and seconds to the lobby.

    python -m bench.pageweight [--json out.json]

Starts the real run.py on a fresh database with one squad (bench.setup_db), then drives headless
Chromium (Debian's /usr/bin/chromium, never a downloaded one) in a phone-sized context:
1. weight: open the QR link, choose a pseudonym, wait for the lobby, let the counsellor start, wait for the
   first inbox message; total = the compressed bytes of every response (CDP Network.loadingFinished
   encodedDataLength, headers included) plus the WebSocket frames' payloads;
2. slow link: a fresh (cold-cache) context under CDP Network.emulateNetworkConditions (400 ms round trip,
   400 kbit/s down and up), empty cache; the time from opening the link to the lobby being shown, the form filled
   instantly (a girl's typing is not the network's fault).
Only 127.0.0.1 is used.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from . import server as servers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "nl-BE"}
SLOW_LINK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
TARGET_BYTES, TARGET_SECONDS = 60 * 1024, 3.0
WAIT_MS = 30_000


class Transfer:
    """Counts what crossed the wire for one page, by URL path."""

    def __init__(self, cdp):
        self.urls: dict[str, str] = {}
        self.by_path: dict[str, int] = {}
        self.socket_frames = 0
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)
        cdp.send("Network.enable")

    def _request(self, event):
        self.urls[event["requestId"]] = event["request"]["url"].split("?")[0].replace("http://127.0.0.1", "")

    def _finished(self, event):
        path = self.urls.get(event["requestId"], "?")
        self.by_path[path] = self.by_path.get(path, 0) + int(event["encodedDataLength"])

    def _frame(self, event):
        self.socket_frames += len(event["response"]["payloadData"].encode())

    @property
    def total(self) -> int:
        return sum(self.by_path.values()) + self.socket_frames


def join_to_lobby(page, link: str, pseudonym: str) -> dict:
    """Open the link, join, wait for the lobby; returns the seconds of each step."""
    began = time.perf_counter()
    page.goto(link, wait_until="domcontentloaded", timeout=WAIT_MS)
    page.fill("input[name=pseudonym]", pseudonym)
    form_shown = time.perf_counter()
    page.click("#join-form [type=submit]")
    page.wait_for_url("**/p/**", wait_until="domcontentloaded", timeout=WAIT_MS)
    inbox_shown = time.perf_counter()
    page.wait_for_selector("#lobby:not([hidden])", timeout=WAIT_MS)
    lobby = time.perf_counter()
    return {"join_page": round(form_shown - began, 2), "inbox_page": round(inbox_shown - form_shown, 2),
            "socket_to_lobby": round(lobby - inbox_shown, 2), "total": round(lobby - began, 2)}


def start_run(url: str, row: dict) -> None:
    """The counsellor presses start on her dashboard (a Socket.IO client with her login session)."""
    import socketio

    staff = socketio.Client(reconnection=False)
    staff.connect(url, headers={"Cookie": f"session={row['cookie']}"}, transports=["websocket"], wait_timeout=10)
    try:
        staff.call("facilitator:join", {"run": row["run"]}, timeout=10)
        ack = staff.call("facilitator:command", {"run": row["run"], "action": "start"}, timeout=10)
        if not ack.get("ok"):
            raise RuntimeError(f"start refused: {ack}")
    finally:
        staff.disconnect()


def weigh(browser, url: str, row: dict) -> dict:
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        transfer = Transfer(context.new_cdp_session(page))
        join_to_lobby(page, f"{url}/j/{row['join_token']}", "Meisje Een")
        start_run(url, row)
        page.wait_for_selector("#messages li", timeout=WAIT_MS)
        page.wait_for_load_state("networkidle", timeout=WAIT_MS)
        return {"bytes": transfer.total, "websocket_bytes": transfer.socket_frames,
                "by_path": dict(sorted(transfer.by_path.items(), key=lambda kv: -kv[1]))}
    finally:
        context.close()


def slow_link_seconds(browser, url: str, row: dict) -> dict:
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
        return join_to_lobby(page, f"{url}/j/{row['join_token']}", "Meisje Twee")
    finally:
        context.close()


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="gps-pageweight-") as folder:
        workdir, port = Path(folder), servers.free_port()
        env = servers.app_environment(workdir, port)
        servers.run_setup(env, workdir / "setup.json", 2)
        rows = json.loads((workdir / "setup.json").read_text())["squads"]
        app = servers.start_app(env, port, workdir, rows[0]["join_token"])
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    weight = weigh(browser, app.url, rows[0])
                    seconds = slow_link_seconds(browser, app.url, rows[1])
                finally:
                    browser.close()
        finally:
            app.stop()
    return {**weight, "slow_link_seconds": seconds["total"], "slow_link_steps": seconds, "target_bytes": TARGET_BYTES,
            "target_seconds": TARGET_SECONDS}


def report(figures: dict) -> str:
    lines = [f"join → lobby → first item: {figures['bytes'] / 1024:.1f} KB transferred "
             f"(target ≤ {TARGET_BYTES // 1024} KB: {'met' if figures['bytes'] <= TARGET_BYTES else 'NOT met'}), "
             f"of which WebSocket frames {figures['websocket_bytes'] / 1024:.1f} KB"]
    lines += [f"  {size / 1024:7.1f} KB  {path}" for path, size in figures["by_path"].items()]
    seconds = figures["slow_link_seconds"]
    lines.append(f"open link → lobby at 400 ms RTT, 400 kbit/s: {seconds:.2f} s "
                 f"(target ≤ {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'NOT met'}); steps "
                 + ", ".join(f"{step} {value:.2f} s" for step, value in figures["slow_link_steps"].items()
                             if step != "total"))
    return "\n".join(lines)


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.pageweight", description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    figures = measure()
    print(report(figures), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
