"""Issue 11, smaller findings: look-alike pseudonyms, word-cloud words that overflow the projector."""
from __future__ import annotations

import pytest

from app.programme import programme
from app.services import runs

from .conftest import csrf_from, join, phone
from .test_run_flow import answer, command, staff_socket


def try_join(app, run, pseudonym):
    girl = app.test_client()
    page = girl.get(f"/j/{run.join_token}").get_data(as_text=True)
    return girl.post(f"/j/{run.join_token}", data={"pseudonym": pseudonym, "language": "en",
                                                   "csrf_token": csrf_from(page)})


@pytest.mark.parametrize("lookalike", ["\u0410nna", "ANNA", "anna", "Ann\u0430"])
def test_a_lookalike_of_a_pseudonym_in_the_group_is_refused(app, run, lookalike):
    assert try_join(app, run, "Anna").status_code == 302
    refused = try_join(app, run, lookalike).get_data(as_text=True)
    assert "one alphabet only" in refused or "already uses that nickname" in refused


def test_a_pseudonym_mixing_scripts_is_refused_and_one_script_is_welcome(app, run):
    assert "one alphabet only" in try_join(app, run, "\u0410nna").get_data(as_text=True)
    for name in ("Анна", "Zoë De Smet", "Noor 2", "ليلى", "Ayşe"):
        assert try_join(app, run, name).status_code == 302, name


def test_zero_and_o_look_alike_too(app, run):
    assert try_join(app, run, "Roos").status_code == 302
    assert "already uses that nickname" in try_join(app, run, "R00s").get_data(as_text=True)


@pytest.fixture()
def word_cloud(app, client, squad):
    for number, module in programme().modules.items():
        run = runs.create_run(squad, number)
        index = next((n for n, i in enumerate(runs.items_of(run)) if i.type == "words"), None)
        if index is not None:
            sock, _ = staff_socket(app, client, run)
            girl = phone(app, join(app.test_client(), run, "Rode Vos"))
            command(sock, run, "start")
            command(sock, run, "goto", index=index)
            return girl, runs.items_of(run)[index].id
        command(staff_socket(app, client, run)[0], run, "end")
    pytest.skip("no word-cloud message in the programme")


@pytest.mark.parametrize("word", ["a" * 21, "e\u0301\u0302\u0303", "Z\u0351\u0352\u0353\u0354oë", "\U00012000" * 5])
def test_words_that_overflow_the_projector_are_refused(word_cloud, word):
    girl, item_id = word_cloud
    ack = answer(girl, item_id, {"words": ["moedig", word]})
    assert ack["ok"] is False and ack["error"] in ("too_long", "bad_chars") and ack.get("index") == 1, ack


@pytest.mark.parametrize("word", ["a" * 20, "Việt", "صديق", "ሰላም", "Доброта", "d'accord"])
def test_words_of_the_girls_languages_are_welcome(word_cloud, word):
    girl, item_id = word_cloud
    ack = answer(girl, item_id, {"words": [word]})
    assert ack["ok"], ack
