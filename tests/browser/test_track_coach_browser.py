"""Issue 13, the coach's side of a track in Chromium against the real server: she pauses the track and the girl's
phone shows it at once; she resumes; she hides one of the girl's answers and it stays out of the track's report.
Screenshots (laptop 1440×900, the report also as printed): docs/screenshots/issue13-coach-track.png,
issue13-coach-track-paused.png, issue13-track-report.png, issue13-track-report-print.png, issue13-track-paused-phone.png,
issue13-coach-track-360.png, issue13-module-report.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, screenshot
from .test_track_browser import coach_creates_track, girl_accepts, serious_axe_findings

pytestmark = pytest.mark.browser

LAPTOP_1440 = {"viewport": {"width": 1440, "height": 900}, "locale": "en-GB"}


def girl_answers_her_mood(phone) -> None:
    current = phone.locator("#messages .message.current")
    expect(current).to_be_visible()  # her first message comes with the snapshot, once her socket is connected
    current.locator("input[type=radio][value='4']").locator("xpath=ancestor::label").tap()
    current.get_by_role("button", name="Send").tap()
    expect(phone.locator("#progress-text")).to_have_text(re.compile(r"answered 1 message|Message 2 of"))


def test_the_coach_pauses_her_track_and_hides_an_answer(browser_server, contexts):
    coach = contexts(LAPTOP_1440)
    link = coach_creates_track(coach, browser_server)
    phone = contexts(PHONE)
    pseudonym = girl_accepts(phone, link)
    girl_answers_her_mood(phone)
    expect(coach.locator("#answers .track-answer")).to_have_count(1)
    expect(coach.locator("#pause-state")).to_have_text("Her track is open: she can answer her next message.")

    # The coach pauses: her state line and badge change, and the girl's phone shows the pause without a reload.
    coach.get_by_role("button", name="Pause her track").click()
    expect(coach.locator("#state")).to_have_text("Paused")
    expect(coach.locator("#pause-state")).to_contain_text("she cannot answer until you resume")
    expect(coach.locator("#paused-line")).to_be_visible()
    expect(phone.locator("#paused")).to_be_visible()
    expect(phone.locator("#paused")).to_contain_text("Your coach paused your track for now")
    screenshot(coach, "issue13-coach-track-paused.png")
    screenshot(phone, "issue13-track-paused-phone.png")

    # She resumes: the girl can go on.
    coach.get_by_role("button", name="Resume her track").click()
    expect(coach.locator("#state")).to_have_text("Still open")
    expect(coach.locator("#paused-line")).to_be_hidden()
    expect(phone.locator("#paused")).to_be_hidden()
    expect(phone.locator("#messages .message.current")).to_be_visible()

    # The coach hides her answer: it is marked here, and her track's report leaves it out.
    card = coach.locator("#answers .track-answer").first
    card.get_by_role("button", name="Hide this answer").click()
    expect(card.locator(".hidden-note")).to_have_text("Hidden: left out of the reports.")
    expect(coach.locator("#answers .track-answer.is-hidden")).to_have_count(1)
    expect(coach.get_by_role("button", name="Show this answer again")).to_be_focused()  # focus stays in place
    expect(coach.locator("#modules .module-report")).to_have_count(1)  # module 0 has its run and report
    screenshot(coach, "issue13-coach-track.png")
    assert serious_axe_findings(coach) == []

    coach.locator("#track-report-link").click()
    coach.wait_for_url(re.compile(r".*/staff/tracks/\d+/report$"))
    first = coach.locator("#module-0 .report-item").first
    expect(first.locator(".hidden-note")).to_have_text("Hidden: this answer stays out of the report.")
    expect(coach.locator("h1")).not_to_contain_text(pseudonym)  # names only on request
    screenshot(coach, "issue13-track-report.png")
    assert serious_axe_findings(coach) == []
    coach.emulate_media(media="print")
    expect(coach.locator("#print")).to_be_hidden()
    screenshot(coach, "issue13-track-report-print.png")
    coach.emulate_media(media="screen")

    # Shown again: her answer is back in the report, with her pseudonym only when asked for.
    coach.get_by_role("link", name="Back to her track").click()
    coach.get_by_role("button", name="Show this answer again").click()
    expect(coach.locator("#answers .track-answer.is-hidden")).to_have_count(0)
    coach.set_viewport_size({"width": 360, "height": 740})  # a coach on her phone: nothing cut off
    expect(coach.locator("#pause-track")).to_be_visible()
    assert coach.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(coach, "issue13-coach-track-360.png")
    coach.set_viewport_size(LAPTOP_1440["viewport"])
    coach.locator("#track-report-link").click()
    coach.wait_for_url(re.compile(r".*/staff/tracks/\d+/report$"))
    coach.locator("a[href$='/report?names=1']").click()  # "Show pseudonyms" ("nicknames" in English)
    expect(coach.locator("#module-0 .report-item").first.locator(".her-answer")).to_contain_text(pseudonym)

    # The report of module 0 alone is its run's report; it leads back to her track, not to a run dashboard.
    coach.locator("#module-0").get_by_role("link", name="Report of this module").click()
    coach.wait_for_url(re.compile(r".*/staff/runs/\d+/report\?names=1$"))
    expect(coach.locator("main")).to_contain_text(pseudonym)
    screenshot(coach, "issue13-module-report.png")
    coach.get_by_role("link", name="Back to her track").click()
    coach.wait_for_url(re.compile(r".*/staff/tracks/\d+$"))
