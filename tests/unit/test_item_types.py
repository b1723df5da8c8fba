"""validate_answer / aggregate / public_config / solution for every item type."""
import json
from pathlib import Path

import pytest

from app.content import load_programme
from app.item_types import (TYPES, AnswerError, aggregate, public_config,
                            solution, validate_answer)

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
PROGRAMME = load_programme(SESSIONS)
ITEMS = PROGRAMME.items()


def item_of(type_name):
    return next(i for i in ITEMS if i.type == type_name)


def refused(item, payload):
    with pytest.raises(AnswerError) as info:
        validate_answer(item, payload)
    return info.value.code


# Payloads no type accepts; none may crash with something other than AnswerError.
JUNK = [None, [], "hello", 3, True, {}, {"skip": False}, {"skip": True, "x": 1},
        {"skip": 1}, {"choice": None}, {"choices": "a"}, {"value": "3"},
        {"text": 5}, {"words": "hi"}, {"votes": []}, {"order": {}}, {"flags": None},
        {"choices": [[1]]}, {"order": [["x"]]}, {"votes": {"a": ["agree"]}}]


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_skip_and_junk(item):
    assert validate_answer(item, {"skip": True}) == {"skip": True}
    for payload in JUNK:
        assert refused(item, payload)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_public_config_never_leaks(item):
    config = public_config(item, "fr")
    text = json.dumps(config)
    for secret in ('"correct"', '"flag"', '"why"', '"answer"'):
        assert secret not in text
    json.dumps(solution(item, "en"))  # JSON-able


def test_poll():
    item = PROGRAMME.item("m1-forwarded")
    assert validate_answer(item, {"choice": "get-help"}) == {"choice": "get-help"}
    assert refused(item, {"choice": "nope"}) == "unknown_option"
    assert refused(item, {"choice": "get-help", "extra": 1}) == "wrong_shape"
    assert refused(item, {"choice": ["get-help"]}) == "wrong_shape"
    values = [{"choice": "get-help"}, {"choice": "get-help"}, {"choice": "ignore"}, {"skip": True}]
    result = aggregate(item, values)
    assert result["answered"] == 3 and result["skipped"] == 1 and result["type"] == "poll"
    assert result["options"][1] == {"id": "ignore", "count": 1}
    assert result["options"][2] == {"id": "get-help", "count": 2}
    assert solution(item, "nl") == {"correct": ["get-help"]}
    assert public_config(item, "en")["options"][0] == {"id": "own-fault", "text": "Too bad, it's her own fault"}
    assert solution(PROGRAMME.item("m2-likes"), "nl") is None


def test_multi():
    item = PROGRAMME.item("m3-sextortion")
    assert validate_answer(item, {"choices": ["talk", "pay"]}) == {"choices": ["pay", "talk"]}
    assert refused(item, {"choices": []}) == "empty"
    assert refused(item, {"choices": ["talk", "talk"]}) == "duplicate"
    assert refused(item, {"choices": ["talk", "bribe"]}) == "unknown_option"
    result = aggregate(item, [{"choices": ["pay", "talk"]}, {"choices": ["talk"]}])
    assert {"id": "talk", "count": 2} in result["options"]
    assert [o["id"] for o in result["options"]][0] == "screenshots"
    assert solution(item, "fr")["correct"] == ["screenshots", "stop-replying", "talk", "report"]


def test_truefalse():
    item = PROGRAMME.item("m1-sexting-fable")
    assert validate_answer(item, {"choice": False}) == {"choice": False}
    assert refused(item, {"choice": 0}) == "wrong_shape"
    assert refused(item, {"choice": "false"}) == "wrong_shape"
    result = aggregate(item, [{"choice": True}, {"choice": False}, {"choice": False}, {"skip": True}])
    assert (result["true"], result["false"], result["skipped"]) == (1, 2, 1)
    assert public_config(item, "nl") == {}
    sol = solution(item, "en")
    assert sol["answer"] is False and sol["why"].startswith("False!")


def test_scale():
    item = PROGRAMME.item("m0-mood")
    assert validate_answer(item, {"value": 4}) == {"value": 4}
    assert refused(item, {"value": True}) == "wrong_shape"  # bool is not an int here
    assert refused(item, {"value": 4.0}) == "wrong_shape"
    assert refused(item, {"value": 6}) == "out_of_range"
    assert refused(item, {"value": 0}) == "out_of_range"
    result = aggregate(item, [{"value": 1}, {"value": 4}, {"value": 4}])
    assert result["points"][3] == {"value": 4, "count": 2}
    assert result["mean"] == 3.0
    assert aggregate(item, [{"skip": True}])["mean"] is None
    points = public_config(item, "fr")["points"]
    assert [p["value"] for p in points] == [1, 2, 3, 4, 5] and points[4]["text"] == "Grand soleil"


def test_open():
    item = PROGRAMME.item("m1-pressure")  # max_length 200
    assert validate_answer(item, {"text": "  Zeg nee!\n"}) == {"text": "Zeg nee!"}
    assert validate_answer(item, {"text": "<b>nee</b>"}) == {"text": "<b>nee</b>"}
    assert validate_answer(item, {"text": "lijn 1\r\nlijn 2"}) == {"text": "lijn 1\nlijn 2"}
    assert refused(item, {"text": "x" * 201}) == "too_long"
    assert validate_answer(item, {"text": "x" * 200})
    assert refused(item, {"text": "   "}) == "empty"
    assert refused(item, {"text": "bel\x07"}) == "control_chars"
    assert public_config(item, "en") == {"max_length": 200}
    result = aggregate(item, [{"text": "a"}, {"skip": True}, {"text": "b"}])
    assert result["texts"] == ["a", "b"] and result["answered"] == 2


