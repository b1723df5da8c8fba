"""Accessibility (axe-core) of the five screens of a live group run: no serious or critical violation."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import (LAPTOP, PHONE, PROJECTOR, Contexts, girl_joins, join_link_in_database, press,
                       staff_opens_lobby)

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
SCREENS = ("join", "lobby", "inbox", "dashboard", "presenter")


def blocking_violations(page) -> list[dict]:
    """axe-core's serious and critical findings, reduced to what a fix needs: rule, element, summary."""
    found = Axe().run(page).response["violations"]
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [(node["target"], node.get("failureSummary", "")) for node in v["nodes"]]}
            for v in found if v["impact"] in BLOCKING]


@pytest.fixture(scope="module")
def scans(browser, browser_server):
    """Walk one run through its screens once and scan each in the state a girl or counsellor sees it."""
    server, contexts, results = browser_server, Contexts(browser), {}
    try:
        dashboard = contexts(LAPTOP)
        run_id = staff_opens_lobby(dashboard, server, "Leefgroep Axe")
        join_link = join_link_in_database(server, run_id)
        phone = contexts(PHONE)
        phone.goto(join_link)
        results["join"] = blocking_violations(phone)
        girl_joins(phone, join_link)
        expect(phone.locator("#lobby")).to_be_visible()
        results["lobby"] = blocking_violations(phone)
        press(dashboard, "start")
        expect(phone.locator("#messages .message.current form")).to_be_visible()
        results["inbox"] = blocking_violations(phone)
        projector = contexts(PROJECTOR)
        projector.goto(server.url + dashboard.get_by_role("link", name="projector view").get_attribute("href"))
        expect(projector.locator("#question")).not_to_be_empty()
        press(dashboard, "reveal_results")
        expect(projector.locator("#private")).to_be_visible()  # one girl: below MIN_GROUP_FOR_RESULTS (issue 15)
        expect(dashboard.locator("#results .bar-row").first).to_be_visible()
        results["dashboard"] = blocking_violations(dashboard)
        results["presenter"] = blocking_violations(projector)
        yield results
    finally:
        contexts.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_no_serious_or_critical_violations(scans, screen):
    assert scans[screen] == [], f"axe-core on the {screen} screen: {scans[screen]}"
