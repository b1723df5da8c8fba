"""Poll: pick exactly one option. Optionally one option is the blogger's pick."""
from flask_babel import lazy_gettext as _l

from ..base import (AnswerError, check_correct, check_entries, count_by_id, entries_public, names,
                   payload_value)

REQUIRED = ("options",)
OPTIONAL = ("correct",)
label = _l("Poll")  # its name for staff


def check_config(data):
    check_entries(data["options"], "options", 2, 8)
    check_correct(data, 1, 1)


def validate(item, payload):
    choice = payload_value(payload, "choice")
    if not isinstance(choice, str):
        raise AnswerError("wrong_shape")
    if choice not in {o["id"] for o in item.data["options"]}:
        raise AnswerError("unknown_option")
    return {"choice": choice}


def aggregate(item, values):
    ids = [o["id"] for o in item.data["options"]]
    return {"options": count_by_id(ids, ([v.get("choice")] for v in values))}


def public_config(item, locale):
    return {"options": entries_public(item.data["options"], locale)}


def solution(item, locale):
    correct = item.data.get("correct")
    return {"correct": list(correct)} if correct else None


def describe(item, value, locale):
    return names(public_config(item, locale)["options"]).get(value["choice"], value["choice"])
