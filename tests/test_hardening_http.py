"""Issue 11, the HTTP and data half of what the attack on the app found: each finding through the real path."""
from __future__ import annotations

import pytest

from .conftest import csrf_from, make_facilitator

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


# --- brute force and a home behind one address ---------------------------------------------------

def from_address(app, address):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def type_code(browser, code):
    page = browser.get("/code").get_data(as_text=True)
    return browser.post("/code", data={"code": code, "csrf_token": csrf_from(page)}).status_code


def test_ipv6_addresses_of_one_slash_64_share_one_guessing_budget(app, run):
    statuses = [type_code(from_address(app, f"2001:db8:5:7:{n:x}::1"), "AAAAAA") for n in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert type_code(from_address(app, "2001:db8:5:8::1"), "AAAAAA") == 200  # the next /64 has its own


def test_forty_girls_behind_one_address_all_get_in_with_the_right_code(app, run):
    statuses = [type_code(from_address(app, "198.51.100.7"), run.join_code) for _ in range(40)]
    assert statuses == [302] * 40


def test_forty_girls_behind_one_address_all_join(app, run):
    statuses = []
    for number in range(40):
        girl = from_address(app, "198.51.100.7")
        page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
        statuses.append(girl.post(f"/j/{run.join_token}", data={
            "pseudonym": f"Meisje {number}", "language": "nl", "csrf_token": csrf_from(page)}).status_code)
    assert statuses == [302] * 40


def test_wrong_guesses_are_limited_and_then_a_right_code_waits_too(app, run):
    girl = from_address(app, "198.51.100.8")
    assert [type_code(girl, "AAAAAA") for _ in range(20)] == [200] * 20
    assert type_code(girl, run.join_code) == 429  # else the answer would tell a right code from a wrong one


def test_wrong_guesses_from_many_addresses_stop_at_the_servers_budget(app, run):
    statuses = [type_code(from_address(app, f"203.0.113.{n % 250}"), f"AAAA{n:02d}"[:6]) for n in range(101)]
    assert statuses[:100] == [200] * 100 and statuses[100] == 429


def try_login(app, address, password, email="anna@example.org"):
    browser = from_address(app, address)
    page = browser.get("/login").get_data(as_text=True)
    return browser.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page)})


def test_guesses_on_one_account_from_many_addresses_stop_after_ten(app):
    make_facilitator()
    make_facilitator(email="bea@example.org", name="Bea")
    wrong = [try_login(app, f"192.0.2.{n}", "not the password").status_code for n in range(10)]
    assert wrong == [200] * 10
    resting = try_login(app, "192.0.2.50", "correct horse battery")
    assert resting.status_code == 200  # the right password now gets the same answer as a wrong one
    assert "do not match an active account" in resting.get_data(as_text=True)
    assert try_login(app, "192.0.2.51", "correct horse battery", email="BEA@example.org ").status_code == 302


def test_a_successful_login_spends_no_budget(app):
    make_facilitator()
    assert [try_login(app, "192.0.2.9", "correct horse battery").status_code for _ in range(12)] == [302] * 12


# --- CSV injection with ";" ----------------------------------------------------------------------

INJECTIONS = ["Ok;=2+5", "goed, +1", "ja,@SUM(A1)", "een\n=HYPERLINK(\"x\")", "niets; -3+3", "=1+1"]


def csv_download(app, client, squad, lang):
    from app.programme import programme
    from app.services import runs

    from .conftest import join, phone
    from .test_run_flow import answer, command, staff_socket

    run = runs.create_run(squad, 1)
    sock, _ = staff_socket(app, client, run)
    girls = [phone(app, join(app.test_client(), run, f"Meisje {n}")) for n in range(len(INJECTIONS))]
    command(sock, run, "start")
    index = next(n for n, i in enumerate(programme().module(1).items) if i.type == "open")
    command(sock, run, "goto", index=index)
    for girl, text in zip(girls, INJECTIONS):
        assert answer(girl, programme().module(1).items[index].id, {"text": text})["ok"]
    client.get(f"/lang/{lang}")
    return client.get(f"/staff/runs/{run.id}/report.csv?names=1").get_data(as_text=True).lstrip("\ufeff")


def cells_as_excel_splits_them(body, separator):
    """Every piece Excel could make a cell of: split on the separator, then again on any separator."""
    import csv
    import io
    import re

    for row in csv.reader(io.StringIO(body), delimiter=separator):
        for cell in row:
            yield from re.split(r"[;,\t\r\n] *", cell)


@pytest.mark.parametrize("lang,separator", [("nl", ";"), ("fr", ";"), ("en", ",")])
def test_no_csv_cell_becomes_a_formula_in_any_excel(app, client, squad, lang, separator):
    import csv
    import io

    body = csv_download(app, client, squad, lang)
    pieces = list(cells_as_excel_splits_them(body, separator))
    assert {"'=2+5", "'+1", "'@SUM(A1)", "'=HYPERLINK(\"x\")", "'-3+3", "'=1+1"} <= set(pieces)
    assert not [piece for piece in pieces if piece[:1] in ("=", "+", "-", "@")]
    rows = list(csv.reader(io.StringIO(body), delimiter=separator))
    assert {len(row) for row in rows} == {6}  # a separator inside an answer never makes a new column
    assert body.startswith('"') and f'"{separator}"' in body  # every field quoted


def test_forty_girls_of_one_home_open_their_own_track_invitations_from_one_address(app, client, staff):
    from app.models import SquadMode
    from app.services import squads

    from .test_tracks import accept, create_track

    squad = squads.create_squad(staff, "Online", SquadMode.ONLINE_INDIVIDUAL)
    paths = [create_track(client, squad)[1] for _ in range(40)]
    statuses = [accept(from_address(app, "198.51.100.9"), path, f"Meisje {n}").status_code
                for n, path in enumerate(paths)]
    assert statuses == [302] * 40
