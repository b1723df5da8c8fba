"""The programme's vocabulary (``sessions/glossary.yaml``) and its check.

The check reads the module files and the UI catalogs as TEXT with line
numbers (not the loaded programme), so every problem names the file, the line,
the refused variant and the preferred term, e.g.

    sessions/module3.yaml:195: nl "waarschuwingssignaal" is refused, say "rode vlag" (red-flag)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.item_types.base import LANGUAGES

from .loader import ContentError, _read_yaml

ROOT = Path(__file__).resolve().parents[2]
CATALOG = "app/translations/{lang}/LC_MESSAGES/messages.po"
# Module-file fields only staff read: girl-only rules (``where: girls``) skip them.
STAFF_FIELDS = {"staff_notes", "answer_key", "transition", "split_group", "staff_intro", "content_note",
                "aim", "guide", "protocol"}
# Catalog entries used on the girls' pages (from the "#:" references).
GIRL_SOURCES = ("templates/participant", "app/participant", "templates/participant_base.html",
                "static/js/participant", "static/js/track", "templates/presenter")
AVOID_KEYS = {"word", "pattern", "exact", "case", "where", "only", "except", "allow", "say", "label"}


@dataclass(frozen=True)
class Variant:
    """One refused variant of a term in one language."""
    key: str
    lang: str
    preferred: str
    label: str
    regex: re.Pattern
    exact: bool = False
    girls_only: bool = False
    only: str | None = None
    exceptions: tuple = ()
    allow: dict = field(default_factory=dict)

    def applies(self, kind: str, girls: bool) -> bool:
        if self.only and self.only != kind:
            return False
        return girls or not self.girls_only

    def found(self, text: str) -> bool:
        text = same_apostrophes(text)
        if self.exact:
            return bool(self.regex.fullmatch(text.strip()))
        for match in self.regex.finditer(text):
            if not any(_covers(phrase, text, match) for phrase in self.exceptions):
                return True
        return False


APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " "})


def same_apostrophes(text: str) -> str:
    """A curly apostrophe or a no-break space must not hide a refused word ("signal d’alarme")."""
    return text.translate(APOSTROPHES)


def _covers(phrase, text, match):
    """The match lies inside an occurrence of an allowed phrase."""
    for ok in re.finditer(re.escape(phrase), text, re.IGNORECASE):
        if ok.start() <= match.start() and match.end() <= ok.end():
            return True
    return False


@dataclass(frozen=True)
class Glossary:
    terms: dict     # key -> {lang: preferred}
    variants: tuple  # every Variant

    def preferred(self, key: str, lang: str) -> str:
        return self.terms[key][lang]

    def refused(self, lang: str, kind: str, girls: bool):
        return [v for v in self.variants if v.lang == lang and v.applies(kind, girls)]


# ------------------------------------------------------------------ loading

def load_glossary(path) -> Glossary:
    path = Path(path)
    label = f"{path.parent.name}/{path.name}"
    if not path.is_file():
        raise ContentError(f"{label}: file not found (the programme's glossary)")
    raw = _read_yaml(path, label)
    if not isinstance(raw, dict) or not isinstance(raw.get("terms"), list) or set(raw) != {"terms"}:
        raise ContentError(f"{label}: field terms: the file must hold one list 'terms'")
    terms, variants = {}, []
    for i, term in enumerate(raw["terms"]):
        where = f"{label}: terms[{i}]"
        if not isinstance(term, dict) or not isinstance(term.get("key"), str):
            raise ContentError(f"{where}: field key: every term needs a key")
        unknown = set(term) - {"key", "note", *LANGUAGES}
        if unknown or set(LANGUAGES) - set(term):
            raise ContentError(f"{where} ({term['key']}): needs nl, fr and en (and optionally a note)")
        terms[term["key"]] = {}
        for lang in LANGUAGES:
            entry = term[lang]
            if not isinstance(entry, dict) or not isinstance(entry.get("use"), str) or set(entry) - {"use", "avoid"}:
                raise ContentError(f"{where} ({term['key']}): field {lang}: needs use: and optionally avoid: [...]")
            terms[term["key"]][lang] = entry["use"]
            for n, avoid in enumerate(entry.get("avoid") or ()):
                variants.append(_variant(avoid, term["key"], lang, entry["use"], f"{where} ({term['key']}): field {lang}.avoid[{n}]"))
    return Glossary(terms=terms, variants=tuple(variants))


def _variant(avoid, key, lang, preferred, where) -> Variant:
    if isinstance(avoid, str):
        avoid = {"word": avoid}
    if not isinstance(avoid, dict) or set(avoid) - AVOID_KEYS or ("word" in avoid) == ("pattern" in avoid):
        raise ContentError(f"{where}: a word, or a mapping with word: or pattern: ({', '.join(sorted(AVOID_KEYS))})")
    flags = 0 if avoid.get("case") else re.IGNORECASE
    if "word" in avoid:
        source = rf"(?<!\w){re.escape(avoid['word'])}(?!\w)"
        label = avoid["word"]
    else:
        source, label = avoid["pattern"], avoid["pattern"]
    try:
        regex = re.compile(source, flags)
    except re.error as exc:
        raise ContentError(f"{where}: bad pattern: {exc}") from None
    return Variant(key=key, lang=lang, preferred=avoid.get("say", preferred), label=avoid.get("label", label),
                   regex=regex, exact=bool(avoid.get("exact")),
                   girls_only=avoid.get("where") == "girls", only=avoid.get("only"),
                   exceptions=tuple(avoid.get("except") or ()), allow=dict(avoid.get("allow") or {}))


# ----------------------------------------------------------------- checking

def glossary_problems(glossary: Glossary, sessions_dir, catalogs_root=ROOT) -> list[str]:
    """Every refused variant in the module files and the catalogs' msgstr, one line each."""
    sessions_dir = Path(sessions_dir)
    problems = []
    for path in sorted(sessions_dir.glob("module*.yaml")) + [sessions_dir / "guide.yaml", sessions_dir / "printables.yaml"]:
        if path.is_file():
            problems += _check_texts(glossary, f"{sessions_dir.name}/{path.name}", path.name,
                                     yaml_texts(path), "content")
    for lang in LANGUAGES:
        path = Path(catalogs_root) / CATALOG.format(lang=lang)
        if path.is_file():
            problems += _check_texts(glossary, CATALOG.format(lang=lang), path.name,
                                     catalog_texts(path, lang), "catalogs")
    return problems


