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
MODULE_OPTIONAL = ("content_note", "girl_notice", "guide")
NOTES_REQUIRED_IN = {5}  # teen pimps: staff and girls are warned first
ITEM_TEXTS = ("message", "question", "info", "staff_notes")
ITEM_COMMON = ("id", "type", "channel", "sensitive", "modes", "duration") + ITEM_TEXTS
# Format v2 (issue 12): staff-only texts, the item's place in the arc and the
# one-to-one variant of its texts.
ITEM_V2_TEXTS = ("answer_key", "transition", "split_group")
ITEM_V2 = ("role", "individual") + ITEM_V2_TEXTS
ROLES = ("checkin", "hook", "exercise", "dilemma", "takeaway", "checkout")
INDIVIDUAL_TEXTS = ("staff_notes", "message", "question", "info")
GUIDE_TEXTS = ("prepare", "opening", "closing")
GUIDE_FIELDS = GUIDE_TEXTS + ("if_a_girl_says", "individual")
GUIDE_INDIVIDUAL = ("prepare", "opening")
MODES = ("group", "individual")
# The v2 fields (role, answer_key, guide, individual.staff_notes where modes has
# both ways, split_group for a dilemma) are required and the arc rules
# (arc_problems) are checked when the app loads the content. Only the loader's
# own tests of single-field shapes load with require_v2=False.
REQUIRE_V2 = True
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


def load_programme(directory, *, require_v2=None) -> Programme:
    """Load all six modules from ``directory``; raise ContentError on the first problem.

    With ``require_v2`` (default ``REQUIRE_V2``) the format-v2 fields are
    required and the arc rules (``arc_problems``) are checked too.
    """
    strict = REQUIRE_V2 if require_v2 is None else require_v2
    directory = Path(directory)
    files = _module_files(directory)
    seen_ids = {}  # item id -> file label, to catch duplicates across files
    modules = {n: _load_module(path, n, seen_ids, strict) for n, path in sorted(files.items())}
    programme = Programme(modules=modules)
    if strict:
        from .arc import arc_problems  # arc imports this module's constants
        problems = arc_problems(programme)
        if problems:
            raise ContentError(problems[0])
    return programme


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
    except RecursionError:
        # PyYAML composes nested nodes recursively: thousands of nested lists
        # would otherwise end in a traceback instead of one readable line.
        raise ContentError(f"{label}: YAML nested too deeply (lists or mappings inside each other)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"{label}: YAML syntax error{where}: {problem}") from None


def _load_module(path, number, seen_ids, strict):
    label = _label(path)
    raw = _read_yaml(path, label)
    try:
        _check_module(raw, number, path.name, strict)
    except SchemaError as exc:
        raise ContentError(f"{label}: {exc}") from None
    items = tuple(_load_item(raw_item, i, number, label, seen_ids, strict)
                  for i, raw_item in enumerate(raw["items"]))
    notes = {k: raw.get(k) for k in MODULE_OPTIONAL}
    return Module(number=number, slug=raw["slug"], title=raw["title"], aim=raw["aim"],
                  staff_intro=raw["staff_intro"], items=items, source=label, **notes)


def _check_module(raw, number, filename, strict=False):
    if not isinstance(raw, dict):
        raise SchemaError("(file)", "the file must contain a mapping of module fields")
    check_keys(raw, "", MODULE_REQUIRED + (("guide",) if strict else ()), MODULE_OPTIONAL)
    check_int(raw["number"], "number", 0, 5)
    if raw["number"] != number:
        raise SchemaError("number", f"is {raw['number']} but the file is {filename}")
    if not isinstance(raw["slug"], str) or not SLUG_RE.match(raw["slug"]):
        raise SchemaError("slug", "must use only a-z, 0-9 and '-'")
    for name in ("title", "aim", "staff_intro", "content_note", "girl_notice"):
        if name in raw:
            check_text(raw[name], name)
        elif number in NOTES_REQUIRED_IN:
            raise SchemaError(name, f"is required in module {number}")
    check_list(raw["items"], "items", MIN_ITEMS, 100)
    if "guide" in raw:
        _check_guide(raw["guide"])


def _check_guide(guide):
    """The module's facilitator guide: every part is a text, like every other text."""
    check_keys(guide, "guide", GUIDE_FIELDS)
    for name in GUIDE_TEXTS:
        check_text(guide[name], f"guide.{name}")
    remarks = guide["if_a_girl_says"]
    check_list(remarks, "guide.if_a_girl_says", 2, 6)
    for i, remark in enumerate(remarks):
        where = f"guide.if_a_girl_says[{i}]"
        check_keys(remark, where, ("says", "do"))
        check_text(remark["says"], f"{where}.says")
        check_text(remark["do"], f"{where}.do")
    check_keys(guide["individual"], "guide.individual", GUIDE_INDIVIDUAL)
    for name in GUIDE_INDIVIDUAL:
        check_text(guide["individual"][name], f"guide.individual.{name}")


def _load_item(raw, index, number, label, seen_ids, strict=False):
    name = _item_name(raw, index)
    try:
        item = _build_item(raw, number, strict)
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


def _build_item(raw, number, strict=False):
    if not isinstance(raw, dict):
        raise SchemaError("(item)", "must be a mapping of item fields")
    unit = _check_type(raw)
    required = ITEM_COMMON + unit.REQUIRED + (("role", "answer_key") if strict else ())
    check_keys(raw, "", required, unit.OPTIONAL + ITEM_V2)
    _check_common(raw)
    _check_v2(raw, strict)
    data = {k: v for k, v in raw.items() if k not in ITEM_COMMON + ITEM_V2}
    unit.check_config(data)
    texts = {k: raw[k] for k in ITEM_TEXTS + ITEM_V2_TEXTS if k in raw}
    return Item(id=raw["id"], type=raw["type"], channel=raw["channel"].strip(),
                sensitive=raw["sensitive"], modes=tuple(raw["modes"]),
                duration=raw["duration"], texts=texts,
                data=data, module_number=number, role=raw.get("role"),
                individual=dict(raw.get("individual") or {}))


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


def _check_v2(raw, strict):
    """The v2 fields; which of them an item needs is an arc rule (see arc.py)."""
    if "role" in raw and raw["role"] not in ROLES:
        raise SchemaError("role", f"unknown role {raw['role']!r} (one of {', '.join(ROLES)})")
    for name in ITEM_V2_TEXTS:
        if name in raw:
            check_text(raw[name], name)
    if strict and raw.get("role") == "dilemma" and "split_group" not in raw:
        raise SchemaError("split_group", "is required for a dilemma")
    if "individual" in raw:
        _check_individual(raw["individual"], raw["modes"])
    both = set(raw["modes"]) == set(MODES)
    if strict and both and "staff_notes" not in (raw.get("individual") or {}):
        raise SchemaError("individual.staff_notes", "is required when modes is [group, individual]")


def _check_individual(block, modes):
    check_keys(block, "individual", (), INDIVIDUAL_TEXTS)
    if "individual" not in modes:
        raise SchemaError("individual", "only for items whose modes include individual")
    for name in INDIVIDUAL_TEXTS:
        if name in block:
            check_text(block[name], f"individual.{name}")


def _check_modes(modes):
    check_list(modes, "modes", 1, len(MODES))
    for i, mode in enumerate(modes):
        if mode not in MODES:
            raise SchemaError(f"modes[{i}]", f"must be 'group' or 'individual', got {mode!r}")
    if len(set(modes)) != len(modes):
        raise SchemaError("modes", "lists a mode twice")
