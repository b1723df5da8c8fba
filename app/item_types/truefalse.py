"""Fact or fable: the girl says whether a statement is true."""
from .base import AnswerError, check_bool, check_text, localise, payload_value

REQUIRED = ("answer", "why")
OPTIONAL = ()


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
