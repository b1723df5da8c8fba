"""Issue 14: one way to say no. Every refusal code the app can send has one text in app/refusals.py, and every
text is translated in Dutch, French and English."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import refusals

APP = Path(__file__).resolve().parent.parent / "app"
RAISED = re.compile(r"""(?:Refused|error|ConnectionRefusedError|AnswerError|JoinError)\(\s*["']([a-z_]+)["']""")
# Codes made from parts (tracks._answerable: f"track_{reason}") or sent by the gate outside any handler.
BUILT = {"track_closed", "track_paused", "slow_down", "wrong_shape", "unknown_event"}


def codes_in_the_source() -> set[str]:
    found = set(BUILT)
    for path in APP.rglob("*.py"):
        found |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_code_the_app_sends_has_a_text():
    codes = codes_in_the_source()
    assert len(codes) > 50  # the scan finds them: a broken pattern would pass everything
    assert sorted(codes - set(refusals.MESSAGES)) == []


def test_the_staff_words_are_for_codes_that_exist():
    assert set(refusals.FOR_STAFF) <= set(refusals.MESSAGES)


@pytest.mark.parametrize("language", ("nl", "fr", "en"))
def test_every_text_is_translated(language):
    path = APP / "translations" / language / "LC_MESSAGES" / "messages.po"
    catalog = read_po(path.open("rb"))
    texts = {text._args[0] for text in (*refusals.MESSAGES.values(), *refusals.FOR_STAFF.values())}
    missing = sorted(t for t in texts if not (catalog.get(t) and catalog.get(t).string))
    assert missing == []


def test_a_refusal_reaches_her_in_her_language(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert refusals.message("door_locked") == "Ton éducatrice a fermé la porte pour le moment. Demande-lui de l'ouvrir."
        assert refusals.message("run_ended", "facilitator") != refusals.message("run_ended")
        assert refusals.texts()["default"] == refusals.message("no_such_code_at_all")


TEMPLATES = APP.parent / "templates"


def test_no_page_writes_its_own_error_texts():
    """Every page's `errors` come from refusals.texts(): a literal map in a template would be a second copy."""
    pages = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")
             if re.search(r'"errors"\s*:\s*\{', p.read_text(encoding="utf-8"))]
    using = [p for p in TEMPLATES.rglob("*.html") if "refusal_texts(" in p.read_text(encoding="utf-8")]
    assert pages == [] and len(using) >= 5


def test_a_girls_page_carries_her_refusals_but_not_the_staff_ones(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        phone, staff = refusals.texts("participant"), refusals.texts("facilitator")
        assert phone["door_locked"] == refusals.message("door_locked")
        assert "bad_timer" not in phone and staff["bad_timer"] == refusals.message("bad_timer", "facilitator")
        assert staff["run_ended"] == refusals.message("run_ended", "facilitator") != phone["run_ended"]
        assert "unknown_event" not in phone  # its text is the default, which the script falls back to
        assert phone["default"] == staff["default"] == refusals.message("unknown_event")
