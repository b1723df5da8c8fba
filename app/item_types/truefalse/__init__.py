"""Fact or fable: the girl says whether a statement is true."""
from flask_babel import lazy_gettext as _l

from ..base import AnswerError, check_bool, check_text, localise, payload_value

REQUIRED = ("answer", "why")
OPTIONAL = ()
label = _l("Fact or fable")  # its name for staff
# The words its describe uses besides the content; the pages get them too (item_type_words).
WORDS = {"fact": _l("Fact"), "fable": _l("Fable")}


def check_config(data):
    check_bool(data["answer"], "answer")
    check_text(data["why"], "why")


def validate(item, payload):
    choice = payload_value(payload, "choice")
    if not isinstance(choice, bool):
        raise AnswerError("wrong_shape")
    return {"choice": choice}


def aggregate(item, values):
    choices = [v.get("choice") for v in values]
    return {"true": choices.count(True), "false": choices.count(False)}


def public_config(item, locale):
    return {}


def solution(item, locale):
    return {"answer": item.data["answer"], "why": localise(item.data["why"], locale)}


def describe(item, value, locale):
    return str(WORDS["fact"] if value["choice"] else WORDS["fable"])
