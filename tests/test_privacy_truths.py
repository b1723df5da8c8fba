"""Issue 11: the girls' privacy page tells all three ways of working, what is kept, how long and who sees it."""
from __future__ import annotations

import re

import pytest

WAYS = {"en": ("In a group.", "Just you and your counsellor.", "Online with your coach."),
        "nl": ("In een groep.", "Alleen jij en je begeleider.", "Online met je coach."),
        "fr": ("En groupe.", "Juste toi et ton éducatrice.", "En ligne avec ton coach.")}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_girls_privacy_page_tells_every_way_of_working(app, lang):
    girl = app.test_client()
    girl.get(f"/lang/{lang}")
    page = girl.get("/privacy").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#39;", "'").replace("&#34;", '"')
    for way in WAYS[lang]:
        assert way in text, way
    days = str(app.config["RETENTION_DAYS"])
    assert text.count(f"{days} ") >= 3  # after a session; after closing a track; after days without activity
    assert 'id="ways"' in page and 'id="who-sees"' in page and 'id="what-we-keep"' in page


def test_the_english_page_says_what_is_kept_for_how_long_and_who_sees_it(app):
    page = re.sub(r"\s+", " ", app.test_client().get("/privacy").get_data(as_text=True))
    for sentence in ("your coach sees your answers and your messages", "Not your real name",
                     "your track is deleted with your answers and messages",
                     "days after the session, your nickname and answers are deleted",
                     "a colleague who looks after GPS Live where you live can take over",
                     "not Child Focus, not other groups"):
        assert sentence in page, sentence


def test_docs_privacy_describes_the_three_ways_and_retention_by_activity():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "privacy.md").read_text(encoding="utf-8")
    for needle in ("**group**", "**one-to-one**", "**online track**", "`support_message`", "`track_answer`",
                   "last activity", "RETENTION_WARNING_DAYS", "no-store", "0600", "wal_checkpoint"):
        assert needle in doc, needle
