"""Shared helpers for the item types.

Two kinds of helpers live here:

* content checks (``SchemaError``), used when the YAML files are loaded; they
  raise with a field path such as ``chat[2].why`` so the loader can build one
  clear error line;
* answer checks (``AnswerError``), used on untrusted JSON from the phones.

This module must not import ``app.content``: the content loader imports the
item types, not the other way round.
"""
import re

LANGUAGES = ("nl", "fr", "en")
ID_RE = re.compile(r"^[a-z0-9-]+$")


class AnswerError(ValueError):
    """Refused answer. ``code`` is a short snake_case reason for the client."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class SchemaError(Exception):
    """Bad content in a YAML file; ``field`` is a path like ``options[1].text``."""

    def __init__(self, field: str, message: str):
        super().__init__(f"field {field}: {message}")
        self.field = field
        self.message = message


# --------------------------------------------------------------- content checks

def check_text(value, field):
    """A human text: a mapping with exactly the keys nl, fr, en, non-empty strings."""
    if not isinstance(value, dict):
        raise SchemaError(field, "must be a mapping with the keys nl, fr, en")
    for lang in LANGUAGES:
        if lang not in value:
            raise SchemaError(field, f"missing language '{lang}'")
        if not isinstance(value[lang], str) or not value[lang].strip():
            raise SchemaError(field, f"language '{lang}' must be a non-empty text")
    extra = sorted(str(k) for k in value if k not in LANGUAGES)
    if extra:
        raise SchemaError(field, f"unknown language '{extra[0]}' (only nl, fr, en)")


def check_int(value, field, low, high):
    # bool is a subclass of int in Python; `yes` in YAML must not pass as 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise SchemaError(field, "must be a whole number")
    if not low <= value <= high:
        raise SchemaError(field, f"must be between {low} and {high}, got {value}")


def check_bool(value, field):
    if not isinstance(value, bool):
        raise SchemaError(field, "must be true or false")


def check_id(value, field):
    if not isinstance(value, str) or not ID_RE.match(value):
        raise SchemaError(field, f"must be an id of a-z, 0-9 and '-', got {value!r}")


def check_keys(mapping, field, required, optional=()):
    """Refuse missing and unknown keys: unknown keys are usually typos."""
    if not isinstance(mapping, dict):
        raise SchemaError(field, "must be a mapping")
    for key in required:
        if key not in mapping:
            raise SchemaError(f"{field}.{key}" if field else key, "is missing")
    allowed = set(required) | set(optional)
    for key in mapping:
        if key not in allowed:
            name = f"{field}.{key}" if field else str(key)
            raise SchemaError(name, "unknown field (typo?)")


def check_list(value, field, low, high):
    if not isinstance(value, list):
        raise SchemaError(field, "must be a list")
    if not low <= len(value) <= high:
        raise SchemaError(field, f"needs {low} to {high} entries, got {len(value)}")


def check_entries(value, field, low, high):
    """A list of ``{id, text}`` entries (options, statements, steps)."""
    check_list(value, field, low, high)
    seen = set()
    for i, entry in enumerate(value):
        where = f"{field}[{i}]"
        check_keys(entry, where, ("id", "text"))
        check_id(entry["id"], f"{where}.id")
        if entry["id"] in seen:
            raise SchemaError(f"{where}.id", f"duplicate id '{entry['id']}'")
        seen.add(entry["id"])
        check_text(entry["text"], f"{where}.text")


def check_correct(data, low, high):
    """Optional ``correct: [ids]`` referring to existing options."""
    if "correct" not in data:
        return
    check_list(data["correct"], "correct", low, high)
    known = {o["id"] for o in data["options"]}
    for i, cid in enumerate(data["correct"]):
        if not isinstance(cid, str) or cid not in known:
            raise SchemaError(f"correct[{i}]", f"unknown option id {cid!r}")
    if len(set(data["correct"])) != len(data["correct"]):
        raise SchemaError("correct", "lists an option twice")


# ---------------------------------------------------------------- answer checks

def payload_value(payload, key):
    """The value of the one allowed key; anything else is the wrong shape."""
    if not isinstance(payload, dict) or set(payload) != {key}:
        raise AnswerError("wrong_shape")
    return payload[key]


def id_list(value):
    """A list of string ids without duplicates (order kept)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError("wrong_shape")
    if len(set(value)) != len(value):
        raise AnswerError("duplicate")
    return value


def localise(value, locale):
    """A {nl, fr, en} mapping as a string in ``locale``; Dutch is the fallback."""
    if value is None or isinstance(value, str):
        return value
    return value.get(locale) or value.get("nl")


def entries_public(entries, locale):
    return [{"id": e["id"], "text": localise(e["text"], locale)} for e in entries]


def count_by_id(ids, answers):
    """Count how often each id appears in the answers, kept in content order."""
    counts = dict.fromkeys(ids, 0)
    for answer in answers:
        for aid in answer:
            if aid in counts:  # stale answers for removed options are ignored
                counts[aid] += 1
    return [{"id": i, "count": n} for i, n in counts.items()]


def names(entries):
    """{id: text} of public entries, for describing an answer by its ids."""
    return {entry["id"]: entry["text"] for entry in entries}
