"""Issue 4, done when: a counsellor's laptop, a girl's phone and the projector drive one live run in Chromium."""
from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from .conftest import (LAPTOP, PHONE, PROJECTOR, girl_joins, join_link_in_database, press, screenshot,
                       staff_opens_lobby)

pytestmark = pytest.mark.browser

CHOSEN_POINT = 4  # "Good" on the mood scale of module 0


def qr_links_in(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def bar_count(page, label: str):
    """The count beside the result bar of one option; "Good" must not match "Not so good"."""
    exact_label = re.compile(r"(^|\s)" + re.escape(label) + r"$")
    bar = page.locator("#results .bar-row").filter(has=page.locator(".bar-label", has_text=exact_label))
    return bar.locator(".bar-count")


def test_laptop_phone_and_projector_run_module_zero_live(browser_server, contexts):
    server = browser_server
    dashboard = contexts(LAPTOP)
    run_id = staff_opens_lobby(dashboard, server, "Leefgroep Browser")

    # The QR code on the lobby page, read from pixels as a phone camera would, is the run's join link.
    join_link = join_link_in_database(server, run_id)
    assert qr_links_in(dashboard.screenshot(full_page=True)) == [join_link]

    phone = contexts(PHONE)
    phone.goto(join_link)
    screenshot(phone, "issue4-join.png")
    pseudonym = girl_joins(phone, join_link)
    expect(phone.locator("#lobby")).to_be_visible()
    expect(dashboard.locator("#people")).to_contain_text(pseudonym)  # live, without a reload

    press(dashboard, "start")
    current = phone.locator("#messages .message.current")
    option = current.locator("label.option").filter(has=phone.locator(f"input[type=radio][value='{CHOSEN_POINT}']"))
    option.tap()
    expect(option.locator("input")).to_be_checked()
    point_text = option.locator("span:not(.emoji)").inner_text().strip()
    current.get_by_role("button", name="Send").tap()
    expect(current.locator(".mine")).to_contain_text(point_text)
    screenshot(phone, "issue4-phone-inbox.png")

    answer_row = dashboard.locator("#answers .answer-row", has_text=pseudonym)
    expect(answer_row).to_contain_text(point_text)  # live, without a reload
    expect(bar_count(dashboard, point_text)).to_have_text("1")  # staff see the spread before the reveal
    screenshot(dashboard, "issue4-dashboard.png")

    screen_path = dashboard.get_by_role("link", name="projector view").get_attribute("href")
    projector = contexts(PROJECTOR)
    projector.goto(server.url + screen_path if screen_path.startswith("/") else screen_path)
    question = dashboard.locator("#item-title").inner_text().strip()
    expect(projector.locator("#question")).to_have_text(question)
    expect(projector.locator("#counts")).to_contain_text("1 answered")
    expect(projector.locator("#results .bar-row")).to_have_count(0)  # no results before the reveal

    press(dashboard, "reveal_results")
    # One girl is fewer than MIN_GROUP_FOR_RESULTS (4): the wall keeps her choice private, staff still see it.
    expect(projector.locator("#private")).to_contain_text("results stay private")
    expect(projector.locator("#results .bar-row")).to_have_count(0)
    expect(bar_count(dashboard, point_text)).to_have_text("1")
    expect(projector.locator("#screen")).not_to_contain_text(pseudonym)  # the projector never shows who answered
    screenshot(projector, "issue4-presenter.png")

    phone.reload()
    expect(phone.locator("#me")).to_have_text(pseudonym)
    expect(phone.locator("#messages .message.current .mine")).to_contain_text(point_text)
