"""A page script's words are rendered once per language and process (app/i18n.py once_per_language): each
language still gets its own words, and the page carries the same block as a fresh render."""
from __future__ import annotations

import json
import re

from flask import render_template


def words_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="strings">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def test_each_language_gets_its_own_words_after_the_first_render(app, client, run):
    pages = {}
    for code in ("fr", "nl", "fr", "en"):
        client.get(f"/lang/{code}")
        pages.setdefault(code, []).append(words_of(client.get(f"/staff/runs/{run.id}").get_data(as_text=True)))
    assert pages["fr"][0] == pages["fr"][1]
    assert len({json.dumps(p[0], sort_keys=True) for p in pages.values()}) == 3
    assert pages["fr"][0]["errors"]["bad_timer"].startswith("Choisissez")
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        fresh = render_template("facilitator/_strings.html")
    assert words_of(fresh) == pages["nl"][0]


def test_her_join_page_carries_her_words_in_her_language(app, client, run):
    def join_page(language: str) -> dict:
        page = app.test_client().get(f"/j/{run.join_token}", headers={"Accept-Language": language})
        return words_of(page.get_data(as_text=True))

    first, again, dutch = join_page("fr"), join_page("fr"), join_page("nl")
    assert first == again and first["send"] == "Envoyer" and dutch["send"] == "Versturen"
    assert first["errors"]["door_locked"].startswith("Ton éducatrice")