def _check_texts(glossary, label, filename, texts, kind):
    problems, allowed_left, reported = [], {}, set()
    for line, lang, text, girls in texts:
        for variant in glossary.refused(lang, kind, girls):
            if (line, lang, variant.key, variant.preferred) in reported or not variant.found(text):
                continue
            budget_key = (id(variant), lang)
            allowed_left.setdefault(budget_key, variant.allow.get(filename, 0))
            if allowed_left[budget_key] > 0:  # quoted on purpose, as the glossary allows
                allowed_left[budget_key] -= 1
                continue
            reported.add((line, lang, variant.key, variant.preferred))
            problems.append(f'{label}:{line}: {lang} "{variant.label}" is refused, '
                            f'say "{variant.preferred}" ({variant.key})')
    return problems


def yaml_texts(path):
    """(line, lang, text, girl_facing) for every {nl, fr, en} text in a YAML file, with its line."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, RecursionError):
        return []  # the loader reports the file itself
    found = []
    _walk(root, girls=True, found=found, seen=set())
    return found


def _walk(node, girls, found, seen):
    if id(node) in seen:  # an anchor used twice is checked once
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in LANGUAGES and isinstance(value, yaml.ScalarNode):
                found.append((value.start_mark.line + 1, name, value.value, girls))
            else:
                _walk(value, girls and name not in STAFF_FIELDS, found, seen)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            _walk(value, girls, found, seen)


_PO_STRING = re.compile(r'^(?:msgstr(?:\[\d+\])?\s+)?"(.*)"\s*$')


def catalog_texts(path, lang):
    """(line, lang, msgstr, girl_facing) for every msgstr of a .po file (continuation lines joined).

    The header (the msgstr of msgid "") is not a UI text and is left out."""
    found, refs, msgid, current, start = [], [], None, None, 0

    def close():
        if current and msgid != "":
            found.append((start, lang, _unescape("".join(current)), _girl_facing(refs)))

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = _PO_STRING.match(line)
        if line.startswith("msgstr"):
            close()
            current, start = [match.group(1) if match else ""], number
        elif line.startswith('"'):
            if current is not None:
                current.append(match.group(1) if match else "")
            elif msgid is not None:
                msgid += match.group(1) if match else ""
        else:
            close()
            current = None
            if line.startswith("msgid "):
                msgid = _PO_STRING.match(line[6:]).group(1) if _PO_STRING.match(line[6:]) else ""
            elif line.startswith("#:"):
                refs.append(line[2:])
            elif not line.strip():
                refs, msgid = [], None
    close()
    return found


def _girl_facing(refs):
    joined = " ".join(refs)
    return any(source in joined for source in GIRL_SOURCES)


def _unescape(text):
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
