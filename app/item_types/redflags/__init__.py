"""Red-flag spotter: tap the chat lines that feel wrong."""
from flask_babel import lazy_gettext as _l

from ..base import (AnswerError, SchemaError, check_bool, check_id, check_keys, check_list,
                   check_text, count_by_id, id_list, localise, names, payload_value)

REQUIRED = ("chat",)
OPTIONAL = ()
label = _l("Red flags")  # its name for staff
# The words its describe uses besides the content; the pages get them too (item_type_words).
WORDS = {"none": _l("(none)")}
SPEAKERS = ("them", "me")


def _check_line(line, where):
    check_keys(line, where, ("id", "from", "text", "flag"), ("why",))
    check_id(line["id"], f"{where}.id")
    if line["from"] not in SPEAKERS:
        raise SchemaError(f"{where}.from", "must be 'them' or 'me'")
    check_text(line["text"], f"{where}.text")
    check_bool(line["flag"], f"{where}.flag")
    if line["flag"] and "why" not in line:
        raise SchemaError(f"{where}.why", "is required when flag is true")
    if "why" in line:
        check_text(line["why"], f"{where}.why")


def check_config(data):
    chat = data["chat"]
    check_list(chat, "chat", 3, 12)
    for i, line in enumerate(chat):
        _check_line(line, f"chat[{i}]")
    ids = [line["id"] for line in chat]
    if len(set(ids)) != len(ids):
        raise SchemaError("chat", "line ids must be unique")
    flags = {line["flag"] for line in chat}
    if flags != {True, False}:
        raise SchemaError("chat", "needs at least one red-flag line and one harmless line")


def validate(item, payload):
    flags = id_list(payload_value(payload, "flags"))
    known = {line["id"] for line in item.data["chat"]}
    if any(f not in known for f in flags):
        raise AnswerError("unknown_option")
    return {"flags": sorted(flags)}


def aggregate(item, values):
    ids = [line["id"] for line in item.data["chat"]]
    return {"lines": count_by_id(ids, (v.get("flags") or [] for v in values))}


def public_config(item, locale):
    return {"chat": [
        {"id": line["id"], "from": line["from"], "text": localise(line["text"], locale)}
        for line in item.data["chat"]
    ]}


def solution(item, locale):
    return {"flags": [
        {"id": line["id"], "why": localise(line["why"], locale)}
        for line in item.data["chat"] if line["flag"]
    ]}


def describe(item, value, locale):
    """The lines she tapped, in chat order as stored; '(none)' says she looked and found nothing."""
    lines = names(public_config(item, locale)["chat"])
    return "; ".join(lines.get(i, i) for i in value["flags"]) or str(WORDS["none"])
