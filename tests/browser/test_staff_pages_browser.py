"""The login page (phone and laptop) and the module preview in three languages, as a person sees them:
no horizontal scroll, labelled fields, the right language. Screenshots for issues 2 and 3."""
from __future__ import annotations

import re

import pytest

from ..live.conftest import STAFF_EMAIL, STAFF_PASSWORD
from .conftest import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser
LOGIN_BUTTON = {"nl": "Inloggen", "fr": "Se connecter", "en": "Log in"}


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("kind,name", [(PHONE, "phone"), (LAPTOP, "laptop")])
def test_login_page(contexts, browser_server, kind, name):
    page = contexts(kind)
    page.goto(browser_server.url + "/lang/nl?next=/login")
    page.get_by_role("button", name=LOGIN_BUTTON["nl"]).wait_for()
    assert page.get_by_label("E-mailadres").count() == 1 and page.get_by_label("Wachtwoord").count() == 1
    no_horizontal_scroll(page)
    screenshot(page, f"issue2-login-{name}.png")


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_module_preview_in_each_language(contexts, browser_server, locale):
    page = contexts(LAPTOP)
    page.goto(browser_server.url + f"/lang/{locale}?next=/login")
    page.locator("#email").fill(STAFF_EMAIL)
    page.locator("#password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name=LOGIN_BUTTON[locale]).click()
    page.wait_for_url(re.compile(r".*/staff/squads$"))
    page.goto(browser_server.url + "/staff/modules/1")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator(".preview-item").count() >= 3
    no_horizontal_scroll(page)
    screenshot(page, f"issue3-preview-{locale}.png")
