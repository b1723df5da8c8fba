"""The .po catalogs compiled to .mo: when the package is built or installed (setup.py) and, for what is
missing or older than its .po, when the app starts (app/i18n.py).

Only Babel is imported here, so setup.py can load this file by its path, without Flask or the app package.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogs(source: Path, target: Path | None = None) -> list[Path]:
    """Compile every `<lang>/LC_MESSAGES/messages.po` under `source` whose .mo under `target` (default: beside
    it) is missing or older; returns the .mo files written. Raises OSError when one cannot be written.

    Each .mo is written to a temporary file and renamed, because several server processes may start at once.
    """
    target = target or source
    written = []
    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write_mo(handle, catalog)
            os.replace(tmp, mo_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(mo_path)
    return written
