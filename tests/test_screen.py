"""Issue 15, the projector side, through the Flask test client and the Flask-SocketIO test client:
the small-group rule, moderation of open and word answers, the info in parts, the light theme, and refusals."""
from __future__ import annotations

import pytest

from app.extensions import db, socketio
from app.models import Answer
from app.services import screen_state
from app.services import runs

from .conftest import join, make_facilitator, login, phone, received




def index_of(run, kind: str) -> int:
    """The run's first message of this type (the content is rewritten now and then; the types stay)."""
    return next(n for n, i in enumerate(runs.items_of(run)) if i.type == kind)


def staff_socket(app, client, run):
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.emit("facilitator:join", {"run": run.id}, callback=True)["ok"]
    return sock


def command(sock, run, action, **extra):
    return sock.emit("facilitator:command", {"run": run.id, "action": action, **extra}, callback=True)


def screen_action(sock, run, action, **extra):
    return sock.emit("facilitator:screen", {"run": run.id, "action": action, **extra}, callback=True)


def screen_of(app, run):
    screen = socketio.test_client(app, auth={"screen": run.screen_token})
    first = received(screen, "presenter:snapshot")
    assert len(first) == 1
    screen.first_snapshot = first[0]  # what a projector gets when it (re)connects
    return screen


def last_screen(screen) -> dict:
    pushed = received(screen, "presenter:snapshot")
    assert pushed, "the projector was not sent its new state"
    return pushed[-1]


def girls(app, run, n):
    return [phone(app, join(app.test_client(), run, f"Meisje {i}")) for i in range(n)]


def answer(girl, item_id, payload, client_id):
    ack = girl.emit("participant:answer", {"item": item_id, "payload": payload, "client_id": client_id}, callback=True)
    assert ack["ok"], ack
    return ack


def item_id(run, index):
    return runs.items_of(run)[index].id


@pytest.fixture()
def live(app, client, run):
    """A started module-0 run with its staff socket."""
    sock = staff_socket(app, client, run)
    assert command(sock, run, "start")["ok"]
    return sock


# --- small-group protection ------------------------------------------------------------------------

def test_results_stay_private_on_the_projector_below_the_group_minimum(app, client, run, live):
    assert app.config["MIN_GROUP_FOR_RESULTS"] == 4
    phones = girls(app, run, 4)
    for n, girl in enumerate(phones[:3]):
        answer(girl, item_id(run, index_of(run, "scale")), {"value": 2 + n}, f"mood-{n:04d}")
    answer(phones[3], item_id(run, index_of(run, "scale")), {"skip": True}, "mood-skip1")  # a skip does not make the group bigger
    screen = screen_of(app, run)
    assert command(live, run, "reveal_results")["ok"]
    shown = last_screen(screen)
    assert shown["phase"] == "results" and shown["private"] is True and shown["aggregate"] is None
    assert shown["min_group"] == 4 and shown["counts"]["answered"] == 3
    staff = live.emit("sync", {"run": run.id}, callback=True)["snapshot"]
    assert staff["aggregate"]["answered"] == 3 and staff["screen"]["private"] is True  # staff still see it

    assert command(live, run, "goto", index=index_of(run, "multi"))["ok"]
    for n, girl in enumerate(phones):
        answer(girl, item_id(run, index_of(run, "multi")), {"choices": [runs.items_of(run)[index_of(run, "multi")].data["options"][0]["id"]]},
               f"agree-{n:04d}")
    assert command(live, run, "reveal_results")["ok"]
    shown = last_screen(screen)
    assert shown["private"] is False and shown["aggregate"]["answered"] == 4


def test_the_group_minimum_is_a_setting(app, client, run, live):
    app.config["MIN_GROUP_FOR_RESULTS"] = 1
    answer(girls(app, run, 1)[0], item_id(run, index_of(run, "scale")), {"value": 3}, "mood-0001")
    screen = screen_of(app, run)
    command(live, run, "reveal_results")
    assert last_screen(screen)["aggregate"]["points"]


# --- moderation of open and word answers ---------------------------------------------------------------

@pytest.fixture()
def words_answered(app, run, live):
    """Four girls gave words on the word-cloud message, still answering."""
    assert command(live, run, "goto", index=index_of(run, "words"))["ok"]
    phones = girls(app, run, 4)
    for n, (girl, word) in enumerate(zip(phones, ["eerlijk", "grappig", "stomkop", "lief"])):
        answer(girl, item_id(run, index_of(run, "words")), {"words": [word]}, f"word-{n:04d}")
    return phones


def answer_of(word):
    return next(a for a in Answer.query.all() if a.value.get("words") == [word])


