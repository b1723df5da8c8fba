"""The pages' forms as a browser posts them, over real HTTP (requests): CSRF token, staff login, a girl joining.
tests/conftest.py does the same through Flask's test client, with the same `csrf_from`."""
from __future__ import annotations

import re

import requests


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_form(http: requests.Session, url: str, data: dict, verify: bool = True) -> requests.Response:
    """GET the page for its CSRF token, then POST the form; redirects are not followed.

    `verify` goes with each request: REQUESTS_CA_BUNDLE would override a session's own setting.
    """
    page = http.get(url, timeout=10, verify=verify)
    assert page.status_code == 200, (url, page.status_code)
    return http.post(url, data={**data, "csrf_token": csrf_from(page.text)}, allow_redirects=False, timeout=10,
                     verify=verify)


def log_in(base_url: str, email: str, password: str, verify: bool = True) -> requests.Session:
    """A staff browser after the login form; its `session` cookie also authenticates the dashboard's socket."""
    http = requests.Session()
    http.headers["Accept-Language"] = "en"
    response = post_form(http, base_url + "/login", {"email": email, "password": password}, verify)
    assert response.status_code == 302, response.text[:300]
    return http


def join_over_http(join_link: str, pseudonym: str, language: str = "nl", verify: bool = True) -> str:
    """A girl joins through the real join page; returns the participant token her phone keeps."""
    http = requests.Session()
    response = post_form(http, join_link, {"pseudonym": pseudonym, "language": language}, verify)
    assert response.status_code == 302, response.text[:300]
    inbox = http.get(join_link.replace("/j/", "/p/"), timeout=10, verify=verify).text
    return re.search(r'data-token="([^"]+)"', inbox).group(1)
