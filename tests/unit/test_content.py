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
    assert programme.module(0).items[0].type == "scale"


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
    assert module.index_of("m3-sextortion") == 1
    assert module.index_of("m0-mood") == -1
    assert module.text("title", "en") == "Resilience / standing up for yourself"
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


def _error(directory):
    with pytest.raises(ContentError) as info:
        load_programme(directory)
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
        load_programme(directory)