def cloud(snapshot):
    return sorted(w["word"] for w in snapshot["aggregate"]["words"])


def test_words_reach_the_projector_only_once_approved(app, run, live, words_answered):
    screen = screen_of(app, run)
    assert command(live, run, "reveal_results")["ok"]
    shown = last_screen(screen)
    assert shown["private"] is False and cloud(shown) == []
    staff = live.emit("sync", {"run": run.id}, callback=True)["snapshot"]
    assert staff["moderation"]["on"] and staff["moderation"]["applies"] and len(staff["moderation"]["pending"]) == 4

    assert live.emit("facilitator:approve", {"run": run.id, "answer": answer_of("lief").id}, callback=True) == {"ok": True}
    assert cloud(last_screen(screen)) == ["lief"]
    ack = live.emit("facilitator:approve_all", {"run": run.id, "item": item_id(run, index_of(run, "words"))}, callback=True)
    assert ack == {"ok": True, "approved": 3}
    assert cloud(last_screen(screen)) == ["eerlijk", "grappig", "lief", "stomkop"]

    hidden = live.emit("facilitator:hide", {"run": run.id, "answer": answer_of("stomkop").id, "hidden": True}, callback=True)
    assert hidden["ok"]
    assert cloud(last_screen(screen)) == ["eerlijk", "grappig", "lief"]  # pushed at once, no pull needed
    again = screen_of(app, run)  # a projector that reconnects
    assert cloud(again.first_snapshot) == ["eerlijk", "grappig", "lief"] and "stomkop" not in str(again.first_snapshot)
    assert "stomkop" not in str(again.emit("sync", {}, callback=True))


def test_moderation_can_be_switched_off_for_a_run_and_hidden_stays_hidden(app, run, live, words_answered):
    live.emit("facilitator:hide", {"run": run.id, "answer": answer_of("stomkop").id, "hidden": True}, callback=True)
    screen = screen_of(app, run)
    command(live, run, "reveal_results")
    assert screen_action(live, run, "moderated", on=False) == {"ok": True}
    assert cloud(last_screen(screen)) == ["eerlijk", "grappig", "lief"]
    assert screen_action(live, run, "moderated", on=True)["ok"]
    assert cloud(last_screen(screen)) == []
    assert screen_action(live, run, "moderated", on="no")["ok"] is False


def test_a_changed_answer_needs_a_new_approval_and_a_reconnect_never_shows_it(app, run, live, words_answered):
    first = answer_of("lief")
    live.emit("facilitator:approve", {"run": run.id, "answer": first.id}, callback=True)
    answer(words_answered[3], item_id(run, index_of(run, "words")), {"words": ["sukkel"]}, "word-change")  # she rewrites it
    command(live, run, "reveal_results")
    screen = screen_of(app, run)
    snapshot = screen.first_snapshot
    assert cloud(snapshot) == [] and "sukkel" not in str(snapshot) and "lief" not in str(snapshot)
    assert not db.session.get(Answer, first.id).approved


def test_approvals_that_cannot_be_are_refused(app, client, squad, run, live, words_answered):
    other_run = runs.create_run(squad, 1)
    other_sock = staff_socket(app, client, other_run)
    command(other_sock, other_run, "start")
    foreign = answer_of("lief").id
    assert other_sock.emit("facilitator:approve", {"run": other_run.id, "answer": foreign}, callback=True) == {
        "ok": False, "error": "unknown_answer"}
    assert live.emit("facilitator:approve", {"run": run.id, "answer": 10**6}, callback=True)["error"] == "unknown_answer"
    assert live.emit("facilitator:approve", {"run": run.id, "answer": "1"}, callback=True)["ok"] is False
    assert live.emit("facilitator:approve_all", {"run": run.id, "item": item_id(run, index_of(run, "scale"))}, callback=True) == {
        "ok": False, "error": "item_not_live"}
    assert command(live, run, "goto", index=index_of(run, "scale"))["ok"]  # the word cloud is no longer live
    assert live.emit("facilitator:approve", {"run": run.id, "answer": foreign}, callback=True)["error"] == "item_not_live"
    command(live, run, "end")
    assert live.emit("facilitator:approve", {"run": run.id, "answer": foreign}, callback=True)["error"] == "run_ended"
    assert not Answer.query.filter_by(approved=True).count()


