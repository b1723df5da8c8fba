"""Profile the server under bench.load with py-spy and print the top functions (issue 16).

    python -m bench.profile --squads 100 --out profile.raw          # bench.load (any of its options), py-spy on ours
    python -m bench.profile --summarize profile.raw                 # the summary of a recorded profile again

py-spy (`pip install -e ".[test]"`) samples the server process the benchmark starts (its pid is printed on
stderr as `[gps-live] pid N …`) from the moment it is up until it stops (the baseline, if measured, runs
after it and is not sampled), in py-spy's "raw" format
(one line per distinct stack, frames separated by `;`, then the sample count). The summary lists the functions
with the most samples of their own (self) and with the most samples in them or below (inclusive), ignoring the
gevent hub's idle wait, so the shares are of the time the process was busy.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from .server import PYTHON, ROOT

IDLE = ("run (gevent/hub.py", "wait (gevent/hub.py", "select (selectors.py", "poll (", "_wait_for_io")
PID = re.compile(r"\[gps-live\] pid (\d+)")


def record(load_args: list[str], out: Path, rate: int, cwd: Path) -> int:
    """Run bench.load in `cwd` and py-spy on our server while it runs; returns bench.load's exit code."""
    spy = shutil.which("py-spy") or str(Path(PYTHON).with_name("py-spy"))
    load = subprocess.Popen([PYTHON, "-m", "bench.load", *load_args], cwd=cwd,
                            stderr=subprocess.PIPE, text=True)
    spying = None
    for line in load.stderr:
        sys.stderr.write(line)
        found = PID.search(line)
        if found and spying is None:
            spying = subprocess.Popen([spy, "record", "--pid", found.group(1), "--rate", str(rate), "--nonblocking",
                                       "--format", "raw", "--output", str(out)], stdout=subprocess.DEVNULL)
    code = load.wait()
    if spying is not None:
        spying.wait(timeout=60)  # py-spy stops and writes its file when the server exits
    return code


def summarize(raw: Path, top: int = 15) -> str:
    own, inclusive, busy = Counter(), Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or not stack:
            continue
        frames = [frame for frame in stack.split(";") if not frame.startswith(("process ", "thread "))]
        if not frames or any(frames[-1].startswith(idle) for idle in IDLE):
            continue  # the loop waiting for work: not a cost
        samples = int(count)
        busy += samples
        own[_name(frames[-1])] += samples
        for name in {_name(frame) for frame in frames}:
            inclusive[name] += samples
    lines = [f"busy samples: {busy}", "", f"{'self %':>7}  function"]
    lines += [f"{100 * n / busy:>6.1f}%  {name}" for name, n in own.most_common(top)] if busy else []
    lines += ["", f"{'incl. %':>7}  function (ours, and the libraries' entry points)"]
    ours = [(name, n) for name, n in inclusive.most_common() if "/app/" in name or "sqlalchemy" in name
            or "socketio" in name or "flask" in name or "jinja2" in name]
    lines += [f"{100 * n / busy:>6.1f}%  {name}" for name, n in ours[:top * 2]] if busy else []
    return "\n".join(lines)


def _name(frame: str) -> str:
    """`function (path/to/file.py:line)` -> `function (file path from site-packages or the project)`."""
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    function, path = match.groups()
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{function} ({'/app/' + path[4:] if path.startswith('app/') else path})"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n")[0])
    parser.add_argument("--summarize", metavar="RAW", help="only summarize a recorded profile")
    parser.add_argument("--out", default="profile.raw", help="where py-spy writes the profile")
    parser.add_argument("--rate", type=int, default=50, help="samples per second")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--root", default=str(ROOT), help="the tree whose app and bench are run (a copy: 'before')")
    args, load_args = parser.parse_known_args(argv)
    if not args.summarize:
        record(load_args, Path(args.out).resolve(), args.rate, Path(args.root))
    print(summarize(Path(args.summarize or args.out), args.top))


if __name__ == "__main__":
    main(sys.argv[1:])
