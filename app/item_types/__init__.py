"""The item types of GPS Live: one folder per type, found from the folders.

A type is the folder ``app/item_types/<type>/`` with, side by side:

* ``__init__.py``: ``REQUIRED``/``OPTIONAL`` (its own YAML fields), ``check_config(data)`` (content check,
  raises ``SchemaError``), ``validate``, ``aggregate``, ``public_config``, ``solution``, ``describe`` (the one
  description of an answer, for reports, the CSV and, ported, the phone), ``label`` (its name for staff) and
  optionally ``WORDS`` (the words ``describe`` uses; the pages get them so the phone says the same);
* its templates ``preview.html``, ``report.html``, ``worksheet.html`` (and ``solution.html`` when it has a
  solution), found by Jinja as ``item_types/<type>/<file>`` (``template_loader``);
* its browser part ``static/js/item_types/<type>.js`` (form, describe, results) in the registry of
  ``static/js/item_types/registry.js``.

``tests/test_item_type_parts.py`` fails when a type lacks one of these. The functions below are the only
entry points the web app should use.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .base import AnswerError, SchemaError

FOLDER = Path(__file__).resolve().parent
TEMPLATES = ("preview.html", "report.html", "worksheet.html")


def _found_types() -> dict:
    """Every sub-package is a type, named by its folder (sorted, so messages list them in a stable order)."""
    names = sorted(info.name for info in pkgutil.iter_modules([str(FOLDER)]) if info.ispkg)
    return {name: importlib.import_module(f"{__name__}.{name}") for name in names}


TYPES = _found_types()

__all__ = ["AnswerError", "SchemaError", "TYPES", "validate_answer", "aggregate", "public_config", "solution",
           "describe", "label", "lists_answers", "describe_words", "is_skip", "template_loader", "script_files", "init_app"]

SKIP = {"skip": True}
SKIPPED = _l("(skipped)")


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


def describe(item, value: dict, locale: str) -> str:
    """One stored answer as plain text in ``locale`` (the caller's request language gives the words)."""
    if is_skip(value):
        return str(SKIPPED)
    return _unit(item).describe(item, value, locale)


def label(name: str) -> str:
    """The type's name for staff, in the request's language."""
    return str(TYPES[name].label)


def lists_answers(name: str) -> bool:
    """Whether a report lists this type's answers even without names (open texts and words are the result)."""
    return getattr(TYPES[name], "LISTS_ANSWERS", False)


def describe_words() -> dict:
    """{type: {key: word}} in the request's language: what each type's describe says besides the content."""
    return {name: {key: str(word) for key, word in getattr(unit, "WORDS", {}).items()}
            for name, unit in TYPES.items() if getattr(unit, "WORDS", None)}


def template_loader():
    """Jinja finds a type's templates in its own folder: ``item_types/scale/report.html`` is
    ``app/item_types/scale/report.html``. Only the .html files of the type folders are reachable."""
    from jinja2 import FunctionLoader

    def load(name: str):
        parts = name.split("/")
        if len(parts) != 3 or parts[0] != "item_types" or parts[1] not in TYPES or not parts[2].endswith(".html"):
            return None
        path = FOLDER / parts[1] / parts[2]
        if not path.is_file():
            return None
        mtime = path.stat().st_mtime_ns
        return path.read_text(encoding="utf-8"), str(path), lambda: path.stat().st_mtime_ns == mtime

    return FunctionLoader(load)


def script_files() -> list[str]:
    """The browser parts under static/, in their one order: the registry, every type, the frame items.js."""
    return ["js/item_types/registry.js", *(f"js/item_types/{name}.js" for name in TYPES), "js/items.js"]


def init_app(app) -> None:
    """The pages find the types' templates and their words (the app factory bundles `script_files`)."""
    from jinja2 import ChoiceLoader

    app.jinja_loader = ChoiceLoader([app.jinja_loader, template_loader()])
    app.jinja_env.globals.update(item_type_words=describe_words,
                                 item_type_lists_answers=lists_answers)