def test_words():
    item = PROGRAMME.item("m0-good-friend")
    got = validate_answer(item, {"words": ["  Eerlijk ", "LIEF", "eerlijk"]})
    assert got == {"words": ["eerlijk", "lief"]}
    assert validate_answer(item, {"words": ["Loyal  en   lief"]}) == {"words": ["loyal en lief"]}
    assert validate_answer(item, {"words": ["Éénzaam", "d'accord", "Доброта"]})["words"] == [
        "éénzaam", "d'accord", "доброта"]
    assert refused(item, {"words": ["<script>"]}) == "markup"
    assert refused(item, {"words": ["a&b"]}) == "markup"
    assert refused(item, {"words": ["{{x}}"]}) == "markup"
    assert refused(item, {"words": ["a", "b", "c", "d"]}) == "too_many"
    assert refused(item, {"words": ["x" * 31]}) == "too_long"
    assert refused(item, {"words": []}) == "empty"
    assert refused(item, {"words": [" "]}) == "empty"
    assert refused(item, {"words": ["hi!"]}) == "bad_chars"
    assert refused(item, {"words": [3]}) == "wrong_shape"
    values = [{"words": ["lief", "eerlijk"]}, {"words": ["lief"]}, {"words": ["aardig"]}, {"skip": True}]
    assert aggregate(item, values)["words"] == [
        {"word": "lief", "count": 2}, {"word": "aardig", "count": 1}, {"word": "eerlijk", "count": 1}]
    many = [{"words": [f"w{n}"]} for n in range(50)]
    assert len(aggregate(item, many)["words"]) == 40
    assert public_config(item, "nl") == {"max_words": 3, "max_chars": 20}


def test_agree():
    item = PROGRAMME.item("m1-consent")
    ids = [s["id"] for s in item.data["statements"]]
    votes = dict(zip(ids, ["disagree", "agree", "disagree", "doubt"]))
    assert validate_answer(item, {"votes": votes}) == {"votes": votes}
    assert refused(item, {"votes": {ids[0]: "agree"}}) == "incomplete"
    assert refused(item, {"votes": {**votes, "other": "agree"}}) == "unknown_option"
    assert refused(item, {"votes": {**votes, ids[0]: "maybe"}}) == "unknown_vote"
    result = aggregate(item, [{"votes": votes}, {"votes": {**votes, ids[0]: "agree"}}])
    assert result["statements"][0] == {"id": ids[0], "agree": 1, "doubt": 0, "disagree": 1}


def test_order():
    item = PROGRAMME.item("m5-phases")
    correct = ["recruit", "charm", "isolate", "exploit"]
    assert validate_answer(item, {"order": correct}) == {"order": correct}
    assert refused(item, {"order": correct[:3]}) == "incomplete"
    assert refused(item, {"order": correct + ["recruit"]}) == "duplicate"
    assert refused(item, {"order": correct[:3] + ["sell"]}) == "unknown_option"
    public = [s["id"] for s in public_config(item, "nl")["steps"]]
    assert sorted(public) == sorted(correct) and public != correct
    assert public == [s["id"] for s in public_config(item, "en")["steps"]]  # deterministic
    wrong = ["charm", "recruit", "isolate", "exploit"]
    result = aggregate(item, [{"order": correct}, {"order": wrong}, {"skip": True}])
    assert result["fully_correct"] == 1
    assert result["steps"] == [{"id": "recruit", "correct_position_count": 1},
                               {"id": "charm", "correct_position_count": 1},
                               {"id": "isolate", "correct_position_count": 2},
                               {"id": "exploit", "correct_position_count": 2}]
    sol = solution(item, "fr")
    assert sol["order"] == correct and sol["steps"][0]["text"].startswith("Recruter")
    assert sol["why"]


def test_order_public_never_correct_for_two_steps():
    # With two steps the only non-answer is the swap; many seeds would shuffle to identity.
    base = PROGRAMME.item("m5-phases")
    for n in range(30):
        steps = base.data["steps"][:2]
        item = type(base)(**{**base.__dict__, "id": f"o{n}", "data": {"steps": steps}})
        assert [s["id"] for s in public_config(item, "nl")["steps"]] == ["charm", "recruit"]


def test_redflags():
    item = PROGRAMME.item("m3-game-chat")
    assert validate_answer(item, {"flags": ["l5", "l3"]}) == {"flags": ["l3", "l5"]}
    assert validate_answer(item, {"flags": []}) == {"flags": []}
    assert refused(item, {"flags": ["l3", "l3"]}) == "duplicate"
    assert refused(item, {"flags": ["l99"]}) == "unknown_option"
    chat = public_config(item, "en")["chat"]
    assert chat[0] == {"id": "l1", "from": "them", "text": "Nice game yesterday 🙌 you're really good!"}
    result = aggregate(item, [{"flags": ["l3", "l5"]}, {"flags": ["l3"]}])
    assert result["lines"][2] == {"id": "l3", "count": 2}
    flags = solution(item, "nl")["flags"]
    assert [f["id"] for f in flags] == ["l3", "l4", "l5", "l6"] and all(f["why"] for f in flags)


def test_aggregate_ignores_stale_values():
    item = PROGRAMME.item("m1-forwarded")
    result = aggregate(item, [{"choice": "removed-option"}, "garbage", None])
    assert result["answered"] == 1 and sum(o["count"] for o in result["options"]) == 0


def test_unknown_type_is_refused():
    item = PROGRAMME.item("m0-mood")
    fake = type(item)(**{**item.__dict__, "type": "slider"})
    assert refused(fake, {"value": 3}) == "unknown_type"


def test_every_type_is_registered():
    assert set(TYPES) == {"poll", "multi", "truefalse", "scale", "open", "words",
                          "agree", "order", "redflags"}
