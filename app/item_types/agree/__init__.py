"""Agree / doubt / disagree on each statement."""
from flask_babel import lazy_gettext as _l

from ..base import AnswerError, check_entries, entries_public, names, payload_value

REQUIRED = ("statements",)
OPTIONAL = ()
label = _l("Agree or disagree")  # its name for staff
# The words its describe uses besides the content; the pages get them too (item_type_words).
WORDS = {"agree": _l("Agree"), "doubt": _l("Not sure"), "disagree": _l("Disagree")}
VOTES = ("agree", "doubt", "disagree")


def check_config(data):
    check_entries(data["statements"], "statements", 2, 8)


def validate(item, payload):
    votes = payload_value(payload, "votes")
    if not isinstance(votes, dict):
        raise AnswerError("wrong_shape")
    ids = [s["id"] for s in item.data["statements"]]
    if any(k not in ids for k in votes):
        raise AnswerError("unknown_option")
    if len(votes) != len(ids):
        raise AnswerError("incomplete")
    if any(not isinstance(v, str) or v not in VOTES for v in votes.values()):
        raise AnswerError("unknown_vote")
    return {"votes": {sid: votes[sid] for sid in ids}}


def aggregate(item, values):
    rows = {s["id"]: dict.fromkeys(VOTES, 0) for s in item.data["statements"]}
    for value in values:
        for sid, vote in (value.get("votes") or {}).items():
            if sid in rows and vote in VOTES:
                rows[sid][vote] += 1
    return {"statements": [{"id": sid, **counts} for sid, counts in rows.items()]}


def public_config(item, locale):
    return {"statements": entries_public(item.data["statements"], locale)}


def solution(item, locale):
    return None


def describe(item, value, locale):
    """'statement → vote': statements end in a full stop, so 'text: vote' would read as '.:'."""
    statements = names(public_config(item, locale)["statements"])
    return " · ".join(f"{statements.get(sid, sid)} → {WORDS.get(vote, vote)}" for sid, vote in value["votes"].items())