def test_someone_elses_run_cannot_be_moderated(app, run, live, words_answered):
    make_facilitator(email="bert@example.org", name="Bert")
    stranger = app.test_client()
    login(stranger, email="bert@example.org")
    sock = socketio.test_client(app, flask_test_client=stranger)
    for event, data in (("facilitator:approve", {"answer": answer_of("lief").id}),
                        ("facilitator:approve_all", {"item": item_id(run, index_of(run, "words"))}),
                        ("facilitator:screen", {"action": "theme", "theme": "light"})):
        assert sock.emit(event, {"run": run.id, **data}, callback=True) == {"ok": False, "error": "not_allowed"}


# --- phases, the info in parts, the theme ---------------------------------------------------------------

def test_while_answering_the_projector_has_the_choices_and_the_count_but_no_info(app, run, live):
    screen = screen_of(app, run)
    command(live, run, "goto", index=index_of(run, "multi"))
    shown = last_screen(screen)
    assert shown["phase"] == "answering" and shown["item"]["config"]["options"]
    assert shown["item"]["info"] is None and shown["info_part"] is None and shown["aggregate"] is None
    assert shown["counts"] == {"joined": 0, "answered": 0, "skipped": 0, "thinking": 0}


def test_the_info_is_stepped_through_in_parts(app, run, live, monkeypatch):
    monkeypatch.setattr(screen_state, "INFO_PART_CHARS", 90)
    item = runs.items_of(run)[index_of(run, "scale")]
    parts = screen_state.info_parts(item.text("info", "en"))
    assert len(parts) >= 2 and " ".join(parts) == " ".join(screen_state.sentences(item.text("info", "en")))
    screen = screen_of(app, run)
    assert screen_action(live, run, "info_part", step=1) == {"ok": False, "error": "info_not_shown"}
    command(live, run, "reveal_info")
    shown = last_screen(screen)
    assert shown["phase"] == "info" and shown["info_part"]["index"] == 0 and shown["info_part"]["count"] >= 2
    assert screen_action(live, run, "info_part", step=1) == {"ok": True}
    assert last_screen(screen)["info_part"]["index"] == 1
    assert screen_action(live, run, "info_part", step=-1)["ok"]
    assert screen_action(live, run, "info_part", step=-1) == {"ok": False, "error": "no_info_part"}
    assert screen_action(live, run, "info_part", step=5)["ok"] is False
    staff = live.emit("sync", {"run": run.id}, callback=True)["snapshot"]
    assert staff["screen"]["info_part"] == 0 and staff["screen"]["info_parts"] >= 2


def test_info_parts_keep_whole_sentences_and_even_lengths():
    text = " ".join(f"Sentence number {n} is here." for n in range(30))
    parts = screen_state.info_parts(text, 200)
    assert all(len(p) <= 200 for p in parts) and all(p.endswith(".") for p in parts)
    assert max(len(p) for p in parts) - min(len(p) for p in parts) < 60
    assert screen_state.info_parts("Zie bv. de site. Bel 116 000.", 20) == ["Zie bv. de site.", "Bel 116 000."]
    assert screen_state.info_parts("x" * 50 + " " + "y" * 50, 60) == ["x" * 50, "y" * 50]
    french = "Elle dit\u00a0: «\u00a0Non\u00a0!\u00a0» Puis elle part. « Stop ! » Et voilà."
    assert screen_state.sentences(french) == ["Elle dit\u00a0: «\u00a0Non\u00a0!\u00a0» Puis elle part.",
                                              "« Stop ! » Et voilà."]


def test_the_light_theme_is_switched_from_the_dashboard(app, client, run, live):
    screen = screen_of(app, run)
    assert screen_action(live, run, "theme", theme="light") == {"ok": True}
    assert last_screen(screen)["theme"] == "light"
    assert "theme-light" in client.get(f"/screen/{run.screen_token}").get_data(as_text=True)
    assert screen_action(live, run, "theme", theme="pink") == {"ok": False, "error": "bad_theme"}
    assert screen_action(live, run, "sparkle") == {"ok": False, "error": "unknown_action"}


def test_each_projector_is_pushed_its_own_language(app, run, live):
    dutch = socketio.test_client(app, auth={"screen": run.screen_token}, headers={"Accept-Language": "nl"})
    french = socketio.test_client(app, auth={"screen": run.screen_token}, headers={"Accept-Language": "fr"})
    for screen in (dutch, french):
        screen.get_received()
    command(live, run, "goto", index=index_of(run, "multi"))
    item = runs.items_of(run)[index_of(run, "multi")]
    pushed = received(dutch, "presenter:snapshot")
    assert len(pushed) == 1  # one push per change, in its own language only
    assert pushed[0]["item"]["question"] == item.text("question", "nl") != item.text("question", "fr")
    assert last_screen(french)["item"]["question"] == item.text("question", "fr")
