"""The `gps-live` console command (see `gps-live --help`); `python run.py` calls the same `main`.

This module sits outside the `app` package on purpose: importing anything from `app` loads Flask,
SQLAlchemy and ssl, and gevent's monkey patching must come before all of them, but only when the command
starts the server (the administration commands run without gevent).
"""
from __future__ import annotations

import sys

# Options of the start command that take a value: their value is not a subcommand's name.
VALUE_OPTIONS = ("--host", "--port")
NO_SERVER = ("--help", "-h", "--version")


def serves(argv: list[str]) -> bool:
    """True when these arguments start the server: no subcommand, no --help or --version."""
    skip_next = False
    for argument in argv:
        if skip_next:
            skip_next = False
        elif argument in NO_SERVER:
            return False
        elif argument in VALUE_OPTIONS:
            skip_next = True
        elif not argument.startswith("-"):
            return False  # a subcommand (or a mistyped one, which is reported without starting anything)
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if serves(argv):
        from gevent import monkey

        monkey.patch_all()
    from app.console import run_command

    return run_command(argv)


if __name__ == "__main__":
    sys.exit(main())
