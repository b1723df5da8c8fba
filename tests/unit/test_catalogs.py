"""Every string a person sees is translated: extracted from the code and templates, looked up in each catalog."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def extracted():
    messages = source_messages()
    assert len(messages) > 100  # the extraction really ran
    return messages


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_catalog_translates_every_string(locale, extracted):
    with open(ROOT / "app" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = []
    for msgid in sorted(extracted):
        entry = catalog.get(msgid)
        strings = entry.string if entry else None
        forms = strings if isinstance(strings, (list, tuple)) else [strings]
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(msgid)
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}"
