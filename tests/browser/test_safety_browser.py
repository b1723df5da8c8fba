"""Issue 6 in a real browser: quick exit (button and Shift×3, Back does not return) and no request
to any other host from the participant pages."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import LAPTOP, PHONE, PROJECTOR, girl_joins, join_link_in_database, press, screenshot, staff_opens_lobby

pytestmark = pytest.mark.browser
NEUTRAL = "https://www.google.com/"


def neutral_page(page) -> None:
    """The machine has no internet: the neutral site is answered locally, as the real one would be."""
    page.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, body="<title>Google</title>neutral",
                                                            content_type="text/html"))


def girl_in_inbox(contexts, browser_server, squad_name):
    staff = contexts(LAPTOP)
    run_id = staff_opens_lobby(staff, browser_server, squad_name)
    phone = contexts(PHONE)
    neutral_page(phone)
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    return staff, phone


def test_shift_three_times_leaves_and_back_does_not_return(contexts, browser_server):
    _staff, phone = girl_in_inbox(contexts, browser_server, "Quick exit keys")
    screenshot(phone, "issue6-quick-exit-phone.png")
    for _ in range(3):
        phone.keyboard.press("Shift")
    phone.wait_for_url(NEUTRAL)
    phone.go_back()
    assert browser_server.url not in phone.url


def test_quick_exit_button_leaves_and_rejoining_keeps_her_answers(contexts, browser_server):
    staff, phone = girl_in_inbox(contexts, browser_server, "Quick exit button")
    press(staff, "start")
    inbox = phone.url
    phone.locator(".message.current .option").nth(2).tap()
    phone.locator(".message.current button[type=submit]").tap()
    phone.locator(".message.current .saved").wait_for()
    phone.locator("#quick-exit").tap()
    phone.wait_for_url(NEUTRAL)
    phone.go_back()
    assert browser_server.url not in phone.url
    phone.goto(inbox)  # later, she opens the app again on the same phone
    phone.locator(".message.current .mine").wait_for()
    assert phone.locator(".message.current .saved").count() == 1


def test_participant_pages_request_nothing_from_other_hosts(contexts, browser_server):
    staff = contexts(LAPTOP)
    run_id = staff_opens_lobby(staff, browser_server, "Privacy network")
    phone = contexts(PHONE)
    hosts = set()
    phone.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    press(staff, "start")
    phone.locator(".message.current .option").first.wait_for()
    phone.goto(browser_server.url + "/privacy")
    phone.goto(browser_server.url + "/code")
    assert hosts == {urlsplit(browser_server.url).netloc}


def test_signal_reaches_the_dashboard_only_until_seen(contexts, browser_server):
    staff, phone = girl_in_inbox(contexts, browser_server, "Signal")
    projector = contexts(PROJECTOR)
    projector.goto(browser_server.url + staff.get_attribute("a[target=_blank]", "href"))
    projector.locator("#code").wait_for()
    phone.locator("[data-signal=talk]").tap()
    phone.locator("#talk-status").filter(has_text="counsellor").wait_for()
    staff.locator("#signals .signal").wait_for()
    screenshot(staff, "issue6-signal-dashboard.png")
    screenshot(phone, "issue6-help-phone.png")
    assert "wants to talk" not in projector.content() and "signal" not in projector.content()
    staff.locator("#signals .signal button").click()
    staff.locator("#signals .signal.seen").wait_for()  # issue 15: a seen signal stays on the list, greyed


def test_report_page(contexts, browser_server):
    staff, phone = girl_in_inbox(contexts, browser_server, "Report")
    press(staff, "start")
    phone.locator(".message.current .option").nth(3).tap()
    phone.locator(".message.current button[type=submit]").tap()
    phone.locator(".message.current .saved").wait_for()
    press(staff, "reveal_results")
    staff.get_by_role("link", name="Report", exact=True).click()
    staff.locator(".report-item").first.wait_for()
    assert staff.locator(".report-item .bar-row").count() == 5
    screenshot(staff, "issue6-report.png")


def test_typed_code_wrong_then_right(contexts, browser_server):
    """A wrong code is answered in place, in her language; the right one opens the join page."""
    import sqlite3

    staff = contexts(LAPTOP)
    run_id = staff_opens_lobby(staff, browser_server, "Typed code")
    with sqlite3.connect(browser_server.database, timeout=15) as db:
        code, token = db.execute("SELECT join_code, join_token FROM run WHERE id = ?", (run_id,)).fetchone()
    phone = contexts(PHONE)
    phone.goto(browser_server.url + "/code")
    phone.locator("#code").fill("AAAAAA")
    phone.locator("button[type=submit]").tap()
    phone.locator("[role=alert]").filter(has_text="This code does not work").wait_for()
    assert phone.url.endswith("/code")
    phone.locator("#code").fill(code.lower())
    phone.locator("button[type=submit]").tap()
    phone.wait_for_url(f"**/j/{token}")
    phone.locator("#join-form").wait_for()
