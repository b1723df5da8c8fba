"""The shared parts of every facilitator guide and the blogger (``sessions/guide.yaml``).

The protocol sections (confidentiality, after a signal, disclosure, grooming,
referral paths, risk factors) are the same for every module, so they are
written once. The file is checked like the module files: one ``ContentError``
line naming the file and the field.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.item_types.base import SchemaError, check_id, check_keys, check_list, check_text, localise

from .loader import ContentError, _read_yaml

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
SECTIONS = ("confidentiality", "after-a-signal", "disclosure", "grooming", "referral", "risk-factors")
SECTION_OPTIONAL = ("say", "text", "steps", "paths")


@dataclass(frozen=True)
class Blogger:
    name: str
    handle: str

    def as_dict(self) -> dict:
        return {"name": self.name, "handle": self.handle}


@dataclass(frozen=True)
class SharedGuide:
    blogger: Blogger
    sections: tuple  # the protocol sections as written, in order

    def section_views(self, locale: str) -> list[dict]:
        """Every section in ``locale``: {id, title, say, text, steps, paths}."""
        return [{"id": s["id"], "title": localise(s["title"], locale),
                 "say": localise(s.get("say"), locale), "text": localise(s.get("text"), locale),
                 "steps": [localise(step, locale) for step in s.get("steps", ())],
                 "paths": [{"name": localise(p["name"], locale), "what": localise(p["what"], locale)}
                           for p in s.get("paths", ())]}
                for s in self.sections]

    def section(self, section_id: str, locale: str) -> dict:
        return next(s for s in self.section_views(locale) if s["id"] == section_id)


def load_guide(path) -> SharedGuide:
    path = Path(path)
    label = f"{path.parent.name}/{path.name}"
    if not path.is_file():
        raise ContentError(f"{label}: file not found (the shared facilitator guide and the blogger)")
    raw = _read_yaml(path, label)
    try:
        return _build(raw)
    except SchemaError as exc:
        raise ContentError(f"{label}: {exc}") from None


def _build(raw) -> SharedGuide:
    if not isinstance(raw, dict):
        raise SchemaError("(file)", "the file must contain a mapping with blogger and protocol")
    check_keys(raw, "", ("blogger", "protocol"))
    check_keys(raw["blogger"], "blogger", ("name", "handle"))
    name, handle = raw["blogger"]["name"], raw["blogger"]["handle"]
    if not isinstance(name, str) or not name.strip():
        raise SchemaError("blogger.name", "must be the blogger's first name")
    if not isinstance(handle, str) or not handle.startswith("@") or " " in handle:
        raise SchemaError("blogger.handle", "must be a handle such as \"@noor.gps\"")
    sections = raw["protocol"]
    check_list(sections, "protocol", len(SECTIONS), len(SECTIONS))
    for i, section in enumerate(sections):
        _check_section(section, f"protocol[{i}]")
    found = [s["id"] for s in sections]
    if found != list(SECTIONS):
        raise SchemaError("protocol", f"the sections must be {', '.join(SECTIONS)} in this order")
    return SharedGuide(blogger=Blogger(name=name.strip(), handle=handle), sections=tuple(sections))


def _check_section(section, where):
    check_keys(section, where, ("id", "title"), SECTION_OPTIONAL)
    check_id(section["id"], f"{where}.id")
    check_text(section["title"], f"{where}.title")
    if not any(key in section for key in SECTION_OPTIONAL):
        raise SchemaError(where, "needs a text, steps or paths")
    for key in ("say", "text"):
        if key in section:
            check_text(section[key], f"{where}.{key}")
    if "steps" in section:
        check_list(section["steps"], f"{where}.steps", 1, 12)
        for n, step in enumerate(section["steps"]):
            check_text(step, f"{where}.steps[{n}]")
    if "paths" in section:
        check_list(section["paths"], f"{where}.paths", 1, 12)
        for n, entry in enumerate(section["paths"]):
            check_keys(entry, f"{where}.paths[{n}]", ("name", "what"))
            check_text(entry["name"], f"{where}.paths[{n}].name")
            check_text(entry["what"], f"{where}.paths[{n}].what")


def _directory() -> Path:
    """The app's SESSIONS_DIR when it has a guide.yaml (tests), else the shipped sessions/."""
    try:
        from flask import current_app
        configured = current_app.config.get("SESSIONS_DIR")
    except RuntimeError:  # outside an app (CLI helpers, unit tests)
        configured = None
    if configured and (Path(configured) / "guide.yaml").is_file():
        return Path(configured)
    return SESSIONS


@lru_cache(maxsize=4)
def _cached(path: str) -> SharedGuide:
    return load_guide(path)


def shared_guide() -> SharedGuide:
    return _cached(str(_directory() / "guide.yaml"))


def blogger() -> dict:
    """{name, handle}: the one blogger of the programme, the same everywhere."""
    return shared_guide().blogger.as_dict()


# ------------------------------------------------------------------ printables

def load_printables(path) -> dict:
    """``sessions/printables.yaml``: every {nl, fr, en} in it is checked like every other text."""
    path = Path(path)
    label = f"{path.parent.name}/{path.name}"
    if not path.is_file():
        raise ContentError(f"{label}: file not found (the texts of the printables)")
    raw = _read_yaml(path, label)
    if not isinstance(raw, dict):
        raise ContentError(f"{label}: (file): must be a mapping of printables")
    try:
        _check_tree(raw, "")
    except SchemaError as exc:
        raise ContentError(f"{label}: {exc}") from None
    missing = [name for name in PRINTABLES if name not in raw]
    if missing:
        raise ContentError(f"{label}: field {missing[0]}: is missing")
    return raw


PRINTABLES = ("max_card", "sextortion", "phases", "secrets", "worksheet", "poster", "agreements")


def _check_tree(node, where):
    if isinstance(node, dict):
        if set(node) & {"nl", "fr", "en"}:
            check_text(node, where or "(file)")
            return
        for key, value in node.items():
            _check_tree(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_tree(value, f"{where}[{i}]")


def in_language(node, locale: str):
    """The printables' tree with every {nl, fr, en} replaced by its text in ``locale``."""
    if isinstance(node, dict):
        if set(node) & {"nl", "fr", "en"}:
            return localise(node, locale)
        return {key: in_language(value, locale) for key, value in node.items()}
    if isinstance(node, list):
        return [in_language(value, locale) for value in node]
    return node


@lru_cache(maxsize=4)
def _cached_printables(path: str) -> dict:
    return load_printables(path)


def printable_texts(name: str, locale: str) -> dict:
    path = _directory() / "printables.yaml"
    if not path.is_file():
        path = SESSIONS / "printables.yaml"
    return in_language(_cached_printables(str(path))[name], locale)
