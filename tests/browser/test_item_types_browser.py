"""Every item type on a 360 px phone: it renders without horizontal scroll, she can answer it with her thumb,
and the answer is saved. Screenshots: docs/screenshots/issue4-type-<type>.png."""
from __future__ import annotations

import re

import pytest

from app.content import load_programme
from app.programme import SESSIONS

from ..live.conftest import STAFF_EMAIL, STAFF_PASSWORD
from .conftest import LAPTOP, PHONE, girl_joins, join_link_in_database, press, screenshot, wait_dashboard_ready

pytestmark = pytest.mark.browser
PROGRAMME = load_programme(SESSIONS)


def first_of_each_type() -> dict[int, list[tuple[int, str]]]:
    """module number -> [(item index, type)] for the first item of every type in the programme."""
    seen, plan = set(), {}
    for number, module in sorted(PROGRAMME.modules.items()):
        for index, item in enumerate(module.items):
            if item.type not in seen:
                seen.add(item.type)
                plan.setdefault(number, []).append((index, item.type))
    return plan


def answer_by_hand(phone, kind: str) -> None:
    card = phone.locator(".message.current")
    if kind in ("poll", "multi", "truefalse", "scale"):
        card.locator(".option").first.tap()
    elif kind == "open":
        card.locator("textarea").fill("Praat erover met iemand die je vertrouwt.")
    elif kind == "words":
        card.locator("input[type=text]").first.fill("eerlijk")
    elif kind == "agree":
        for statement in card.locator(".statement").all():
            statement.locator(".option").first.tap()
    elif kind == "order":
        card.locator("[data-move^='down-']").first.tap()
    elif kind == "redflags":
        card.locator(".bubble").first.tap()
    card.locator("button[type=submit]").tap()
    card.locator(".saved").wait_for()


def open_lobby_of(page, server, module: int) -> int:
    page.goto(server.url + "/login")
    if "/login" in page.url:
        page.get_by_label("Email").fill(STAFF_EMAIL)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r".*/staff/squads$"))
    page.goto(server.url + "/staff/squads")
    page.get_by_label("Name of the squad").fill(f"Types module {module}")
    page.get_by_role("button", name="Create squad").click()
    page.locator(".module-row").nth(module).get_by_role("link", name="Prepare and start").click()
    page.get_by_role("button", name="Open the lobby").click()
    page.wait_for_url(re.compile(r".*/staff/runs/\d+$"))
    wait_dashboard_ready(page)
    return int(page.url.rsplit("/", 1)[-1])


@pytest.mark.parametrize("module", sorted(first_of_each_type()))
def test_each_item_type_works_on_a_small_phone(contexts, browser_server, module):
    staff = contexts(LAPTOP)
    run_id = open_lobby_of(staff, browser_server, module)
    phone = contexts(PHONE)
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    press(staff, "start")
    for index, kind in first_of_each_type()[module]:
        staff.locator("#items li").nth(index).locator("button").click()
        item = PROGRAMME.module(module).items[index]
        item_id = item.id
        phone.locator(f"#msg-{item_id}.current").wait_for()
        # a sensitive message carries a gentle notice with the helpline; the others do not
        assert phone.locator(f"#msg-{item_id} .notice").count() == (1 if item.sensitive else 0)
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{kind}: {overflow}px of horizontal scroll"
        phone.locator(f"#msg-{item_id}").scroll_into_view_if_needed()
        screenshot(phone, f"issue4-type-{kind}.png")
        answer_by_hand(phone, kind)
