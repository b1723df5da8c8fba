"""Load and check the six module files (``sessions/module0.yaml`` ... ``module5.yaml``).

Everything is checked before anything is returned, so the app never runs with
half-loaded content. Every problem becomes one ``ContentError`` line naming
the file, the item and the field, because the people who edit these files are
counsellors, not programmers.
"""
import re
from pathlib import Path

import yaml

from app.item_types import TYPES
from app.item_types.base import (SchemaError, check_bool, check_id, check_int,
                                 check_keys, check_list, check_text)

from .model import Item, Module, Programme

MODULE_NUMBERS = range(6)
FILE_RE = re.compile(r"^module(\d+)\.yaml$")
SLUG_RE = re.compile(r"^[a-z0-9-]+$")
MODULE_REQUIRED = ("number", "slug", "title", "aim", "staff_intro", "items")
MODULE_OPTIONAL = ("content_note", "girl_notice")
NOTES_REQUIRED_IN = {5}  # teen pimps: staff and girls are warned first
ITEM_TEXTS = ("message", "question", "info", "staff_notes")
ITEM_COMMON = ("id", "type", "channel", "sensitive", "modes", "duration") + ITEM_TEXTS
MODES = ("group", "individual")
MIN_ITEMS = 3
MAX_ID = 40


class ContentError(Exception):
    """A problem in the content files; ``str(e)`` is one readable line."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice (PyYAML silently keeps the last)."""

    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor` may legitimately be overridden
            key = self.construct_object(key_node, deep=True)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' appears twice", key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep)


def load_programme(directory) -> Programme:
    """Load all six modules from ``directory``; raise ContentError on the first problem."""
    directory = Path(directory)
    files = _module_files(directory)
    seen_ids = {}  # item id -> file label, to catch duplicates across files
    modules = {n: _load_module(path, n, seen_ids) for n, path in sorted(files.items())}
    return Programme(modules=modules)


def _label(path):
    return f"{path.parent.name}/{path.name}"


def _module_files(directory):
    if not directory.is_dir():
        raise ContentError(f"{directory}: content directory not found")
    files = {}
    for path in sorted(directory.glob("module*.yaml")):
        match = FILE_RE.match(path.name)
        if not match or int(match.group(1)) not in MODULE_NUMBERS:
            raise ContentError(f"{_label(path)}: unexpected file, expected module0.yaml ... module5.yaml")
        files[int(match.group(1))] = path
    missing = [f"module{n}.yaml" for n in MODULE_NUMBERS if n not in files]
    if missing:
        raise ContentError(f"{directory.name}/: missing module file(s): {', '.join(missing)}")
    return files


def _read_yaml(path, label):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{label}: cannot read file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"{label}: YAML syntax error{where}: {problem}") from None


def _load_module(path, number, seen_ids):
    label = _label(path)
    raw = _read_yaml(path, label)
    try:
        _check_module(raw, number, path.name)
    except SchemaError as exc:
        raise ContentError(f"{label}: {exc}") from None
    items = tuple(_load_item(raw_item, i, number, label, seen_ids)
                  for i, raw_item in enumerate(raw["items"]))
    notes = {k: raw.get(k) for k in MODULE_OPTIONAL}
    return Module(number=number, slug=raw["slug"], title=raw["title"], aim=raw["aim"],
                  staff_intro=raw["staff_intro"], items=items, **notes)


def _check_module(raw, number, filename):
    if not isinstance(raw, dict):
        raise SchemaError("(file)", "the file must contain a mapping of module fields")
    check_keys(raw, "", MODULE_REQUIRED, MODULE_OPTIONAL)
    check_int(raw["number"], "number", 0, 5)
    if raw["number"] != number:
        raise SchemaError("number", f"is {raw['number']} but the file is {filename}")
    if not isinstance(raw["slug"], str) or not SLUG_RE.match(raw["slug"]):
        raise SchemaError("slug", "must use only a-z, 0-9 and '-'")
    for name in ("title", "aim", "staff_intro") + MODULE_OPTIONAL:
        if name in raw:
            check_text(raw[name], name)
        elif number in NOTES_REQUIRED_IN:
            raise SchemaError(name, f"is required in module {number}")
    check_list(raw["items"], "items", MIN_ITEMS, 100)


def _load_item(raw, index, number, label, seen_ids):
    name = _item_name(raw, index)
    try:
        item = _build_item(raw, number)
    except SchemaError as exc:
        raise ContentError(f"{label}: item {name}: {exc}") from None
    if item.id in seen_ids:
        raise ContentError(f"{label}: item {name}: field id: duplicate id, "
                           f"already used in {seen_ids[item.id]}")
    seen_ids[item.id] = label
    return item


def _item_name(raw, index):
    """The id if it is usable in a message, else the position (#1 is the first)."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return raw["id"]
    return f"#{index + 1}"


def _build_item(raw, number):
    if not isinstance(raw, dict):
        raise SchemaError("(item)", "must be a mapping of item fields")
    unit = _check_type(raw)
    check_keys(raw, "", ITEM_COMMON + unit.REQUIRED, unit.OPTIONAL)
    _check_common(raw)
    data = {k: v for k, v in raw.items() if k not in ITEM_COMMON}
    unit.check_config(data)
    return Item(id=raw["id"], type=raw["type"], channel=raw["channel"].strip(),
                sensitive=raw["sensitive"], modes=tuple(raw["modes"]),
                duration=raw["duration"], texts={k: raw[k] for k in ITEM_TEXTS},
                data=data, module_number=number)


def _check_type(raw):
    if "type" not in raw:
        raise SchemaError("type", "is missing")
    if not isinstance(raw["type"], str) or raw["type"] not in TYPES:
        raise SchemaError("type", f"unknown type {raw['type']!r} "
                                  f"(one of {', '.join(TYPES)})")
    return TYPES[raw["type"]]


def _check_common(raw):
    check_id(raw["id"], "id")
    if len(raw["id"]) > MAX_ID:
        raise SchemaError("id", f"is longer than {MAX_ID} characters")
    if not isinstance(raw["channel"], str) or not raw["channel"].strip():
        raise SchemaError("channel", "must be the name of an app, e.g. Instagram")
    check_bool(raw["sensitive"], "sensitive")
    _check_modes(raw["modes"])
    check_int(raw["duration"], "duration", 1, 30)
    for name in ITEM_TEXTS:
        check_text(raw[name], name)


def _check_modes(modes):
    check_list(modes, "modes", 1, len(MODES))
    for i, mode in enumerate(modes):
        if mode not in MODES:
            raise SchemaError(f"modes[{i}]", f"must be 'group' or 'individual', got {mode!r}")
    if len(set(modes)) != len(modes):
        raise SchemaError("modes", "lists a mode twice")
