"""The shipped content loads and is complete; the loader explains broken files."""
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.content import LANGUAGES, ContentError, load_programme, localise
from app.item_types import TYPES

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ROOT / "sessions"
BROKEN = ROOT / "tests" / "data" / "broken"


@pytest.fixture(scope="module")
def programme():
    return load_programme(SESSIONS)


def _texts(node, path=""):
    """Yield (path, {nl, fr, en}) for every human text anywhere in a YAML tree."""
    if isinstance(node, dict):
        if set(node) & set(LANGUAGES):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


def test_all_modules_load(programme):
    assert sorted(programme.modules) == [0, 1, 2, 3, 4, 5]
    for number, module in programme.modules.items():
        assert module.number == number
        assert len(module.items) >= 3


def test_enough_items_and_every_type_used(programme):
    items = programme.items()
    assert len(items) >= 18
    assert set(Counter(i.type for i in items)) == set(TYPES)


def test_item_ids_unique(programme):
    ids = [i.id for i in programme.items()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("number", range(6))
def test_every_text_translated(number):
    raw = yaml.safe_load((SESSIONS / f"module{number}.yaml").read_text(encoding="utf-8"))
    texts = list(_texts(raw))
    assert len(texts) > 10
    for path, text in texts:
        assert set(text) == set(LANGUAGES), path
        if len(text["nl"]) > 12:
            assert text["fr"] != text["nl"], f"{path}: fr is a copy of nl"
            assert text["en"] != text["nl"], f"{path}: en is a copy of nl"


def test_first_item_of_module0_is_mood_check(programme):
    first = programme.module(0).items[0]
    assert first.type == "scale" or first.role == "checkin"


def test_module5_is_marked_sensitive_and_has_notes(programme):
    module = programme.module(5)
    assert all(i.sensitive for i in module.items)
    assert "116 000" in module.text("girl_notice", "fr")
    assert module.content_note["en"]
    assert [s["id"] for s in module.item("m5-phases").data["steps"]] == [
        "recruit", "charm", "isolate", "exploit"]


def test_help_is_offered_in_every_module(programme):
    for module in programme.modules.values():
        assert any("116 000" in i.text("info", "nl") for i in module.items), module.number


def test_lookups(programme):
    item = programme.item("m3-sextortion")
    assert item.module_number == 3
    assert item.text("message", "fr") != item.text("message", "nl")
    assert item.text("message", "de") == item.text("message", "nl")  # falls back to Dutch
    assert programme.item("nope") is None
    module = programme.module(3)
    assert module.index_of(module.items[1].id) == 1
    assert module.index_of("m0-mood") == -1
    assert module.text("title", "en") == module.title["en"]
    assert programme.module(0).text("content_note", "nl") is None


def test_localise():
    assert localise({"nl": "hallo", "fr": "salut", "en": "hi"}, "en") == "hi"
    assert localise({"nl": "hallo", "fr": "salut", "en": "hi"}, "xx") == "hallo"
    assert localise(None, "en") is None


# ----------------------------------------------------------------- broken files

def _sessions_with(tmp_path, broken_name, target="module3.yaml"):
    directory = tmp_path / "sessions"
    shutil.copytree(SESSIONS, directory)
    shutil.copy(BROKEN / broken_name, directory / target)
    return directory


def _error(directory, require_v2=False):
    # The broken samples test one field's shape each; they are not whole v2 modules, so they load without the
    # arc (the shape checks are the same code in both modes; the strict mode is tested below).
    with pytest.raises(ContentError) as info:
        load_programme(directory, require_v2=require_v2)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("broken, expected", [
    ("missing_language.yaml", ["item m3-chat", "field chat[2].why", "missing language 'fr'"]),
    ("extra_language.yaml", ["item m3-extra", "field question", "unknown language 'de'"]),
    ("unknown_type.yaml", ["item m3-slider", "field type", "unknown type 'slider'"]),
    ("duplicate_id.yaml", ["item m0-mood", "field id", "duplicate", "module0.yaml"]),
    ("poll_one_option.yaml", ["item m3-poll", "field options", "2 to 8"]),
    ("truefalse_no_answer.yaml", ["item m3-fact", "field answer", "missing"]),
    ("order_one_step.yaml", ["item m3-order", "field steps"]),
    ("scale_bad.yaml", ["item m3-scale", "field points[3].value"]),
    ("bad_modes.yaml", ["item m3-modes", "field modes[1]", "classroom"]),
    ("unknown_field.yaml", ["item m3-typo", "field optoins", "unknown field"]),
    ("wrong_field_type.yaml", ["item m3-duration", "field duration", "whole number"]),
    ("missing_field.yaml", ["item m3-noinfo", "field info", "missing"]),
    ("wrong_number.yaml", ["field number", "is 4"]),
    # format v2
    ("bad_role.yaml", ["item m3-role", "field role", "unknown role 'warmup'"]),
    ("answer_key_language.yaml", ["item m3-key", "field answer_key", "missing language 'fr'"]),
    ("transition_empty.yaml", ["item m3-trans", "field transition", "language 'nl' must be a non-empty text"]),
    ("individual_typo.yaml", ["item m3-solo", "field individual.mesage", "unknown field"]),
    ("individual_on_group_item.yaml", ["item m3-grouponly", "field individual", "modes include individual"]),
    ("individual_text_not_text.yaml", ["item m3-solotext", "field individual.question", "nl, fr, en"]),
    ("guide_missing_part.yaml", ["field guide.closing", "is missing"]),
    ("guide_remark_language.yaml", ["field guide.if_a_girl_says[1].do", "missing language 'en'"]),
    ("guide_one_remark.yaml", ["field guide.if_a_girl_says", "2 to 6"]),
    ("guide_individual_typo.yaml", ["field guide.individual.opening", "is missing"]),
])
def test_broken_file_is_explained(tmp_path, broken, expected):
    message = _error(_sessions_with(tmp_path, broken))
    assert message.startswith("sessions/module3.yaml: ")
    for part in expected:
        assert part in message


def test_yaml_syntax_error(tmp_path):
    message = _error(_sessions_with(tmp_path, "syntax.yaml"))
    assert message.startswith("sessions/module3.yaml: YAML syntax error at line")


def test_key_written_twice(tmp_path):
    message = _error(_sessions_with(tmp_path, "duplicate_key.yaml"))
    assert "module3.yaml" in message and "'type' appears twice" in message


@pytest.mark.parametrize("nested", ["[" * 10000 + "]" * 10000, "{a: " * 5000 + "1" + "}" * 5000])
def test_deeply_nested_yaml_is_one_line(tmp_path, nested):
    directory = tmp_path / "sessions"
    shutil.copytree(SESSIONS, directory)
    (directory / "module3.yaml").write_text(f"items: {nested}\n", encoding="utf-8")
    assert _error(directory) == "sessions/module3.yaml: YAML nested too deeply (lists or mappings inside each other)"


def test_missing_module_file(tmp_path):
    directory = tmp_path / "sessions"
    shutil.copytree(SESSIONS, directory)
    (directory / "module2.yaml").unlink()
    assert "missing module file(s): module2.yaml" in _error(directory)


def test_module5_needs_content_note(tmp_path):
    directory = tmp_path / "sessions"
    shutil.copytree(SESSIONS, directory)
    path = directory / "module5.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["content_note"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert _error(directory) == "sessions/module5.yaml: field content_note: is required in module 5"


def test_nothing_returned_when_one_file_is_broken(tmp_path):
    directory = _sessions_with(tmp_path, "poll_one_option.yaml", target="module5.yaml")
    with pytest.raises(ContentError):
        load_programme(directory, require_v2=False)


# ------------------------------------------------------- format v2 and the arc
#
# A small programme that satisfies every arc rule, written to a tmp dir; each
# test breaks one rule and checks the one-line problem it gets.

def _t(words):
    return {"nl": f"{words} (nl)", "fr": f"{words} (fr)", "en": f"{words} (en)"}


def _entries(prefix, n):
    return [{"id": f"{prefix}{i}", "text": _t(f"{prefix} {i}")} for i in range(n)]


TYPE_FIELDS = {
    "poll": lambda: {"options": _entries("o", 3)},
    "multi": lambda: {"options": _entries("o", 3), "correct": ["o0"]},
    "truefalse": lambda: {"answer": False, "question": {"nl": "Feit of fabel: Sara moet alles delen.",
                                                         "fr": "Vrai ou faux\u00a0: Sara doit tout partager.",
                                                         "en": "True or false: Sara must share everything."},
                          "why": {"nl": "Fabel! Niemand moet alles delen.", "fr": "Faux\u202f! Personne ne doit tout partager.",
                                  "en": "False! Nobody has to share everything."}},
    "scale": lambda: {"points": [{"value": v, "emoji": "🙂", "text": _t(f"point {v}")} for v in range(1, 6)]},
    "open": lambda: {},
    "words": lambda: {"max_words": 1},
    "agree": lambda: {"statements": _entries("s", 3)},
    "order": lambda: {"steps": _entries("st", 3)},
    "redflags": lambda: {"chat": [
        {"id": "c0", "from": "them", "text": _t("hi"), "flag": False},
        {"id": "c1", "from": "them", "text": _t("send a pic"), "flag": True, "why": _t("pressure")},
        {"id": "c2", "from": "me", "text": _t("no"), "flag": False}]},
}
# (role, type) of the eight items; the hook alternates so every type is used 3+ times
ARC = [("checkin", "scale"), ("hook", None), ("exercise", "truefalse"), ("exercise", "multi"),
       ("exercise", "order"), ("exercise", "redflags"), ("dilemma", "agree"), ("takeaway", "words"),
       ("checkout", "scale")]


def _item(number, pos, role, kind):
    item = {"id": f"m{number}-i{pos}", "type": kind, "channel": "Instagram", "sensitive": False,
            "modes": ["group", "individual"], "duration": 6, "role": role,
            "message": _t("Noor writes"), "question": _t("What would Sara do?"), "info": _t("116 000"),
            "staff_notes": _t("Group notes"), "answer_key": _t("No right answer"),
            "individual": {"staff_notes": _t("One-to-one notes")}}
    if role == "dilemma":
        item["split_group"] = _t("Let both sides speak")
    item.update(TYPE_FIELDS[kind]())
    return item


def v2_module(number):
    items = [_item(number, pos, role, kind or ("poll" if number % 2 else "open"))
             for pos, (role, kind) in enumerate(ARC)]
    guide = {"prepare": _t("Prepare"), "opening": _t("Opening"), "closing": _t("Closing"),
             "if_a_girl_says": [{"says": _t("says"), "do": _t("do")}] * 2,
             "individual": {"prepare": _t("Prepare alone"), "opening": _t("Opening alone")}}
    module = {"number": number, "slug": f"module-{number}", "title": _t(f"Module {number}"), "aim": _t("Aim"),
              "staff_intro": _t("Intro"), "guide": guide, "items": items}
    if number == 5:
        module.update(content_note=_t("Content note"), girl_notice=_t("Notice 116 000"))
    return module


def write_programme(directory, change=None):
    """Write the valid v2 programme; ``change(modules)`` may break it first."""
    directory.mkdir(parents=True, exist_ok=True)
    modules = {n: v2_module(n) for n in range(6)}
    if change:
        change(modules)
    for n, module in modules.items():
        (directory / f"module{n}.yaml").write_text(yaml.safe_dump(module, allow_unicode=True), encoding="utf-8")
    return directory


def _problems(tmp_path, change):
    from app.content import arc_problems
    return arc_problems(load_programme(write_programme(tmp_path / "sessions", change), require_v2=False))


def test_v2_programme_has_no_arc_problem_and_loads_strictly(tmp_path):
    directory = write_programme(tmp_path / "sessions")
    programme = load_programme(directory, require_v2=True)
    from app.content import arc_problems
    assert arc_problems(programme) == []
    item = programme.item("m1-i6")
    assert item.role == "dilemma"
    assert item.text("split_group", "fr") == "Let both sides speak (fr)"
    assert item.text("answer_key", "en") == "No right answer (en)"
    assert item.text("transition", "en") is None  # optional and not written
    module = programme.module(1)
    assert module.minutes == 54
    assert module.guide_text("opening", "nl") == "Opening (nl)"
    assert module.guide_text("opening", "nl", individual=True) == "Opening alone (nl)"
    assert module.guide_text("closing", "en", individual=True) == "Closing (en)"
    assert module.remarks("fr") == [{"says": "says (fr)", "do": "do (fr)"}] * 2


def test_individual_text_falls_back_to_the_common_text(tmp_path):
    def solo_message(modules):
        modules[2]["items"][1]["individual"]["message"] = _t("Just for you")
    programme = load_programme(write_programme(tmp_path / "sessions", solo_message), require_v2=False)
    item = programme.item("m2-i1")
    assert item.text("message", "en", individual=True) == "Just for you (en)"
    assert item.text("message", "en") == "Noor writes (en)"
    assert item.text("question", "fr", individual=True) == "What would Sara do? (fr)"
    assert item.staff_notes("nl", individual=True) == "One-to-one notes (nl)"
    assert item.staff_notes("nl") == "Group notes (nl)"


def _set(module, pos, **fields):
    def change(modules):
        modules[module]["items"][pos].update(fields)
    return change


@pytest.mark.parametrize("change, expected", [
    (_set(2, 0, role="exercise"), "sessions/module2.yaml: item m2-i0: field role: is 'exercise', item 1 of the module must be 'checkin'"),
    (_set(4, 8, role="takeaway"), "sessions/module4.yaml: item m4-i8: field role: is 'takeaway', item 9 of the module must be 'checkout'"),
    (_set(3, 1, role="exercise"), "sessions/module3.yaml: item m3-i1: field role: is 'exercise', item 2 of the module must be 'hook'"),
    (_set(3, 3, role="hook"), "sessions/module3.yaml: item m3-i3: field role: is 'hook', between the hook and the takeaway only exercise or dilemma"),
    (_set(1, 6, role="exercise"), "sessions/module1.yaml: field items: no item with role dilemma (at least one is needed)"),
    (_set(1, 8, modes=["group"], individual=None), "sessions/module1.yaml: item m1-i8: field modes: a checkout is used in both ways of working: [group, individual]"),
    (_set(0, 6, split_group=None), "sessions/module0.yaml: item m0-i6: field split_group: is required for a dilemma"),
    (_set(0, 2, role="dilemma", split_group=_t("x")), "sessions/module0.yaml: item m0-i2: field role: a dilemma has no right answer, but this truefalse item has one"),
    (_set(5, 3, individual={}), "sessions/module5.yaml: item m5-i3: field individual.staff_notes: is required when modes is [group, individual]"),
    (_set(5, 3, modes=["individual"]), "sessions/module5.yaml: item m5-i3: field individual.staff_notes: not used when modes is only [individual] (staff_notes is then the one-to-one note)"),
    (_set(2, 4, role=None), "sessions/module2.yaml: item m2-i4: field role: is missing (checkin, hook, exercise, dilemma, takeaway or checkout)"),
    (_set(2, 4, answer_key=None), "sessions/module2.yaml: item m2-i4: field answer_key: is missing (the right answer and why, or 'No right answer: …')"),
    (_set(3, 2, duration=1), None),  # 49 minutes: still fine
    (lambda m: m[4]["items"][2]["question"].update(nl="Is dit waar?"), "sessions/module4.yaml: item m4-i2: field question: language 'nl' "
     "must start with \u201cFeit of fabel: \u2026\u201d (the words of the buttons)"),
    (lambda m: m[4]["items"][2]["why"].update(en="Fable! Nobody has to."), "sessions/module4.yaml: item m4-i2: "
     "field why: language 'en' must start with \u201cFalse!\u201d (the right answer)"),
])
def test_arc_problem_is_one_line(tmp_path, change, expected):
    def apply(modules):
        change(modules)
        for module in modules.values():  # None means: leave the field out
            for item in module["items"]:
                for key in [k for k, v in item.items() if v is None]:
                    del item[key]
    problems = _problems(tmp_path, apply)
    assert problems == ([expected] if expected else [])


def test_minutes_outside_45_to_75(tmp_path):
    def short(modules):
        for item in modules[3]["items"]:
            item["duration"] = 4
        for item in modules[4]["items"]:
            item["duration"] = 9
    assert _problems(tmp_path, short) == [
        "sessions/module3.yaml: field items: the durations add up to 36 minutes, must be between 45 and 75",
        "sessions/module4.yaml: field items: the durations add up to 81 minutes, must be between 45 and 75"]


def test_too_few_items_and_types(tmp_path):
    def drop_exercises(modules):
        for module in modules.values():
            del module["items"][2:5]  # truefalse, multi, order: gone everywhere
            for item in module["items"]:
                item["duration"] = 9
    problems = _problems(tmp_path, drop_exercises)
    assert "sessions/module0.yaml: field items: has 6 items, needs at least 7" in problems
    assert ("sessions/module0.yaml: field items: 2 exercises or dilemmas between the hook and the takeaway, "
            "needs 4 to 6") in problems
    assert "sessions/: programme: has 36 items, needs at least 48" in problems
    assert "sessions/: programme: type truefalse is used 0 time(s), needs at least 3" in problems
    assert "sessions/: programme: type order is used 0 time(s), needs at least 3" in problems


def test_missing_guide_is_an_arc_problem_until_required(tmp_path):
    def no_guide(modules):
        del modules[2]["guide"]
    assert _problems(tmp_path, no_guide) == [
        "sessions/module2.yaml: field guide: is missing (the module's facilitator guide)"]
    with pytest.raises(ContentError, match=r"^sessions/module2.yaml: field guide: is missing$"):
        load_programme(tmp_path / "sessions", require_v2=True)


def test_strict_load_requires_the_v2_fields(tmp_path):
    write_programme(tmp_path / "sessions", lambda modules: modules[3]["items"][2].pop("role"))
    with pytest.raises(ContentError) as info:
        load_programme(tmp_path / "sessions", require_v2=True)
    assert str(info.value) == "sessions/module3.yaml: item m3-i2: field role: is missing"


# ---------------------------------------------- one girl, not a group (issue 12)

@pytest.mark.parametrize("lang, text, word", [
    ("nl", "Wat denken jullie?", "jullie"),
    ("nl", "Hey Squad!", "Squad"),
    ("nl", "Vertel het aan de groep.", "de groep"),
    ("fr", "Qu'en pensez-vous ?", "vous"),
    ("fr", "Tout le monde ici a un GSM.", "Tout le monde ici"),
    ("en", "What do you all think?", "you all"),
    ("en", "Hi guys", "guys"),
    ("en", "Tell the group", "the group"),
])
def test_individual_text_that_addresses_a_group_is_refused(tmp_path, lang, text, word):
    def group_words(modules):
        modules[1]["items"][3]["question"][lang] = text
    assert _problems(tmp_path, group_words) == [
        f"sessions/module1.yaml: item m1-i3: field question: language '{lang}' addresses a group "
        f"(\u201c{word}\u201d) in a text one girl reads in one-to-one work "
        "(write individual.question for one-to-one work)"]


def test_group_words_are_fine_in_group_only_items_and_overrides_fix_them(tmp_path):
    def fine(modules):
        grouponly = modules[1]["items"][3]
        grouponly.update(modes=["group"], message=_t("Hey squad, what do you all think?"))
        del grouponly["individual"]
        solo = modules[1]["items"][4]
        solo["message"] = _t("Hey squad!")
        solo["individual"]["message"] = _t("Hey, I have a question for you")
        modules[1]["items"][5]["info"]["nl"] = "In de klaschat van Sara en in de groepschat"  # not "de groep"
    assert _problems(tmp_path, fine) == []


def test_type_texts_of_individual_items_are_checked(tmp_path):
    def options(modules):
        modules[0]["items"][3]["options"][1]["text"]["en"] = "Ask everyone here"
        modules[0]["items"][5]["chat"][1]["why"]["fr"] = "Il vous met la pression"
    assert _problems(tmp_path, options) == [
        "sessions/module0.yaml: item m0-i3: field options[1].text: language 'en' addresses a group "
        "(\u201ceveryone here\u201d) in a text one girl reads in one-to-one work",
        "sessions/module0.yaml: item m0-i5: field chat[1].why: language 'fr' addresses a group "
        "(\u201cvous\u201d) in a text one girl reads in one-to-one work"]


def test_shipped_programme_follows_the_arc_and_speaks_to_one_girl_in_one_to_one_work(programme):
    """The six modules as shipped: check-in first, check-out last, 45-75 minutes, and no item usable in
    one-to-one work that addresses a group in what she reads (every problem on its own line)."""
    from app.content import arc_problems
    problems = arc_problems(programme)
    assert problems == [], "\n" + "\n".join(problems)
    for module in programme.modules.values():
        assert module.items[0].role == "checkin" and module.items[-1].role == "checkout"
        assert 45 <= module.minutes <= 75


def test_the_app_loads_the_content_strictly(tmp_path):
    """Format v2 is required at load now that the six files are converted: a missing role or an arc
    problem stops the app with one line."""
    from app.content.loader import REQUIRE_V2
    assert REQUIRE_V2
    directory = tmp_path / "sessions"
    shutil.copytree(SESSIONS, directory)
    load_programme(directory)
    path = directory / "module2.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = raw["items"][0]
    del first["role"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert _error(directory, require_v2=None) == f"sessions/module2.yaml: item {first['id']}: field role: is missing"
    first["role"] = "exercise"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert _error(directory, require_v2=None) == (
        f"sessions/module2.yaml: item {first['id']}: field role: is 'exercise', item 1 of the module must be 'checkin'")
