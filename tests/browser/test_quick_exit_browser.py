"""Issue 11 in a real browser: the quick exit never fires while she types with a hardware keyboard (capitals
come with Shift), and bare Shift three times still leaves at once, with no way Back into the app."""
from __future__ import annotations

import re

import pytest

from app.content import load_programme
from app.programme import SESSIONS

from .conftest import LAPTOP, PHONE, girl_joins, join_link_in_database, press, staff_opens_lobby
from .test_safety_browser import NEUTRAL, neutral_page
from .test_track_browser import COACH, coach_creates_track

pytestmark = pytest.mark.browser
KEYBOARD_PHONE = {**PHONE, "is_mobile": False, "has_touch": False}  # a tablet or phone with a keyboard attached


def type_like_a_keyboard(page, text: str) -> None:
    """Capitals as a hardware keyboard makes them: Shift held down around the letter."""
    for char in text:
        if char.isupper():
            page.keyboard.press(f"Shift+{char}")
        else:
            page.keyboard.type(char)


def still_in_the_app(page, server) -> None:
    page.wait_for_timeout(300)
    assert page.url.startswith(server.url)
    assert page.evaluate("document.documentElement.style.display") != "none"


def bare_shift_three_times_leaves_for_good(page, server) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert server.url not in page.url


def first_words_item_index() -> int:
    group_items = [i for i in load_programme(SESSIONS).module(0).items if "group" in i.modes]
    return next(n for n, item in enumerate(group_items) if item.type == "words")


def test_typing_with_capitals_never_leaves_and_bare_shift_does(contexts, browser_server):
    staff = contexts(LAPTOP)
    run_id = staff_opens_lobby(staff, browser_server, "Quick exit while typing")
    phone = contexts(KEYBOARD_PHONE)
    neutral_page(phone)
    phone.goto(join_link_in_database(browser_server, run_id))
    phone.locator("#pseudonym").click()
    type_like_a_keyboard(phone, "Zoë De Smet")
    still_in_the_app(phone, browser_server)
    assert phone.locator("#pseudonym").input_value() == "Zoë De Smet"
    for _ in range(3):  # Shift+Tab walks back through the page: not a bare Shift either
        phone.keyboard.press("Shift+Tab")
    still_in_the_app(phone, browser_server)
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.locator("#me").filter(has_text="Zoë De Smet").wait_for()

    press(staff, "start")
    staff.locator("#items li button").nth(first_words_item_index()).click()
    boxes = phone.locator(".message.current input[type=text]")
    boxes.first.wait_for()
    for n, word in enumerate(["Eerlijk", "Lief", "Sterk"][: boxes.count()]):
        boxes.nth(n).click()
        type_like_a_keyboard(phone, word)
    still_in_the_app(phone, browser_server)
    assert boxes.first.input_value() == "Eerlijk"
    bare_shift_three_times_leaves_for_good(phone, browser_server)


def test_a_reply_to_her_coach_with_capitals_never_leaves(contexts, browser_server):
    coach = contexts(COACH)
    link = coach_creates_track(coach, browser_server)
    phone = contexts(KEYBOARD_PHONE)
    neutral_page(phone)
    phone.goto(link)
    phone.locator("#pseudonym").click()
    type_like_a_keyboard(phone, "Lina B")
    phone.get_by_role("button", name="Start my track").click()
    phone.wait_for_url(re.compile(r".*/t/[A-Za-z0-9_-]+$"))
    phone.locator("#reply-text").click()
    type_like_a_keyboard(phone, "Hoi Ann, Ik Wil Morgen Even Bellen")
    still_in_the_app(phone, browser_server)
    assert phone.locator("#reply-text").input_value() == "Hoi Ann, Ik Wil Morgen Even Bellen"
    bare_shift_three_times_leaves_for_good(phone, browser_server)


def test_back_after_a_quick_exit_never_shows_her_inbox_from_before_a_link(contexts, browser_server):
    """She switches language (a link inside the app), then leaves: Back must not find the inbox she had before."""
    staff = contexts(LAPTOP)
    run_id = staff_opens_lobby(staff, browser_server, "Quick exit after a link")
    phone = contexts(PHONE)
    neutral_page(phone)
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    phone.locator("a[hreflang=fr]").tap()
    phone.wait_for_function("document.documentElement.lang === 'fr'")
    phone.locator("a[hreflang=en]").tap()
    phone.wait_for_function("document.documentElement.lang === 'en'")
    phone.locator("#quick-exit").tap()
    phone.wait_for_url(NEUTRAL)
    phone.go_back()
    assert browser_server.url not in phone.url
