"""Issue 13, done when: a coach with her squads page open is told of a girl's signal (the count in the title and
the menu, a notice) within 2 s, from a group run and from her online track, in Chromium against the real server.
Screenshots of the attention page at 1440x900 and 360 px: docs/screenshots/issue13-attention-*.png.

Each test signs in as a coach of its own, so the counts are hers only (the browser server is shared by the tests
of this process, and the other tests leave signals of the shared staff account behind).
"""
from __future__ import annotations

import itertools
import re
import subprocess
import sys
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..live.conftest import CHEAP_HASH
from ..support.server import ROOT
from .conftest import PHONE, girl_joins, join_link_in_database, screenshot, wait_dashboard_ready
from .test_track_browser import girl_accepts

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1440, "height": 900}, "locale": "en-GB"}
PASSWORD = "attention-test-password"
TOLD_WITHIN_MS = 2000
_coaches = itertools.count(1)


def new_coach(server) -> str:
    """A staff account of her own on the live server's database; returns her email."""
    email = f"coach{next(_coaches)}-{int(time.time() * 1000) % 10**8}@attention.test"
    script = ("import sys\nfrom werkzeug.security import generate_password_hash\nfrom app import create_app\n"
              "from app.extensions import db\nfrom app.services import accounts\n"
              "app = create_app()\nwith app.app_context():\n"
              "    staff = accounts.create_facilitator(email=sys.argv[1], name='Coach', password=sys.argv[2])\n"
              "    staff.password_hash = generate_password_hash(sys.argv[2], method=sys.argv[3])\n"
              "    db.session.commit()\n")
    subprocess.run([sys.executable, "-c", script, email, PASSWORD, CHEAP_HASH], cwd=ROOT, env=server.env,
                   check=True, timeout=60, capture_output=True)
    return email


