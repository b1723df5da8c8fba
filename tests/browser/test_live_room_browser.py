"""Issue 15 in a real Chromium: the dashboard at 1440x900, reveal toggles, per-girl status, signals, the timer;
the phone that follows (focus, live regions, the status bar, drafts, a refused word, numbered steps); the quick
exit's box against every other control and text at 320, 360 and 1440 px and at 200 % text; 44 px targets;
the focus ring's contrast; axe-core at 0 violations."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import (PHONE, SCREENSHOTS, girl_joins, join_link_in_database, press, staff_opens_lobby,
                       wait_dashboard_ready)

pytestmark = pytest.mark.browser

DASHBOARD = {"viewport": {"width": 1440, "height": 900}, "locale": "en-GB"}
PHONE_320 = {**PHONE, "viewport": {"width": 320, "height": 640}}
DESKTOP_GIRL = {"viewport": {"width": 1440, "height": 900}, "locale": "en-GB", "has_touch": True}

# Every control a girl can touch, and every element that carries text of its own.
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, label.option, label.check"
BOXES_JS = """(selector) => {
  const exit = document.getElementById('quick-exit').getBoundingClientRect();
  const strip = document.querySelector('.quick-exit-box');
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && !el.closest('.visually-hidden'); };
  const overlaps = (r) => r.left < exit.right && r.right > exit.left && r.top < exit.bottom && r.bottom > exit.top;
  const texts = [...document.querySelectorAll('body *')].filter((el) =>
    [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  const found = [...document.querySelectorAll(selector), ...texts]
    .filter((el) => !strip.contains(el) && visible(el) && overlaps(el.getBoundingClientRect()));
  return found.map((el) => el.outerHTML.slice(0, 120));
}"""


def keep_screenshot(page, name: str, *, full_page: bool = False) -> None:
    """Kept in docs/screenshots/ with GPS_SCREENSHOTS=1, like the other browser tests; the viewport by default,
    because what is in view without scrolling is the point here."""
    folder = SCREENSHOTS if os.environ.get("GPS_SCREENSHOTS") == "1" else Path(tempfile.gettempdir()) / "gps-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=full_page)


def record_announcements(page) -> None:
    """Every non-empty text the phone's live region takes, in order (to check each change is said once)."""
    page.evaluate("""() => { window.__said = [];
      new MutationObserver(() => { const t = document.getElementById('announce').textContent.trim();
        if (t) { window.__said.push(t); } }).observe(document.getElementById('announce'),
        {childList: true, characterData: true, subtree: true}); }""")


def said(page) -> list[str]:
    return page.evaluate("() => window.__said")


def in_viewport(page, selector: str) -> bool:
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }""",
                         selector)


def title_count(page) -> int:
    """The number the staff pages put before the title (static/js/attention.js), once it has synced."""
    page.wait_for_function("() => window.GPSAttention !== undefined")
    found = re.match(r"^\((\d+)\) ", page.title())
    return int(found.group(1)) if found else 0


def active_id(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def axe_violations(page) -> list:
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in Axe().run(page).response["violations"]]


@pytest.fixture()
def room(browser_server, contexts):
    """A dashboard at 1440x900 with a lobby open, and one girl on a 360 px phone who joined."""
    dashboard = contexts(DASHBOARD)
    run_id = staff_opens_lobby(dashboard, browser_server, "Leefgroep Issue 15")
    link = join_link_in_database(browser_server, run_id)
    phone = contexts(PHONE)
    name = girl_joins(phone, link)
    return dashboard, phone, link, name


def test_dashboard_at_1440_keeps_controls_current_message_and_results_in_view(room):
    dashboard, phone, _link, name = room
    expect(dashboard.locator("#join-details")).to_have_attribute("open", "")
    press(dashboard, "start")
    expect(phone.locator("#messages .message.current form")).to_be_visible()
    phone.locator("label.option").first.tap()
    phone.get_by_role("button", name="Send").tap()
    expect(phone.locator("#save-state")).to_have_text("Sent ✓")
    press(dashboard, "reveal_results")
    expect(dashboard.locator("#results .bar-row").first).to_be_visible()
    for part in (".controls [role=toolbar]", "#item-title", "#results .bar-row", "#counts"):
        assert in_viewport(dashboard, part), f"{part} is not in view at 1440x900"
    # Live: the join card has folded, the door state stays in view.
    expect(dashboard.locator("#join-details")).not_to_have_attribute("open", "")
    expect(dashboard.locator("#door-state")).to_have_text("The door is open: girls can still join.")
    # Per girl: online and answered, never her answer on the list itself.
    row = dashboard.locator("#people .person").filter(has_text=name)
    expect(row.locator(".person-status")).to_have_text("online · answered")
    keep_screenshot(dashboard, "issue15-dashboard-1440.png")
    dashboard.mouse.wheel(0, 3000)
    dashboard.wait_for_function("() => window.scrollY > 0")
    assert in_viewport(dashboard, ".controls [role=toolbar]"), "the controls scrolled away"
    assert dashboard.evaluate("() => getComputedStyle(document.querySelector('.controls')).position") == "sticky"


def test_reveal_buttons_show_their_state_and_undo_it(room):
    dashboard, phone, _link, _name = room
    press(dashboard, "start")
    results, info = (dashboard.locator(f".controls [data-action='{a}']") for a in ("reveal_results", "reveal_info"))
    expect(results).to_have_attribute("aria-pressed", "false")
    press(dashboard, "reveal_info")
    expect(info).to_have_attribute("aria-pressed", "true")
    expect(results).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(".message.current .info")).to_be_visible()
    press(dashboard, "reveal_info")  # pressed again: the info leaves the phones
    expect(info).to_have_attribute("aria-pressed", "false")
    expect(phone.locator(".message.current .info")).to_have_count(0)
    press(dashboard, "reveal_results")  # and the results: answering opens again
    expect(results).to_have_attribute("aria-pressed", "false")
    expect(phone.locator(".message.current form")).to_be_visible()


def test_phone_follows_with_focus_on_the_new_card_and_says_each_change_once(room):
    dashboard, phone, _link, _name = room
    record_announcements(phone)
    press(dashboard, "start")
    expect(phone.locator("#messages .message.current form")).to_be_visible()
    first = phone.locator(".message.current").get_attribute("id").removeprefix("msg-")
    phone.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'head-{first}'")
    press(dashboard, "next")
    phone.wait_for_function(f"() => document.activeElement && document.activeElement.id !== 'head-{first}'"
                            " && document.activeElement.id.startsWith('head-')")
    current = phone.locator(".message.current")
    assert active_id(phone) == "head-" + current.get_attribute("id").removeprefix("msg-")
    assert in_viewport(phone, ".message.current .message-head")
    # Earlier messages fold; the answer group is named by the question.
    expect(phone.locator(f"#msg-{first}.folded details")).not_to_have_attribute("open", "")
    group = current.locator("[role=radiogroup], [role=group]").first
    expect(group).to_have_accessible_name(current.locator(".question").inner_text())
    press(dashboard, "reveal_info")
    expect(phone.locator(".message.current .info")).to_be_visible()
    phone.wait_for_function("() => window.__said.length >= 3")
    question = current.locator(".question").inner_text()
    dashboard.once("dialog", lambda d: d.accept())
    press(dashboard, "end")
    expect(phone.locator("#ended")).to_be_visible()
    phone.wait_for_function("() => document.activeElement && document.activeElement.id === 'ended-title'")
    phone.wait_for_function("() => window.__said.length >= 4")
    assert said(phone)[1:] == ["New message: " + question, "The blogger's info is shown.", "This session has ended"], said(phone)
    assert said(phone)[0].startswith("New message: ")
    # The live region is the only place that says it: the thread itself is not a live region.
    assert phone.locator("#messages[aria-live], #messages [aria-live]").count() == 0
    assert "This session has ended" in phone.locator("#announce").aria_snapshot()


def test_status_bar_stays_in_view_and_says_reconnecting_within_a_second(room):
    dashboard, phone, _link, _name = room
    press(dashboard, "start")
    expect(phone.locator("#conn")).to_have_text("Connected")
    phone.mouse.wheel(0, 4000)
    phone.wait_for_function("() => window.scrollY > 100")
    assert in_viewport(phone, "#status-bar") and in_viewport(phone, "#conn")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_have_text("Reconnecting…", timeout=1000)
    phone.context.set_offline(False)
    expect(phone.locator("#conn")).to_have_text("Connected", timeout=10_000)


def test_signals_keep_kind_time_and_seen_count_in_the_title_and_reach_the_report(room):
    dashboard, phone, _link, name = room
    # The title counts what needs her across all her squads (issue 13): other tests' signals may be in it too.
    before = title_count(dashboard)
    phone.get_by_role("button", name="I want to talk", exact=True).tap()
    expect(phone.locator("#talk-status")).to_have_text("Your counsellor got your message.")
    row = dashboard.locator("#signal-list .signal").first
    expect(row).to_contain_text(f"{name} wants to talk")
    expect(row.locator("time")).to_have_text(re.compile(r"^\d{1,2}:\d{2}( [AP]M)?$"))  # in the page's language
    expect(dashboard).to_have_title(re.compile(rf"^\({before + 1}\) "))
    row.get_by_role("button", name=f"Seen: {name}").click()
    expect(dashboard.locator("#signal-list .signal.seen")).to_have_count(1)
    expect(dashboard).to_have_title(re.compile(rf"^\({before}\) ") if before else re.compile(r"^[^(]"))
    expect(phone.locator("#talk-status")).to_have_text("Your counsellor has seen your message.")
    # The sound switch is remembered.
    dashboard.locator("#signal-sound").uncheck()
    dashboard.reload()
    wait_dashboard_ready(dashboard)
    expect(dashboard.locator("#signal-sound")).not_to_be_checked()
    dashboard.get_by_role("link", name="Report").click()
    expect(dashboard.locator(".report-signals")).to_contain_text("wants to talk: 1")
    expect(dashboard.locator(".report-signals")).not_to_contain_text(name)


def test_timer_reaches_the_phone_and_a_refused_word_keeps_the_others(room):
    dashboard, phone, _link, _name = room
    press(dashboard, "start")
    dashboard.locator("#timer-length").select_option("60")
    dashboard.get_by_role("button", name="Start the timer").click()
    expect(dashboard.locator("#timer-left")).to_have_text(re.compile(r"^[01]:\d\d$"))
    expect(phone.locator("#timer")).to_be_visible()
    expect(phone.locator("#timer-left")).to_have_text(re.compile(r"^[01]:\d\d$"))
    dashboard.get_by_role("button", name="Stop the timer").click()
    expect(phone.locator("#timer")).to_be_hidden()
    dashboard.locator("#items").get_by_role("button").nth(3).click()  # m0-good-friend: a word cloud
    boxes = phone.locator(".message.current input[data-word]")
    expect(boxes).to_have_count(3)
    boxes.nth(0).fill("zon")
    boxes.nth(1).fill("m@an")
    phone.get_by_role("button", name="Send").tap()
    expect(boxes.nth(1)).to_have_attribute("aria-invalid", "true")
    expect(boxes.nth(0)).to_have_value("zon")
    expect(boxes.nth(0)).not_to_have_attribute("aria-invalid", "true")
    expect(phone.locator(".message.current .field-error[role=alert]").first).to_contain_text("Word 2")
    # Switching language keeps what she typed.
    boxes.nth(1).fill("maan")
    phone.get_by_role("link", name="Français").tap()
    expect(phone.locator("#inbox-title")).to_have_text("Mes messages")
    again = phone.locator(".message.current input[data-word]")
    expect(again.nth(0)).to_have_value("zon")
    expect(again.nth(1)).to_have_value("maan")


@pytest.mark.parametrize("size", ["320", "360", "1440", "320-200", "360-200"])
def test_quick_exit_never_covers_a_control_or_text_and_targets_are_44px(browser_server, contexts, size):
    dashboard = contexts(DASHBOARD)
    run_id = staff_opens_lobby(dashboard, browser_server, f"Leefgroep exit {size}")
    link = join_link_in_database(browser_server, run_id)
    width, _, zoom = size.partition("-")
    kind = {"320": PHONE_320, "360": PHONE, "1440": DESKTOP_GIRL}[width]
    phone = contexts({**kind, "reduced_motion": "reduce"})  # no smooth scrolling: each position is where it stays
    girl_joins(phone, link)
    press(dashboard, "start")
    expect(phone.locator(".message.current form")).to_be_visible()
    phone.wait_for_function("() => document.activeElement && document.activeElement.id.startsWith('head-')")
    if zoom:
        phone.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")  # the CSP allows no style tag
    phone.wait_for_function("() => { window.scrollTo(0, 0); return window.scrollY === 0; }")
    phone.wait_for_timeout(200)
    assert phone.evaluate(BOXES_JS, CONTROLS) == [], "the quick exit lies on these at the top of the page"
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page runs off sideways"
    for position in (0.33, 0.66, 1.0):
        phone.evaluate("(f) => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * f)", position)
        phone.wait_for_timeout(100)
        # Scrolled: the quick exit stays on its own strip at the top, so it lies on nothing but the strip.
        assert phone.evaluate("""() => { const e = document.getElementById('quick-exit').getBoundingClientRect();
          const s = document.querySelector('.quick-exit-box').getBoundingClientRect();
          return s.top <= 0.5 && e.top >= s.top && e.bottom <= s.bottom && e.left >= s.left && e.right <= s.right; }""")
    phone.evaluate("() => window.scrollTo(0, 0)")
    small = phone.evaluate("""(selector) => [...document.querySelectorAll(selector)].filter((el) => {
        const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
      .filter((el) => !['radio', 'checkbox'].includes(el.type) || !el.closest('label'))
      .map((el) => [el.outerHTML.slice(0, 90), Math.round(el.getBoundingClientRect().width), Math.round(el.getBoundingClientRect().height)])
      .filter(([, w, h]) => w < 44 || h < 44)""", CONTROLS)
    assert small == [], f"controls under 44x44 CSS px: {small}"
    if size in ("320", "360", "320-200"):
        name = "issue15-phone-" + width + ("-200.png" if zoom else ".png")
        keep_screenshot(phone, name)
        phone.mouse.wheel(0, 600)
        phone.wait_for_timeout(300)
        keep_screenshot(phone, name.replace(".png", "-scrolled.png"))


def test_focus_ring_has_3_to_1_on_the_purple_bar_and_on_white(room):
    _dashboard, phone, _link, _name = room
    contrast = """(sel) => { const el = document.querySelector(sel); el.focus();
      const lum = (c) => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((x) => { x /= 255;
        return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
      let bg = el.parentElement; while (bg && getComputedStyle(bg).backgroundColor.match(/[\\d.]+/g).length === 4
        && getComputedStyle(bg).backgroundColor.endsWith(', 0)')) { bg = bg.parentElement; }
      const ring = getComputedStyle(el).outlineColor, under = getComputedStyle(bg || document.body).backgroundColor;
      const [a, b] = [lum(ring), lum(under)].sort((x, y) => y - x);
      return {style: getComputedStyle(el).outlineStyle, ratio: (a + 0.05) / (b + 0.05)}; }"""
    phone.keyboard.press("Tab")  # keyboard use: :focus-visible applies from here on
    for selector in (".langs a", "#quick-exit", "[data-signal=talk]", ".help-call"):
        ring = phone.evaluate(contrast, selector)
        assert ring["style"] != "none" and ring["ratio"] >= 3, (selector, ring)


def test_axe_finds_nothing_on_the_live_dashboard_and_phone(room):
    dashboard, phone, _link, _name = room
    press(dashboard, "start")
    expect(phone.locator(".message.current form")).to_be_visible()
    phone.get_by_role("button", name="I want to talk", exact=True).tap()
    expect(dashboard.locator("#signal-list .signal")).to_have_count(1)
    dashboard.get_by_role("button", name="Start the timer").click()
    press(dashboard, "next")
    expect(phone.locator(".message.folded")).to_have_count(1)
    assert axe_violations(dashboard) == []
    assert axe_violations(phone) == []


def test_a_coach_message_and_her_reply_are_said_once(browser_server, contexts):
    from .test_track_browser import COACH, coach_creates_track

    coach = contexts(COACH)
    link = coach_creates_track(coach, browser_server)
    phone = contexts(PHONE)
    phone.goto(link)
    phone.locator("[data-pseudonym]").first.tap()
    phone.get_by_role("button", name="Start my track").tap()
    phone.wait_for_url(re.compile(r".*/t/[A-Za-z0-9_-]+$"))
    expect(phone.locator("#me")).not_to_be_empty()  # her track is drawn (the count shows only once she answered)
    record_announcements(phone)
    coach.evaluate("""() => { window.__said = []; const r = document.getElementById('announce');
      new MutationObserver(() => { const t = r.textContent.trim(); if (t) { window.__said.push(t); } })
        .observe(r, {childList: true, characterData: true, subtree: true}); }""")
    for text in ("Goed bezig!", "Laat je iets weten?"):
        coach.get_by_label("Message to her").fill(text)
        coach.locator("#support").get_by_role("button", name="Send").click()
        expect(phone.locator("#coach-messages")).to_contain_text(text)
    phone.wait_for_function("() => window.__said.length >= 2")
    assert said(phone) == ["From your coach: Goed bezig!", "From your coach: Laat je iets weten?"]
    phone.get_by_label("Reply to your coach").fill("Dank je")
    phone.get_by_role("button", name="Send to my coach").tap()
    coach.wait_for_function("() => window.__said.length >= 1")
    assert coach.evaluate("() => window.__said") == ["She: Dank je"]
    # The threads are no live regions: a redrawn thread is never read again whole.
    assert phone.locator("#coach-messages[aria-live]").count() == 0 and coach.locator("#thread[aria-live]").count() == 0


def test_dashboard_focus_follows_the_move_and_a_removal_is_in_view_on_her_phone(room):
    dashboard, phone, _link, name = room
    record_announcements(phone)
    dashboard.keyboard.press("Tab")  # the first Tab stop leads to the controls, before the staff menu
    expect(dashboard.locator(":focus")).to_have_text(re.compile(r"^Skip to the \w+ controls$"))
    dashboard.keyboard.press("Enter")
    dashboard.keyboard.press("Tab")
    expect(dashboard.locator(":focus")).to_have_attribute("data-action", "start")
    press(dashboard, "start")
    dashboard.wait_for_function("() => document.activeElement.id === 'item-title'")  # the Start button went away
    press(dashboard, "next")
    dashboard.wait_for_function("() => document.activeElement.id === 'item-title'")
    dashboard.locator("#items").get_by_role("button").first.click()  # the list is redrawn: focus is not lost
    dashboard.wait_for_function("() => document.activeElement.id === 'item-title'")
    row = dashboard.locator("#people .person").filter(has_text=name)
    expect(row.locator(".person-status")).to_have_text("online · still thinking")
    dashboard.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name=f"Remove: {name}").click()
    expect(phone.locator("#removed")).to_be_visible()
    phone.wait_for_function("() => document.activeElement && document.activeElement.id === 'removed-title'")
    assert in_viewport(phone, "#removed-title")
    phone.wait_for_function("() => window.__said.includes('You have left this session')")
    expect(row.locator(".person-status")).to_have_text("left")
    expect(dashboard.locator("#people-count")).to_have_text("0")


def test_a_girl_whose_phone_goes_is_offline_on_the_dashboard(room, browser_server, contexts):
    dashboard, phone, link, name = room
    other = contexts(PHONE)
    second = girl_joins(other, link)
    expect(dashboard.locator("#people .person").filter(has_text=second).locator(".person-status")).to_have_text("online")
    other.context.close()
    expect(dashboard.locator("#people .person").filter(has_text=second).locator(".person-status")).to_have_text("offline")
    expect(dashboard.locator("#people .person").filter(has_text=name).locator(".person-status")).to_have_text("online")



def test_order_steps_are_numbered(browser_server, contexts):
    from ..live.conftest import STAFF_EMAIL, STAFF_PASSWORD

    dashboard = contexts(DASHBOARD)
    dashboard.goto(browser_server.url + "/login")
    dashboard.get_by_label("Email").fill(STAFF_EMAIL)
    dashboard.get_by_label("Password").fill(STAFF_PASSWORD)
    dashboard.get_by_role("button", name="Log in").click()
    dashboard.get_by_label("Name of the squad").fill("Leefgroep volgorde")
    dashboard.get_by_role("button", name="Create squad").click()
    dashboard.locator(".module-row").nth(3).get_by_role("link", name="Prepare and start").click()  # module 3
    dashboard.get_by_role("button", name="Open the lobby").click()
    wait_dashboard_ready(dashboard)
    run_id = int(dashboard.url.rsplit("/", 1)[-1])
    phone = contexts(PHONE)
    girl_joins(phone, join_link_in_database(browser_server, run_id))
    press(dashboard, "start")
    order_at, steps = 0, None
    for index in range(dashboard.locator("#items li").count()):
        dashboard.locator("#items").get_by_role("button").nth(index).click()
        expect(dashboard.locator("#items li.current button")).to_have_attribute("data-key", re.compile(".+"))
        expect(dashboard.locator("#items li").nth(index)).to_have_class("current")
        question = dashboard.locator("#item-title").inner_text()
        expect(phone.locator(".message.current .question")).to_have_text(question)  # her phone has followed
        if phone.locator(".message.current .order").count():
            steps = phone.locator(".message.current .order-step")
            order_at = index
            break
    assert steps is not None, "module 3 has an order item"
    phone.wait_for_function("() => document.activeElement && document.activeElement.id.startsWith('head-')")  # settled
    count = steps.count()
    assert count >= 3 and order_at > 0
    assert [steps.nth(n).locator(".order-number").inner_text() for n in range(count)] == [str(n + 1) for n in range(count)]
    steps.nth(0).get_by_role("button", name=re.compile("^Move down")).tap()
    expect(steps.nth(0).locator(".order-number")).to_have_text("1")  # the numbers are places, they stay in order
