"""Issue 14 in the real pages: her phone and the counsellor's dashboard describe her answer in the words of the
server's describe (the report and the CSV), with the item types loaded as one bundle.
Screenshots: docs/screenshots/issue14-answer-phone-360.png, issue14-answer-dashboard.png."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app import create_app, item_types
from config import TestConfig

from .conftest import PHONE, girl_joins, join_link_in_database, press, screenshot
from .test_item_types_browser import PROGRAMME, open_lobby_of

pytestmark = pytest.mark.browser
MODULE = 3
LAPTOP_1440 = {"viewport": {"width": 1440, "height": 900}, "locale": "en-GB"}


def _said(item, value, locale: str) -> str:
    app = create_app(TestConfig)
    with app.test_request_context(), force_locale(locale):
        return item_types.describe(item, value, locale)


def test_phone_and_dashboard_say_her_answer_as_the_report_does(contexts, browser_server):
    staff = contexts(LAPTOP_1440)
    run_id = open_lobby_of(staff, browser_server, MODULE)
    phone = contexts(PHONE)
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    press(staff, "start")
    items = PROGRAMME.module(MODULE).items
    scale, redflags = items[0], items[2]
    assert (scale.type, redflags.type) == ("scale", "redflags")
    lang, staff_lang = (page.evaluate("document.documentElement.lang") for page in (phone, staff))
    for index, item, value in ((0, scale, {"value": 1}), (2, redflags, {"flags": [redflags.data["chat"][0]["id"]]})):
        staff.locator("#items li").nth(index).locator("button").click()
        card = phone.locator(f"#msg-{item.id}.current")
        card.wait_for()
        (card.locator(".option") if item.type == "scale" else card.locator(".bubble")).first.tap()
        card.locator("button[type=submit]").tap()
        card.locator(".saved").wait_for()
        expected = _said(item, value, lang)
        assert card.locator(".mine").inner_text().strip() == expected
        row = staff.locator("#answers .answer-text").first
        row.wait_for()
        assert row.inner_text().strip() == _said(item, value, staff_lang)
    assert phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(phone, "issue14-answer-phone-360.png")
    screenshot(staff, "issue14-answer-dashboard.png")
