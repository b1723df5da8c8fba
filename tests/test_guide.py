"""Issue 12: the facilitator guide of each module and the printables, through the real pages.

The last test prints them with Debian's Chromium (page.pdf) from the same Flask app, so what is checked
here is what a counsellor's printer gets.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from app.content.guide import printable_texts, shared_guide
from app.models import SquadMode
from app.programme import programme
from app.services import runs, squads

from .conftest import PASSWORD, join, login, make_facilitator, phone
from .test_run_flow import answer, command, staff_socket

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CARDS = ("max-card", "sextortion", "phases", "secrets")


def text_of(response) -> str:
    return response.get_data(as_text=True)


# ------------------------------------------------------------------- the guide

@pytest.mark.parametrize("number", range(6))
def test_guide_shows_timing_answer_keys_and_protocol(client, staff, number):
    module = programme().module(number)
    html = text_of(client.get(f"/staff/modules/{number}/guide"))
    assert str(escape(module.text("title", "en"))) in html
    assert str(escape(module.guide_text("prepare", "en"))) in html
    assert str(escape(module.guide_text("opening", "en"))) in html
    assert str(escape(module.guide_text("closing", "en"))) in html
    # minute by minute, cumulative from the durations
    first, second = module.items[0], module.items[1]
    assert f"0:00–0:{first.duration:02d}" in html
    assert f"0:{first.duration:02d}–0:{first.duration + second.duration:02d}" in html
    end = sum(i.duration for i in module.items)
    assert f"–{end // 60}:{end % 60:02d}</td>" in html
    for item in module.items:
        assert str(escape(item.text("answer_key", "en"))) in html, item.id
        if item.text("transition", "en"):
            assert str(escape(item.text("transition", "en"))) in html, item.id
        if item.role == "dilemma":
            assert str(escape(item.text("split_group", "en"))) in html, item.id
    for remark in module.remarks("en"):
        assert str(escape(remark["says"])) in html and str(escape(remark["do"])) in html
    for section in shared_guide().section_views("en"):
        assert str(escape(section["title"])) in html
    assert "Everything stays here unless someone is in danger. Then I must get help, and I will tell you first." in html
    assert "Ask only what, when and where, never why" in html
    assert "Check-in" in html and "Check-out" in html and "print.css" in html


def test_guide_for_one_to_one_work(client, staff):
    module = programme().module(1)
    html = text_of(client.get("/staff/modules/1/guide?way=individual"))
    assert str(escape(module.guide_text("prepare", "en", individual=True))) in html
    assert str(escape(module.guide_text("opening", "en", individual=True))) in html
    group_only = [i for i in module.items if not i.individual_usable]
    both = [i for i in module.items if set(i.modes) == {"group", "individual"}]
    for item in both:
        assert str(escape(item.staff_notes("en", individual=True))) in html, item.id
    for item in group_only:
        assert str(escape(item.text("answer_key", "en"))) not in html, item.id
    assert "If the group is split" not in html


@pytest.mark.parametrize("lang, heading", [("nl", "Minuut per minuut"), ("fr", "Minute par minute"),
                                           ("en", "Minute by minute")])
def test_guide_in_any_of_the_three_languages(client, staff, lang, heading):
    module = programme().module(3)
    html = text_of(client.get(f"/staff/modules/3/guide?lang={lang}"))
    assert f'<html lang="{lang}">' in html and heading in html
    assert str(escape(module.guide_text("opening", lang))) in html
    assert str(escape(shared_guide().section("disclosure", lang)["steps"][2])) in html


def test_guide_in_the_staff_language_and_a_bad_lang_is_ignored(client, staff):
    client.get("/lang/fr")
    assert "Minute par minute" in text_of(client.get("/staff/modules/0/guide?lang=de"))


def test_guide_needs_a_login_and_an_existing_module(client, staff):
    assert client.get("/staff/modules/6/guide").status_code == 404
    assert client.get("/staff/modules/-1/guide").status_code == 404
    assert client.get("/staff/modules/0/worksheet?lang=xx").status_code == 200
    assert client.get("/staff/modules/7/worksheet").status_code == 404
    anonymous = client.application.test_client()
    assert anonymous.get("/staff/modules/0/guide").status_code == 302
    assert anonymous.get("/staff/printables/max-card").status_code == 302


def test_guide_is_linked_from_the_preview_and_the_prepare_page(client, squad):
    assert "/staff/modules/2/guide" in text_of(client.get("/staff/modules/2"))
    prepare = text_of(client.get(f"/staff/squads/{squad.id}/modules/2/start"))
    assert "/staff/modules/2/guide" in prepare and "/staff/printables/max-card" in prepare


# ------------------------------------------------------------------ printables

@pytest.mark.parametrize("name", CARDS)
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_card_printables_in_three_languages(client, staff, name, lang):
    response = client.get(f"/staff/printables/{name}?lang={lang}")
    assert response.status_code == 200
    html = text_of(response)
    texts = printable_texts(name.replace("-", "_"), lang)
    assert str(escape(texts["title"])) in html
    assert "116 000" in html
    assert 'class="topbar"' not in html  # no staff navigation on paper


def test_printable_contents(client, staff):
    card = text_of(client.get("/staff/printables/max-card?lang=en"))
    assert card.count('class="wallet-card max-card"') == 8 and "Everyone needs a MAX" in card
    assert text_of(client.get("/staff/printables/max-card?lang=en&size=card")).count("wallet-card max-card") == 1
    phases = text_of(client.get("/staff/printables/phases?lang=nl"))
    for step in ("1. Ronselen", "2. Inpalmen", "3. Isoleren", "4. Uitbuiten"):
        assert step in phases
    sextortion = text_of(client.get("/staff/printables/sextortion?lang=fr"))
    assert "Ne paie jamais" in sextortion and "NCMEC" in sextortion
    secrets = text_of(client.get("/staff/printables/secrets?lang=en"))
    assert secrets.count('class="wallet-card secret-card"') == len(printable_texts("secrets", "en")["cards"])
    assert "Key for staff: Good secret 1, 2, 3, 8 · Bad secret 4, 5, 6, 7" in secrets
    assert client.get("/staff/printables/guide").status_code == 404


def test_worksheet_has_the_one_to_one_questions_and_no_name_field(client, staff):
    module = programme().module(4)
    html = text_of(client.get("/staff/modules/4/worksheet?lang=en"))
    for item in module.items:
        question = str(escape(item.text("question", "en", individual=True)))
        assert (question in html) == item.individual_usable, item.id
    assert str(escape("You don't write your name anywhere.")) in html
    assert "<input" not in html and "name:" not in html.lower()


def _answers_agreements(app, client, run, choices_per_girl):
    sock, _ = staff_socket(app, client, run)
    girls = [phone(app, join(app.test_client(), run, pseudonym=f"Girl {n}")) for n in range(len(choices_per_girl))]
    command(sock, run, "start")
    index = programme().module(0).index_of("m0-agreements")
    command(sock, run, "goto", index=index)
    for n, (girl, choices) in enumerate(zip(girls, choices_per_girl)):
        payload = {"skip": True} if choices is None else {"choices": choices}
        assert answer(girl, "m0-agreements", payload, client_id=f"client-{n:04d}")["ok"]
    return girls


def test_agreements_printable_counts_the_groups_choices_and_names_nobody(app, client, run):
    _answers_agreements(app, client, run, [["stays-here", "skip-ok"], ["stays-here"], ["skip-ok", "no-laughing"],
                                           ["stays-here"], None])
    html = text_of(client.get(f"/staff/runs/{run.id}/printables/agreements?lang=en"))
    rows = re.findall(r'<span class="agreement">(.*?)</span> <span class="votes">(\d+)</span>', html)
    assert rows == [("What is said here stays here, unless someone is in danger", "3"),
                    ("Skipping is always OK", "2"), ("We don&#39;t laugh at each other", "1")]
    for n in range(5):
        assert f"Girl {n}" not in html
    assert "Then your counsellor must get help, and will tell you first." in html
    dutch = text_of(client.get(f"/staff/runs/{run.id}/printables/agreements?lang=nl"))
    assert "Onze afspraken" in dutch and "Overslaan mag altijd" in dutch


def test_agreements_before_any_vote(client, run):
    html = text_of(client.get(f"/staff/runs/{run.id}/printables/agreements?lang=fr"))
    assert "Il n'y a pas encore de votes" in html.replace("&#39;", "'")


def test_run_printables_are_only_for_the_owner_and_module_0(app, client, staff, run):
    other_run = runs.create_run(squads.create_squad(staff, "Andere groep", SquadMode.GROUP), 2)
    assert client.get(f"/staff/runs/{run.id}/printables/poster").status_code == 200
    assert client.get(f"/staff/runs/{other_run.id}/printables/agreements").status_code == 404  # module 2
    assert client.get(f"/staff/runs/{other_run.id}/printables/poster").status_code == 200
    assert client.get("/staff/runs/99999/printables/agreements").status_code == 404
    assert client.get("/staff/runs/99999/printables/poster").status_code == 404
    make_facilitator(email="bram@example.org", name="Bram")
    stranger = app.test_client()
    login(stranger, "bram@example.org", PASSWORD)
    assert stranger.get(f"/staff/runs/{run.id}/printables/agreements").status_code == 404
    assert stranger.get(f"/staff/runs/{run.id}/printables/poster").status_code == 404
    assert stranger.get("/staff/modules/0/guide").status_code == 200  # the guide is the programme's, not a run's


def test_join_poster_has_the_qr_code_and_code(client, run):
    html = text_of(client.get(f"/staff/runs/{run.id}/printables/poster?lang=nl"))
    assert f'src="/staff/runs/{run.id}/qr.svg"' in html
    assert f'<p class="poster-code">{run.join_code}</p>' in html
    assert "Scan de QR-code met je gsm" in html and "Je echte naam is niet nodig." in html


def test_printables_are_linked_from_the_dashboard_and_the_report(client, run):
    dashboard = text_of(client.get(f"/staff/runs/{run.id}"))
    assert f"/staff/runs/{run.id}/printables/poster" in dashboard
    assert f"/staff/runs/{run.id}/printables/agreements" in dashboard
    assert "/staff/modules/0/guide" in dashboard
    report = text_of(client.get(f"/staff/runs/{run.id}/report"))
    assert f"/staff/runs/{run.id}/printables/agreements" in report
    guide = text_of(client.get("/staff/modules/0/guide"))
    for name in CARDS:
        assert f"/staff/printables/{name}" in guide


def test_girls_inbox_names_the_blogger(client, run):
    token_page = client.application.test_client()
    join(token_page, run, pseudonym="Rode Kat", language="en")
    inbox = text_of(token_page.get(f"/p/{run.join_token}"))
    assert "Info from Noor" in inbox


# ----------------------------------------------------- printed by a real browser

def _serve_app(page, client, base):
    """Chromium asks for http://gps.test/…; the logged-in Flask test client answers (pages, CSS, QR code)."""
    def handle(route):
        path = route.request.url[len(base):] or "/"
        if path.startswith("/socket.io/"):  # the menu's live count: a long poll would hold this one-thread loop
            route.abort()
            return
        response = client.get(path)
        route.fulfill(status=response.status_code, body=response.get_data(),
                      headers={"content-type": response.headers.get("Content-Type", "text/html")})
    page.route(f"{base}/**", handle)


