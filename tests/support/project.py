"""A project folder of its own for tests of the `gps-live` console command in a subprocess.

Flask puts the instance folder (secret key, setup token, SQLite database) beside the `app` package. A test
that starts a fresh server must not overwrite the developer's own `instance/`, so it runs the real
`gps-live` of the virtual environment on a folder whose code entries are links to this checkout: the
instance folder lands in that folder, everything else is the code under test.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINKED = ("app", "config.py", "gps_live.py", "run.py")
CONSOLE = Path(sys.executable).with_name("gps-live.exe" if os.name == "nt" else "gps-live")
# Settings a developer's shell may carry that would make the server under test something else.
FOREIGN = ("DATABASE_URL", "SECRET_KEY", "PUBLIC_URL", "PORT", "HOST", "SOCKETIO_MESSAGE_QUEUE",
           "RATELIMIT_STORAGE_URI", "GPS_ENV", "SESSIONS_DIR", "PROXY_COUNT")


class Project:
    def __init__(self, folder: Path):
        self.folder = folder
        self.instance = folder / "instance"
        for name in LINKED:
            (folder / name).symlink_to(ROOT / name, target_is_directory=(ROOT / name).is_dir())
        self.env = {name: value for name, value in os.environ.items() if name not in FOREIGN}
        # Ahead of the editable install's finder: `app` is imported through the links, as from this folder.
        self.env["PYTHONPATH"] = str(folder)
        self.env["PYTHONUNBUFFERED"] = "1"

    def console(self, *args: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess:
        """`gps-live ARGS` as a counsellor types it, from the virtual environment, without activating it."""
        assert CONSOLE.exists(), f"{CONSOLE} is missing: pip install -e . makes it"
        return subprocess.run([str(CONSOLE), *args], cwd=self.folder, env={**self.env, **extra_env},
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str, log: Path, **extra_env: str) -> subprocess.Popen:
        with open(log, "w") as out:
            return subprocess.Popen([str(CONSOLE), *args], cwd=self.folder, env={**self.env, **extra_env},
                                    stdout=out, stderr=subprocess.STDOUT)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
