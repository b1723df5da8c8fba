"""Issue 5, done when: the online track on a phone-sized screen and the coach's view on a laptop-sized one,
in Chromium against the real server. Screenshots: docs/screenshots/issue5-track-phone.png, issue5-coach.png."""
from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from ..live.conftest import STAFF_EMAIL, STAFF_PASSWORD
from .conftest import PHONE, screenshot

pytestmark = pytest.mark.browser

COACH = {"viewport": {"width": 1366, "height": 768}, "locale": "en-GB"}


def serious_axe_findings(page) -> list[tuple]:
    """axe-core's serious and critical findings: rule and elements."""
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def coach_creates_track(page, server, reply_within: str | None = None) -> str:
    """Log in, make an online squad (with its reply time) and a track; returns the invitation link."""
    page.goto(server.url + "/login")
    page.get_by_label("Email").fill(STAFF_EMAIL)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/staff/squads$"))
    page.get_by_label("Name of the squad").fill("Online begeleiding")
    page.get_by_label("Way of working").select_option("online_individual")
    page.get_by_role("button", name="Create squad").click()
    page.wait_for_url(re.compile(r".*/staff/squads/\d+$"))
    if reply_within:
        page.get_by_label("How soon do you usually answer her?").select_option(reply_within)
        page.locator("#reply-within-form").get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r".*/staff/squads/\d+$"))
        expect(page.get_by_label("How soon do you usually answer her?")).to_have_value(reply_within)
        screenshot(page, "issue13-squad-reply-time-laptop.png")
    page.get_by_role("button", name="New personal track and invitation").click()
    page.wait_for_url(re.compile(r".*/staff/tracks/\d+$"))
    return page.locator("#invitation-link").inner_text().strip()


def girl_accepts(phone, link: str) -> str:
    phone.goto(link)
    chip = phone.locator("[data-pseudonym]").first
    pseudonym = chip.get_attribute("data-pseudonym")
    chip.tap()
    phone.get_by_role("button", name="Start my track").tap()
    phone.wait_for_url(re.compile(r".*/t/[A-Za-z0-9_-]+$"))
    expect(phone.locator("#me")).to_have_text(pseudonym, timeout=15_000)  # the socket's first snapshot
    return pseudonym


def test_online_track_on_a_phone_with_the_coach_on_a_laptop(browser_server, contexts):
    server = browser_server
    coach = contexts(COACH)
    link = coach_creates_track(coach, server)
    qr = coach.locator("img.qr").screenshot()
    assert [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr)))] == [link]

    # She opens her personal invitation on her phone and picks a pseudonym.
    phone = contexts(PHONE)
    pseudonym = girl_accepts(phone, link)
    expect(phone.locator("#progress-text")).to_be_hidden()  # numbering counts what she answered (issue 13)
    expect(coach.locator("#track-title")).to_have_text(f"Track of {pseudonym}")  # live, without a reload
    expect(coach.locator("#invitation-used")).to_be_visible()  # her invitation is spent

    # Her first message: she answers, the blogger's info shows at once and the next message arrives.
    current = phone.locator("#messages .message.current")
    current.locator("input[type=radio][value='4']").locator("xpath=ancestor::label").tap()
    current.get_by_role("button", name="Send").tap()
    answered = phone.locator("#messages .message.answered").first
    expect(answered.locator(".info")).to_be_visible()
    expect(phone.locator("#progress-text")).to_have_text("You answered 1 message.")
    expect(coach.locator("#answers .track-answer")).to_have_count(1)  # live on the coach's laptop
    expect(coach.locator("#progress-text")).to_contain_text("1 of")

    # Support messages both ways.
    coach.get_by_label("Message to her").fill("Goed bezig! Laat je weten als iets moeilijk is?")
    coach.locator("#support").get_by_role("button", name="Send").click()
    bubble = phone.locator("#coach-messages .from-coach")
    expect(bubble).to_contain_text("Goed bezig!")
    expect(bubble).to_contain_text("From your coach")
    phone.get_by_label("Reply to your coach").fill("Dank je, gaat goed")
    phone.get_by_role("button", name="Send to my coach").tap()
    expect(coach.locator("#thread")).to_contain_text("Dank je, gaat goed")

    # "I want to talk": highlighted for the coach until acknowledged.
    phone.get_by_role("button", name="I want to talk", exact=True).tap()
    expect(phone.locator("#talk-status")).to_contain_text("Your coach knows you want to talk.")
    expect(coach.locator("#signals")).to_be_visible()
    expect(coach.locator("#signal-list")).to_contain_text(pseudonym)
    screenshot(coach, "issue5-coach.png")
    assert serious_axe_findings(coach) == []
    coach.locator("#signal-list").get_by_role("button", name="Seen").click()
    expect(coach.locator("#signals")).to_be_hidden()
    expect(phone.locator("#talk-status")).to_contain_text("Your coach has seen your message.")

    # Another day: the phone opens her track again without typing anything and she rereads message 1.
    track_url = phone.url
    phone.goto("about:blank")
    phone.goto(track_url)
    expect(phone.locator("#progress-text")).to_have_text("You answered 1 message.")
    reread = phone.locator("#messages .message.answered").first
    reread.locator("summary").tap()
    expect(reread.locator(".info")).to_be_visible()
    expect(phone.locator("#coach-messages")).to_contain_text("Dank je, gaat goed")
    screenshot(phone, "issue5-track-phone.png")
    assert serious_axe_findings(phone) == []

    # The coach locks module 0, which she has begun: she is held there, not moved on (issue 13); open again, on.
    coach.locator("#modules [data-module='0']").click()
    expect(coach.locator("#modules .state-locked")).to_have_count(2)  # module 0 and module 5
    expect(phone.locator("#waiting")).to_be_visible()
    expect(phone.locator("#messages .message.current")).to_have_count(0)
    coach.locator("#modules [data-module='0']").click()
    expect(phone.locator("#messages .message.current .module-name")).to_contain_text("Module 0")
