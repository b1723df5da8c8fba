"""Issue 11, the HTTP and data half of what the attack on the app found: each finding through the real path."""
from __future__ import annotations

import pytest

from .conftest import csrf_from, login, make_facilitator

# --- open redirect -------------------------------------------------------------------------------

FOREIGN_NEXTS = ["/%09/evil.example", "//evil.example", "/\\evil.example", "/%5Cevil.example",
                 "https://evil.example/", "/%0a/evil.example", "/%0d/evil.example", "/x%0d%0aSet-Cookie:a=b",
                 "/%2F/evil.example", " //evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", FOREIGN_NEXTS)
def test_language_switch_never_leads_off_the_server(client, target):
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", FOREIGN_NEXTS)
def test_login_never_leads_off_the_server(client, target):
    make_facilitator()
    page = client.get(f"/login?next={target}").get_data(as_text=True)
    response = client.post(f"/login?next={target}", data={
        "email": "anna@example.org", "password": "correct horse battery", "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/squads"


def test_a_local_path_is_still_followed(client):
    assert client.get("/lang/fr?next=/staff/modules%3Fx%3D1").headers["Location"] == "/staff/modules?x=1"
