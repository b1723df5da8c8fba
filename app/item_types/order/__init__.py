"""Put the steps in order. The YAML lists the steps in the CORRECT order."""
import random

from flask_babel import lazy_gettext as _l

from ..base import (AnswerError, check_entries, check_text, entries_public, id_list, localise,
                   names, payload_value)

REQUIRED = ("steps",)
OPTIONAL = ("why",)
label = _l("Put in order")  # its name for staff


def check_config(data):
    check_entries(data["steps"], "steps", 2, 8)
    if "why" in data:
        check_text(data["why"], "why")


def correct_ids(item):
    return [s["id"] for s in item.data["steps"]]


def validate(item, payload):
    order = id_list(payload_value(payload, "order"))
    ids = correct_ids(item)
    if any(i not in ids for i in order):
        raise AnswerError("unknown_option")
    if len(order) != len(ids):
        raise AnswerError("incomplete")
    return {"order": order}


def aggregate(item, values):
    ids = correct_ids(item)
    orders = [v.get("order") or [] for v in values]
    steps = [{"id": sid, "correct_position_count":
              sum(1 for o in orders if len(o) > pos and o[pos] == sid)}
             for pos, sid in enumerate(ids)]
    return {"fully_correct": sum(1 for o in orders if o == ids), "steps": steps}


def shuffled(item):
    """A shuffle that is the same on every phone and never gives the answer away.

    Seeding with the item id keeps every phone and every reload identical; if
    the shuffle happens to produce the correct order we rotate it by one.
    """
    steps = list(item.data["steps"])
    random.Random(item.id).shuffle(steps)
    if [s["id"] for s in steps] == correct_ids(item):
        steps = steps[1:] + steps[:1]
    return steps


def public_config(item, locale):
    return {"steps": entries_public(shuffled(item), locale)}


def solution(item, locale):
    return {
        "order": correct_ids(item),
        "steps": entries_public(item.data["steps"], locale),
        "why": localise(item.data.get("why"), locale),
    }


def describe(item, value, locale):
    steps = names(entries_public(item.data["steps"], locale))
    return " → ".join(steps.get(sid, sid) for sid in value["order"])
