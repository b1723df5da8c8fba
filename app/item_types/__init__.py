"""The item types of GPS Live: one module per type.

Each type module provides ``REQUIRED``/``OPTIONAL`` (its own YAML fields),
``check_config(data)`` (content check, raises ``SchemaError``) and
``validate``, ``aggregate``, ``public_config``, ``solution``. The functions
below are the only entry points the web app should use.
"""
from . import agree, multi, open, order, poll, redflags, scale, truefalse, words
from .base import AnswerError, SchemaError

TYPES = {
    "poll": poll, "multi": multi, "truefalse": truefalse, "scale": scale,
    "open": open, "words": words, "agree": agree, "order": order,
    "redflags": redflags,
}

__all__ = ["AnswerError", "SchemaError", "TYPES", "validate_answer",
           "aggregate", "public_config", "solution", "is_skip"]

SKIP = {"skip": True}


def is_skip(value):
    # `True` is compared by identity so {"skip": 1} is not a skip.
    return isinstance(value, dict) and len(value) == 1 and value.get("skip") is True


def _unit(item):
    unit = TYPES.get(getattr(item, "type", None))
    if unit is None:
        raise AnswerError("unknown_type")
    return unit


def validate_answer(item, payload) -> dict:
    """Check an untrusted answer; return the normalised value to store.

    Raises only ``AnswerError``: the payload comes straight from a phone, so
    any unexpected crash in a type is reported as a wrong shape instead of a
    500 error.
    """
    if is_skip(payload):
        return dict(SKIP)
    unit = _unit(item)
    try:
        return unit.validate(item, payload)
    except AnswerError:
        raise
    except Exception as exc:  # noqa: BLE001 - see docstring
        raise AnswerError("wrong_shape") from exc


def aggregate(item, values) -> dict:
    """Counts for the projector; never contains who answered what."""
    values = [v for v in values if isinstance(v, dict)]
    skipped = sum(1 for v in values if is_skip(v))
    answers = [v for v in values if not is_skip(v)]
    result = {"type": item.type, "answered": len(answers), "skipped": skipped}
    result.update(_unit(item).aggregate(item, answers))
    return result


def public_config(item, locale: str) -> dict:
    """What a phone needs to render the question, without the answers."""
    return _unit(item).public_config(item, locale)


def solution(item, locale: str):
    """What is shown after the reveal, or None for types without a solution."""
    return _unit(item).solution(item, locale)
