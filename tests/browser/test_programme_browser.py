"""Issue 12 on a 360 px phone: every message of every module, live in a group run, reaches her phone, fits its
width (no sideways scroll), carries the gentle notice when it is sensitive, and two new messages per module are
answered by hand. Screenshots: docs/screenshots/issue12-phone-m<module>-<item>.png (with GPS_SCREENSHOTS=1)."""
from __future__ import annotations

import os

import pytest

from .conftest import LAPTOP, PHONE, SCREENSHOTS, girl_joins, join_link_in_database, press
from .test_item_types_browser import PROGRAMME, answer_by_hand, open_lobby_of

pytestmark = pytest.mark.browser

# The 20 messages the programme had before issue 12: everything else is new.
EARLIER = {"m0-mood", "m0-agreements", "m0-good-friend", "m1-consent", "m1-sexting-fable", "m1-forwarded",
           "m1-pressure", "m2-filters", "m2-likes", "m2-compliment", "m3-game-chat", "m3-sextortion", "m3-ai-profile",
           "m4-secrets", "m4-max", "m4-where-help", "m5-phases", "m5-lover-chat", "m5-signals", "m5-checkout"}


def group_items(module: int) -> list:
    return [item for item in PROGRAMME.module(module).items if "group" in item.modes]


@pytest.mark.parametrize("module", range(6))
def test_every_message_of_the_module_on_a_small_phone(contexts, browser_server, module):
    staff = contexts(LAPTOP)
    run_id = open_lobby_of(staff, browser_server, module)
    phone = contexts(PHONE)
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    press(staff, "start")
    items = group_items(module)
    shown = [item.id for item in items if item.id not in EARLIER][:2]
    for index, item in enumerate(items):
        staff.locator("#items li").nth(index).locator("button").click()
        card = phone.locator(f"#msg-{item.id}.current")
        card.wait_for()
        assert card.locator(".question").inner_text().strip()
        assert card.locator(".notice").count() == (1 if item.sensitive else 0), item.id
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (item.id, overflow)
        if item.id in shown:
            answer_by_hand(phone, item.type)
            card.evaluate("card => window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 120)")
            if os.environ.get("GPS_SCREENSHOTS") == "1":  # the viewport as she sees it, not the whole inbox
                phone.screenshot(path=str(SCREENSHOTS / f"issue12-phone-m{module}-{item.id}.png"))
