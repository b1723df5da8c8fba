"""Every string a person sees is translated: extracted from the code and templates, looked up in each catalog."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
EXTRACT_COMMAND = "pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot ."
# Babel's default keywords (_, gettext, ngettext, …) and the `-k _l` of the command babel.cfg documents.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}


def mapping() -> tuple[list, dict]:
    """babel.cfg, read as pybabel reads it: the files the extraction looks at and how."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        return parse_mapping_cfg(handle)


def source_messages() -> set[str]:
    methods, options = mapping()
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), methods, keywords=KEYWORDS, options_map=options):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_babel_cfg_documents_the_extract_command_and_covers_code_and_templates():
    assert EXTRACT_COMMAND in (ROOT / "babel.cfg").read_text()
    assert EXTRACT_COMMAND in (ROOT / "README.md").read_text()
    methods, _options = mapping()
    assert dict(methods) == {"app/**.py": "python", "templates/**.html": "jinja2", "app/item_types/**.html": "jinja2"}


def test_the_committed_template_holds_every_form_label(extracted):
    """messages.pot is committed (the lead regenerates it once per release): a lazily translated label
    (`_l`) must be in it, or the `-k _l` was forgotten."""
    with open(ROOT / "app" / "translations" / "messages.pot", "rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    assert "Email address" in template and "Email address" in extracted


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


# --- compiled catalogs: at build or install, and at start only when missing -----------------------

def po_only_copy(folder: Path) -> Path:
    target = folder / "translations"
    shutil.copytree(ROOT / "app" / "translations", target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def translated(mo_path: Path, msgid: str) -> str:
    with open(mo_path, "rb") as handle:
        return read_mo(handle)[msgid].string


def test_start_compiles_a_missing_catalog(tmp_path):
    from app.i18n import compile_missing_catalogs

    translations = po_only_copy(tmp_path)
    compile_missing_catalogs(translations)
    assert translated(translations / "fr" / "LC_MESSAGES" / "messages.mo", "Log in") == "Se connecter"


def test_start_never_fails_when_a_catalog_cannot_be_written(tmp_path, caplog):
    from app.i18n import compile_missing_catalogs

    translations = po_only_copy(tmp_path)
    blocked = translations / "nl" / "LC_MESSAGES" / "messages.mo"
    blocked.mkdir()  # a folder where the file goes: cannot be written, even by root
    os.utime(blocked, (0, 0))  # and older than the .po, so the start tries
    compile_missing_catalogs(translations)  # a read-only install still starts
    assert "could not be compiled" in caplog.text
    assert not list(translations.rglob("*.tmp"))  # no half-written file left behind


def test_building_the_package_compiles_the_catalogs(tmp_path):
    """setup.py's build step, as `pip install` and `pip wheel` run it, on a copy of the sources without .mo."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "app", project / "app", ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    for name in ("setup.py", "pyproject.toml", "config.py", "gps_live.py"):
        shutil.copy(ROOT / name, project / name)
    done = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path / "lib")],
                          cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    built = tmp_path / "lib" / "app" / "translations"
    assert translated(built / "nl" / "LC_MESSAGES" / "messages.mo", "Log in") == "Inloggen"
    assert {path.parent.parent.name for path in built.glob("*/LC_MESSAGES/messages.mo")} == {"nl", "fr", "en"}
