"""Issue 13 in Chromium against the real server: a girl comes back into her online track (her invitation tapped
again, her return code on another phone, "forget this phone"), and her side of the track (a coach message's
notice, what happens after "I want to talk", paused, the end of a module). Screenshots at 320 and 360 px:
docs/screenshots/issue13-*.png (with GPS_SCREENSHOTS=1)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, screenshot
from .test_track_browser import COACH, coach_creates_track, girl_accepts, serious_axe_findings

pytestmark = pytest.mark.browser

SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}
CODE = re.compile(r"^[ACEFHJKMNPRTVWXY34679]{4}-[ACEFHJKMNPRTVWXY34679]{4}-[ACEFHJKMNPRTVWXY34679]{2}$")


def shown_code(phone) -> str:
    expect(phone.locator("#return-code")).to_be_visible()
    code = phone.locator("#return-code-value").inner_text().strip()
    assert CODE.match(code), code
    return code


def stored_token(page):
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('gps:track:'))")


def test_she_comes_back_by_her_invitation_her_return_code_and_forgets_a_phone(browser_server, contexts):
    server = browser_server
    coach = contexts(COACH)
    link = coach_creates_track(coach, server)

    # She accepts her invitation; her track page shows her return code once, with a calm explanation.
    phone = contexts(SMALL_PHONE)
    pseudonym = girl_accepts(phone, link)
    code = shown_code(phone)
    assert code not in phone.url
    expect(phone.locator("#return-code")).to_contain_text("Write it down somewhere safe, or remember it.")
    screenshot(phone, "issue13-return-code-phone-320.png")
    assert serious_axe_findings(phone) == []
    phone.get_by_role("button", name="I have written it down").tap()
    expect(phone.locator("#return-code")).to_be_hidden()
    assert code not in phone.content()
    assert code not in str(phone.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))

    # Another day she taps her invitation again on the same phone: back in her track, no "no longer works".
    track_url = phone.url
    phone.goto("about:blank")
    phone.goto(link)
    phone.wait_for_url(track_url)
    expect(phone.locator("#me")).to_have_text(pseudonym)
    expect(phone.locator("#return-code")).to_be_hidden()  # shown once only
    coach.reload()
    expect(coach.locator("#return-code-state")).to_contain_text("She has a personal return code")
    screenshot(coach, "issue13-coach-way-back-laptop.png")

    # The same invitation in another browser (a chat app's own browser): it explains the way back.
    chat_app = contexts(PHONE)
    chat_app.goto(link)
    expect(chat_app.get_by_role("heading", name="You already used this invitation")).to_be_visible()
    expect(chat_app.locator("#way-back")).to_contain_text("return code")
    screenshot(chat_app, "issue13-invitation-again-360.png")

    # There she types her return code on the code page: in, with a new code; the first phone is told.
    chat_app.get_by_role("link", name="I have a code").first.tap()
    chat_app.get_by_label("Code").fill(code.lower())
    chat_app.get_by_role("button", name="Go").tap()
    chat_app.wait_for_url(track_url)
    expect(chat_app.locator("#me")).to_have_text(pseudonym)
    new_code = shown_code(chat_app)
    assert new_code != code
    screenshot(chat_app, "issue13-return-code-phone-360.png")
    expect(phone.locator("#revoked")).to_be_visible()
    assert stored_token(phone) == []

    # Her old code is spent: the same calm answer as for a wrong one.
    stranger = contexts(PHONE)
    stranger.goto(server.url + "/code")
    stranger.get_by_label("Code").fill(code)
    stranger.get_by_role("button", name="Go").tap()
    expect(stranger.get_by_role("alert")).to_have_text(
        "This code does not work. Check it, or ask your coach for a new invitation.")

    # "Forget this phone": a confirmation, then a calm page; nothing of her track stays in this browser.
    chat_app.get_by_role("button", name="I have written it down").tap()
    chat_app.get_by_role("button", name="Forget this phone").tap()
    expect(chat_app.locator("#forget-confirm")).to_contain_text("return code")
    chat_app.get_by_role("button", name="Yes, forget this phone").tap()
    chat_app.wait_for_url(re.compile(r".*/phone-forgotten$"))
    expect(chat_app.get_by_role("heading", name="This phone has forgotten your track")).to_be_visible()
    expect(chat_app.locator("#way-back")).to_be_visible()
    assert stored_token(chat_app) == []
    screenshot(chat_app, "issue13-forgotten-360.png")
    chat_app.set_viewport_size({"width": 320, "height": 640})
    screenshot(chat_app, "issue13-forgotten-320.png")
    assert serious_axe_findings(chat_app) == []
    chat_app.goto(track_url)
    expect(chat_app.locator("#no-token")).to_be_visible()

    # Her newest code still brings her back (here, on the small phone again).
    phone.goto(server.url + "/code")
    phone.get_by_label("Code").fill(new_code)
    phone.get_by_role("button", name="Go").tap()
    phone.wait_for_url(track_url)
    expect(phone.locator("#me")).to_have_text(pseudonym)
    shown_code(phone)


def test_her_side_a_coach_message_a_signal_a_pause_and_the_end_of_a_module(browser_server, contexts):
    server = browser_server
    coach = contexts(COACH)
    link = coach_creates_track(coach, server, reply_within="same_day")
    phone = contexts(PHONE)
    girl_accepts(phone, link)
    phone.get_by_role("button", name="I have written it down").tap()
    expect(phone.locator("#messages .message.current")).to_contain_text("Message 1")
    expect(phone.locator("#progress-text")).to_be_hidden()  # nothing answered yet: no count to show

    # A message from her coach: a visible notice that brings her to it, with the time on both sides.
    coach.get_by_label("Message to her").fill("Hoi! Hoe gaat het met je?")
    coach.locator("#support").get_by_role("button", name="Send").click()
    expect(phone.locator("#coach-notice")).to_be_visible()
    expect(phone.locator("#announce")).to_have_text(re.compile("Hoi! Hoe gaat het met je?"))
    screenshot(phone, "issue13-coach-notice-360.png")
    phone.get_by_role("button", name="Read it").tap()
    expect(phone.locator("#coach-notice")).to_be_hidden()
    newest = phone.locator("#coach-messages .from-coach").last
    expect(newest).to_be_focused()
    expect(newest.locator("time")).to_have_text(re.compile(r"\d{1,2}[:.h]\d{2}"))
    phone.get_by_label("Reply to your coach").fill("Goed!")
    phone.get_by_role("button", name="Send to my coach").tap()
    expect(phone.locator("#coach-messages .from-me time")).to_have_count(1)

    # "I want to talk": what happens next, honestly, with 116 000 for when it cannot wait.
    phone.get_by_role("button", name="I want to talk", exact=True).tap()
    status = phone.locator("#talk-status")
    expect(status).to_contain_text("Your coach knows you want to talk.")
    expect(status).to_contain_text("She usually answers the same day.")
    expect(status.get_by_role("link", name=re.compile("116 000"))).to_have_attribute("href", "tel:116000")
    phone.get_by_role("button", name="I need a break").tap()
    expect(status).to_contain_text("Your coach knows you need a break.")
    screenshot(phone, "issue13-signal-360.png")
    expect(status).to_contain_text("Your coach knows you want to talk.")  # both kinds: neither swallowed
    phone.reload()  # the kinds her coach has not seen yet are said again after a reload
    expect(phone.locator("#talk-status")).to_contain_text("Your coach knows you want to talk.")
    expect(phone.locator("#talk-status")).to_contain_text("Your coach knows you need a break.")
    expect(phone.locator("#coach-notice")).to_be_hidden()  # she replied after it: read

    # Module 0 to its end (she may skip every message): a calm moment, then "Go on" when she likes.
    for n in range(1, 40):
        current = phone.locator("#messages .message.current")
        if phone.locator("#module-done").is_visible():
            break
        expect(current.locator(".message-head")).to_contain_text(re.compile(f"Message {n}$"))
        current.get_by_role("button", name="I'd rather not answer").tap()
        phone.wait_for_function(f"() => !document.getElementById('module-done').hidden || "
                                f"/Message {n + 1}(?!\\d)/.test(document.querySelector('#messages .message.current')?.textContent || '')")
    expect(phone.locator("#module-done-title")).to_have_text("Module 0 done.")
    expect(phone.locator("#progress-text")).to_have_text(re.compile(r"You answered \d+ messages\."))
    expect(phone.locator("#messages .message.current")).to_have_count(0)  # never pushed on
    phone.reload()  # the moment is the server's (module_done): still there another day, her cards folded
    expect(phone.locator("#module-done-title")).to_have_text("Module 0 done.")
    screenshot(phone, "issue13-module-done-360.png")
    phone.set_viewport_size({"width": 320, "height": 640})
    screenshot(phone, "issue13-module-done-320.png")
    assert serious_axe_findings(phone) == []
    go_on = phone.locator("#module-done-go")
    if go_on.is_visible():
        go_on.tap()
        expect(phone.locator("#messages .message.current")).to_be_focused()

    # Her coach locks the module she is in (she has begun it): she is held where she is, with a calm text.
    current = phone.locator("#messages .message.current")
    expect(current.locator(".module-name")).to_contain_text("Module 1")
    current.get_by_role("button", name="I'd rather not answer").tap()
    expect(phone.locator("#messages .message.current .message-head")).to_contain_text(re.compile(r"Message \d+$"))
    coach.locator("#modules [data-module='1']").click()
    expect(phone.locator("#waiting")).to_be_visible()
    expect(phone.locator("#waiting")).to_contain_text("every message that is open for now")
    expect(phone.locator("#messages .message.current")).to_have_count(0)  # not moved ahead to module 2
    coach.locator("#modules [data-module='1']").click()
    expect(phone.locator("#messages .message.current .module-name")).to_contain_text("Module 1")

    # Her coach pauses her track: a calm notice; she can still write and signal.
    coach.locator("#pause-track").click()
    expect(phone.locator("#paused")).to_be_visible()
    expect(phone.locator("#paused")).to_contain_text("Your coach paused your track for now")
    expect(phone.locator("#messages .message.current")).to_have_count(0)
    expect(phone.get_by_role("button", name="I want to talk", exact=True)).to_be_visible()
    expect(phone.get_by_label("Reply to your coach")).to_be_visible()
    phone.reload()
    expect(phone.locator("#paused")).to_be_visible()
    screenshot(phone, "issue13-paused-320.png")
