"""Multiple choice: pick one or more options (e.g. the group's agreements)."""
from flask_babel import lazy_gettext as _l

from ..base import (AnswerError, check_correct, check_entries, count_by_id, entries_public,
                   id_list, names, payload_value)

REQUIRED = ("options",)
OPTIONAL = ("correct",)
label = _l("Several choices")  # its name for staff


def check_config(data):
    check_entries(data["options"], "options", 2, 10)
    check_correct(data, 1, 10)


def validate(item, payload):
    choices = id_list(payload_value(payload, "choices"))
    if not choices:
        raise AnswerError("empty")
    known = {o["id"] for o in item.data["options"]}
    if any(c not in known for c in choices):
        raise AnswerError("unknown_option")
    return {"choices": sorted(choices)}


def aggregate(item, values):
    ids = [o["id"] for o in item.data["options"]]
    answers = (v.get("choices") or [] for v in values)
    return {"options": count_by_id(ids, answers)}


def public_config(item, locale):
    return {"options": entries_public(item.data["options"], locale)}


def solution(item, locale):
    correct = item.data.get("correct")
    return {"correct": list(correct)} if correct else None


def describe(item, value, locale):
    options = names(public_config(item, locale)["options"])
    return ", ".join(options.get(c, c) for c in value["choices"])
