"""Headless Chromium (Debian's, never a downloaded one) against the real server in a subprocess.

Without /usr/bin/chromium the browser tests are skipped on a developer's machine, but they fail in CI
(the CI environment variable is set), where a silently skipped browser test would hide a broken page.
"""
from __future__ import annotations

import os
import re
import tempfile
import sqlite3
from pathlib import Path

import pytest

from ..live.conftest import STAFF_EMAIL, STAFF_PASSWORD, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"viewport": {"width": 1366, "height": 860}, "locale": "en-GB"}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "locale": "en-GB"}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "en-GB"}
UI_TIMEOUT_MS = 15_000


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: install Debian's chromium (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API must be closed again before another module
    (a benchmark, say) starts its own."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory):
    """One real server for the browser tests of this test process (with `-n 2` each process has its own, on
    its own port and folder); each test makes its own squad and run on it."""
    require_chromium()  # skip (or fail in CI) before starting a server nobody will use
    server = LiveServer(tmp_path_factory.mktemp("browser-server"))
    # Every browser here comes from 127.0.0.1 and each test logs in: the login limit would count them all as one.
    server.env["RATELIMIT_ENABLED"] = "false"
    server.prepare_database()
    server.start()
    yield server
    server.stop()
    print(f"--- server log (tail) ---\n{server.log()}")


class Contexts:
    """Browser contexts (laptop, phone, projector) opened by a test, closed together afterwards."""

    def __init__(self, browser):
        self.browser, self.opened = browser, []

    def __call__(self, kind: dict):
        context = self.browser.new_context(**kind)
        context.set_default_timeout(UI_TIMEOUT_MS)
        self.opened.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.opened:
            context.close()


@pytest.fixture()
def contexts(browser):
    opened = Contexts(browser)
    yield opened
    opened.close()


def screenshot(page, name: str) -> None:
    """Always taken (a page that cannot be drawn fails here); kept in docs/screenshots/ only with
    GPS_SCREENSHOTS=1, so a test run leaves the committed pictures alone."""
    folder = SCREENSHOTS if os.environ.get("GPS_SCREENSHOTS") == "1" else Path(tempfile.gettempdir()) / "gps-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


# --- the flow through the real pages ------------------------------------------------------------

def staff_opens_lobby(page, server: LiveServer, squad_name: str) -> int:
    """Log in, make a squad, prepare module 0 and open its lobby; returns the run id from the dashboard URL."""
    page.goto(server.url + "/login")
    page.get_by_label("Email").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/staff/squads$"))
    page.get_by_label("Name of the squad").fill(squad_name)
    page.get_by_role("button", name="Create squad").click()
    page.wait_for_url(re.compile(r".*/staff/squads/\d+$"))
    page.locator(".module-row").first.get_by_role("link", name="Prepare and start").click()
    page.wait_for_url(re.compile(r".*/modules/0/start$"))
    page.get_by_role("button", name="Open the lobby").click()
    page.wait_for_url(re.compile(r".*/staff/runs/\d+$"))
    wait_dashboard_ready(page)
    return int(page.url.rsplit("/", 1)[-1])


def wait_dashboard_ready(page) -> None:
    """The dashboard has its staff snapshot once the join code is filled in."""
    page.wait_for_function("() => /^[A-Z0-9]{6}$/.test(document.getElementById('code').textContent.trim())")


def join_link_in_database(server: LiveServer, run_id: int) -> str:
    with sqlite3.connect(server.database, timeout=15) as db:
        token = db.execute("SELECT join_token FROM run WHERE id = ?", (run_id,)).fetchone()[0]
    return f"{server.url}/j/{token}"


def girl_joins(page, join_link: str) -> str:
    """On the join page she taps the first suggested pseudonym and joins; returns that pseudonym."""
    page.goto(join_link)
    chip = page.locator("[data-pseudonym]").first
    pseudonym = chip.get_attribute("data-pseudonym")
    chip.tap()
    assert page.locator("#pseudonym").input_value() == pseudonym
    page.get_by_role("button", name="Join", exact=True).tap()
    page.wait_for_url(re.compile(r".*/p/[A-Za-z0-9_-]+$"))
    page.locator("#me").filter(has_text=pseudonym).wait_for()
    return pseudonym


def press(page, action: str) -> None:
    """A dashboard control (start, next, reveal_results, …), by its data-action."""
    page.locator(f".controls [data-action='{action}']").click()