def log_in(page, server, email: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/staff/squads$"))


def make_squad(page, name: str, way: str = "group") -> None:
    page.get_by_label("Name of the squad").fill(name)
    page.get_by_label("Way of working").select_option(way)
    page.get_by_role("button", name="Create squad").click()
    page.wait_for_url(re.compile(r".*/staff/squads/\d+$"))


def open_and_start_module_0(page) -> int:
    page.locator(".module-row").first.get_by_role("link", name="Prepare and start").click()
    page.get_by_role("button", name="Open the lobby").click()
    page.wait_for_url(re.compile(r".*/staff/runs/\d+$"))
    wait_dashboard_ready(page)
    return int(page.url.rsplit("/", 1)[-1])


def on_squads_page(page, server) -> None:
    """Her squads page, with its attention count connected and synced (nothing to count yet)."""
    page.goto(server.url + "/staff/squads")
    page.wait_for_function("() => window.GPSAttention && window.GPSAttention.socket.connected")
    expect(page).to_have_title(re.compile(r"^Squads"))
    expect(page.locator("#attention-count")).to_have_text("")


def told_within_2s(page, started: float, pseudonym: str, what: str) -> float:
    """The title, the menu and the notice all say it; returns how long it took, in ms."""
    expect(page).to_have_title(re.compile(r"^\(1\) Squads"), timeout=TOLD_WITHIN_MS)
    took = (time.monotonic() - started) * 1000
    expect(page.locator("#attention-link")).to_have_text("Attention (1)", timeout=TOLD_WITHIN_MS)
    notice = page.locator("#attention-notice")
    expect(notice).to_be_visible(timeout=TOLD_WITHIN_MS)
    expect(notice).to_contain_text(f"{pseudonym} {what}")
    expect(page.locator("#attention-announce")).to_contain_text(f"New: {pseudonym} {what}")
    return took


def serious_axe_findings(page) -> list[tuple]:
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_a_signal_in_a_group_run_reaches_her_squads_page_within_2_s(browser_server, contexts):
    server = browser_server
    coach = contexts(LAPTOP)
    log_in(coach, server, new_coach(server))
    make_squad(coach, "Leefgroep De Linde")
    run_id = open_and_start_module_0(coach)
    coach.get_by_role("button", name="Start").click()
    phone = contexts(PHONE)
    pseudonym = girl_joins(phone, join_link_in_database(server, run_id))
    on_squads_page(coach, server)

    started = time.monotonic()
    phone.get_by_role("button", name="I want to talk", exact=True).tap()
    took = told_within_2s(coach, started, pseudonym, "wants to talk")
    print(f"group run signal told on the squads page after {took:.0f} ms")
    screenshot(coach, "issue13-attention-notice.png")

    # A low check-in joins it ("Stormy", the lowest point of module 0's weather).
    phone.locator(".message.current input[type=radio][value='1']").locator("xpath=ancestor::label").tap()
    phone.locator(".message.current button[type=submit]").tap()
    expect(coach).to_have_title(re.compile(r"^\(2\) "))

    # The attention page lists both, with a way to each; the check-in is marked seen there.
    coach.get_by_role("link", name="Attention (2)").click()
    expect(coach.locator("#attention-signal li")).to_have_count(1)
    expect(coach.locator("#attention-signal")).to_contain_text(f"{pseudonym} wants to talk")
    expect(coach.locator("#attention-checkin")).to_contain_text(f"{pseudonym} chose ⛈️ 1 of 5 at the check-in")
    screenshot(coach, "issue13-attention-laptop.png")
    small = contexts({**PHONE, "storage_state": coach.context.storage_state()})
    small.goto(server.url + "/staff/attention")
    expect(small.locator("#attention-checkin li")).to_have_count(1)
    assert small.evaluate("() => document.documentElement.scrollWidth") <= 360  # nothing sideways on a phone
    screenshot(small, "issue13-attention-phone.png")
    assert serious_axe_findings(coach) == []
    coach.locator("#attention-checkin").get_by_role("button", name=f"Seen: {pseudonym}").click()
    expect(coach.locator("#attention-checkin")).to_be_hidden()
    expect(small).to_have_title(re.compile(r"^\(1\) "))  # her other open page follows

    # The signal is acknowledged on the run's dashboard: the list empties without a reload.
    coach.locator("#attention-signal").get_by_role("link", name=f"Open the dashboard: {pseudonym}").click()
    coach.wait_for_url(re.compile(rf".*/staff/runs/{run_id}$"))
    coach.locator("#signal-list").get_by_role("button", name=f"Seen: {pseudonym}").click()
    expect(coach).not_to_have_title(re.compile(r"^\("))
    expect(small.locator("#attention-empty")).to_be_visible()


def test_a_signal_in_her_online_track_reaches_her_squads_page_within_2_s(browser_server, contexts):
    server = browser_server
    coach = contexts(LAPTOP)
    log_in(coach, server, new_coach(server))
    make_squad(coach, "Online begeleiding", "online_individual")
    coach.get_by_role("button", name="New personal track and invitation").click()
    coach.wait_for_url(re.compile(r".*/staff/tracks/\d+$"))
    track_path = coach.url.replace(server.url, "")
    link = coach.locator("#invitation-link").inner_text().strip()
    phone = contexts(PHONE)
    pseudonym = girl_accepts(phone, link)
    on_squads_page(coach, server)

    started = time.monotonic()
    phone.get_by_role("button", name="I want to talk", exact=True).tap()
    took = told_within_2s(coach, started, pseudonym, "wants to talk")
    print(f"track signal told on the squads page after {took:.0f} ms")

    # Her message is one more item; opening her track reads it (and the signal is acknowledged there).
    phone.get_by_label("Reply to your coach").fill("Kan je me bellen?")
    phone.get_by_role("button", name="Send to my coach").tap()
    expect(coach).to_have_title(re.compile(r"^\(2\) "))
    expect(coach.locator("#attention-notice")).to_contain_text(f"{pseudonym} sent you a message")
    coach.get_by_role("link", name="Open the attention list").click()
    expect(coach.locator("#attention-messages")).to_contain_text(f"{pseudonym} sent you a message")
    coach.locator("#attention-messages").get_by_role("link", name=f"Open her track: {pseudonym}").click()
    coach.wait_for_url(re.compile(rf".*{re.escape(track_path)}$"))
    expect(coach).to_have_title(re.compile(r"^\(1\) "))  # read on sight: only the signal is left
    coach.locator("#signal-list").get_by_role("button", name="Seen").click()
    expect(coach).not_to_have_title(re.compile(r"^\("))
