"""Scale: five points, e.g. the emoji mood thermometer at the start of a module."""
from flask_babel import lazy_gettext as _l

from ..base import AnswerError, SchemaError, check_keys, check_list, check_text, localise, payload_value

REQUIRED = ("points",)
OPTIONAL = ()
label = _l("Scale")  # its name for staff
VALUES = (1, 2, 3, 4, 5)


def check_config(data):
    points = data["points"]
    check_list(points, "points", 5, 5)
    for i, point in enumerate(points):
        where = f"points[{i}]"
        check_keys(point, where, ("value", "emoji", "text"))
        value = point["value"]
        if type(value) is not int or value != VALUES[i]:  # refuses 1.0 and true
            raise SchemaError(f"{where}.value", f"must be {VALUES[i]} (values 1..5 in order)")
        if not isinstance(point["emoji"], str) or not point["emoji"].strip():
            raise SchemaError(f"{where}.emoji", "must be a non-empty text")
        check_text(point["text"], f"{where}.text")


def validate(item, payload):
    value = payload_value(payload, "value")
    # bool is an int subclass: `true` must not count as 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise AnswerError("wrong_shape")
    if value not in VALUES:
        raise AnswerError("out_of_range")
    return {"value": value}


def aggregate(item, values):
    chosen = [v.get("value") for v in values if v.get("value") in VALUES]
    mean = round(sum(chosen) / len(chosen), 2) if chosen else None
    points = [{"value": n, "count": chosen.count(n)} for n in VALUES]
    return {"points": points, "mean": mean}


def public_config(item, locale):
    return {"points": [
        {"value": p["value"], "emoji": p["emoji"], "text": localise(p["text"], locale)}
        for p in item.data["points"]
    ]}


def solution(item, locale):
    return None


def describe(item, value, locale):
    """The point's number and words ("2 Rainy"): the number keeps the CSV sortable, no emoji needs a font."""
    points = public_config(item, locale)["points"]
    return next((f'{p["value"]} {p["text"]}' for p in points if p["value"] == value["value"]), str(value["value"]))