def _print(page, url, name, card=False):
    page.goto(url)
    page.emulate_media(media="print")
    pdf = Path(os.environ.get("TMPDIR", "/tmp")) / f"{name}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert pdf.stat().st_size > 2000
    if shutil.which("pdftoppm"):
        keep = os.environ.get("GPS_SCREENSHOTS") == "1"
        folder = SCREENSHOTS if keep else pdf.parent
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / name)], check=True, timeout=60)
    return pdf


def test_guide_and_printables_print_on_a4(app, client, run):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is needed to print")
    from playwright.sync_api import sync_playwright

    _answers_agreements(app, client, run, [["stays-here", "skip-ok"], ["stays-here", "let-finish"], ["ask-help"]])
    base = "http://gps.test"
    pages = {"issue12-guide-module0": "/staff/modules/0/guide?lang=en",
             "issue12-guide-module5": "/staff/modules/5/guide?lang=en",
             "issue12-guide-module3-individual-fr": "/staff/modules/3/guide?lang=fr&way=individual",
             "issue12-max-card": "/staff/printables/max-card?lang=nl",
             "issue12-max-card-card-size": "/staff/printables/max-card?lang=fr&size=card",
             "issue12-sextortion": "/staff/printables/sextortion?lang=en",
             "issue12-phases": "/staff/printables/phases?lang=fr",
             "issue12-secrets": "/staff/printables/secrets?lang=nl",
             "issue12-worksheet-module2": "/staff/modules/2/worksheet?lang=en",
             "issue12-agreements": f"/staff/runs/{run.id}/printables/agreements?lang=nl",
             "issue12-join-poster": f"/staff/runs/{run.id}/printables/poster?lang=en"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            _serve_app(page, client, base)
            for name, path in pages.items():
                _print(page, base + path, name)
            # On a laptop screen (1440 x 900), as the counsellor reads it before the session
            laptop = browser.new_page(viewport={"width": 1440, "height": 900})
            _serve_app(laptop, client, base)
            for number in (0, 5):
                laptop.goto(f"{base}/staff/modules/{number}/guide?lang=en")
                folder = SCREENSHOTS if os.environ.get("GPS_SCREENSHOTS") == "1" else Path("/tmp")
                laptop.screenshot(path=str(folder / f"issue12-guide-module{number}-laptop.png"))
            # On paper: no navigation and no buttons
            page.goto(base + "/staff/modules/0/guide")
            page.emulate_media(media="print")
            assert not page.locator(".topbar").is_visible()
            assert not page.locator("#print").is_visible()
            assert page.locator("h1").is_visible()
        finally:
            browser.close()


# ------------------------------------------- one-to-one runs read the individual texts

def test_offline_one_to_one_run_shows_the_individual_texts(app, client, staff):
    """In an offline one-to-one run the girl's phone gets individual.message and her counsellor the one-to-one
    notes; a group run of the same module gets the common texts."""
    from .conftest import received

    module = programme().module(0)
    item = module.items[0]  # the check-in: used in both ways of working, with a one-to-one message
    assert "message" in item.individual and "staff_notes" in item.individual
    solo = runs.create_run(squads.create_squad(staff, "Eén op één", SquadMode.OFFLINE_INDIVIDUAL), 0)
    group = runs.create_run(squads.create_squad(staff, "Leefgroep", SquadMode.GROUP), 0)
    for run, individual in ((solo, True), (group, False)):
        sock, _ = staff_socket(app, client, run)
        token = join(app.test_client(), run, pseudonym="Paarse Uil", language="en")
        ack = command(sock, run, "start")
        assert ack["ok"]
        girl = phone(app, token)  # her phone connects once the run is live: its snapshot has the check-in
        staff_view = ack["snapshot"]["item"]
        assert staff_view["staff_notes"] == item.staff_notes("en", individual=individual)
        assert staff_view["answer_key"] == item.text("answer_key", "en")
        snap = [s for s in received(girl, "snapshot") if s["inbox"]][-1]
        assert snap["inbox"][0]["message"] == item.text("message", "en", individual=individual)
        assert snap["blogger"] == {"name": "Noor", "handle": "@noor.gps"}
    assert item.text("message", "en", individual=True) != item.text("message", "en")
