"""What the projector shows of the live message, and the counsellor's moves that only the projector follows.

A projector is read from six metres and nobody scrolls it, so it shows one thing at a time: while the girls
answer, the choices; after the reveal, the group's results; then the blogger's info, split by sentences into
parts short enough to stay readable (at least 36 px body text on a 1920x1080 image), which the counsellor steps
through. The page itself sizes the type to the space (static/js/presenter.js); the split keeps that type large.
"""
from __future__ import annotations

import math
import re
from typing import Callable

from ..languages import LANGUAGES
from ..models import Run, RunState
from ..refusals import Refused
from . import runs

# Characters of info per part: at the smallest allowed type the info panel holds about 14 lines of 60 to 90
# characters under the question (measured with tests/browser/test_projector_browser.py); 420 leaves room for
# long French words and a two-line question.
INFO_PART_CHARS = 420
THEMES = ("dark", "light")
# After . ! ? or … and an ordinary space, unless a lower-case word follows ("bv. een", "enz. en": an abbreviation)
# or a closing quote or bracket; never at a non-breaking space ("Non !" in French keeps its "»").
SENTENCE_END = re.compile(r"(?<=[.!?…])[ \t]+(?![a-zà-ÿ»)\]”’\"])|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text or "") if s and s.strip()]


def _cut_long(sentence: str, budget: int) -> list[str]:
    """A sentence longer than a whole part is cut between words (never inside one)."""
    pieces, current = [], ""
    for word in re.split(r"[ \t]+", sentence.strip()):  # a non-breaking space stays inside its "word"
        if current and len(current) + 1 + len(word) > budget:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return pieces + ([current] if current else [])


def info_parts(text: str | None, budget: int | None = None) -> list[str]:
    """The info in parts of whole sentences, as even as the sentences allow, none longer than `budget`.

    Even parts read better than one full part and a last line: 500 characters become 2 x 250, not 420 + 80.
    """
    budget = budget or INFO_PART_CHARS
    pieces = [p for s in sentences(text) for p in (_cut_long(s, budget) if len(s) > budget else [s])]
    if not pieces:
        return []
    total = sum(len(p) for p in pieces) + len(pieces) - 1
    target = min(budget, math.ceil(total / math.ceil(total / budget)))
    parts, current = [], ""
    for piece in pieces:
        joined = f"{current} {piece}".strip()
        # Close the part where it ends nearest the even length, never past the budget.
        if current and (len(joined) > budget or abs(len(joined) - target) > abs(len(current) - target)):
            parts.append(current)
            joined = piece
        current = joined
    return parts + [current]


def phase(run: Run, item) -> str:
    """answering -> results -> info: what the room sees of the live message."""
    if runs.is_revealed(run, item.id, "info"):
        return "info"
    return "results" if runs.is_revealed(run, item.id, "results") else "answering"


def info_part_index(run: Run, item, count: int) -> int:
    stored = run.reveals.get(item.id, {}).get("info_part", 0)
    return min(max(stored if isinstance(stored, int) else 0, 0), max(count - 1, 0))


def info_view(run: Run, item, locale: str) -> dict | None:
    """The part of the info on screen now, with its place ("1/2"); None before the info is revealed."""
    if phase(run, item) != "info":
        return None
    parts = info_parts(item.text("info", locale))
    if not parts:
        return None
    index = info_part_index(run, item, len(parts))
    return {"text": parts[index], "index": index, "count": len(parts)}


def info_part_count(item) -> int:
    return max(len(info_parts(item.text("info", locale))) for locale in LANGUAGES)


def staff_info_view(run: Run, item) -> dict | None:
    """The dashboard's "part 1/2" and its buttons: counted over the languages, as the steps are."""
    if phase(run, item) != "info":
        return None
    count = info_part_count(item)
    return {"index": info_part_index(run, item, count), "count": count} if count else None


def step_info_part(step: object) -> Callable[[Run], None]:
    """A move for runs.change: the next (+1) or previous (-1) part of the live message's info.

    The number of parts follows the longest language's split, so every projector of the run has a part to show
    (a shorter language simply stays on its last part)."""
    def move(run: Run) -> None:
        if step not in (1, -1) or isinstance(step, bool):
            raise Refused("bad_step")
        item = _live_item(run)
        if phase(run, item) != "info":
            raise Refused("info_not_shown")
        count = info_part_count(item)
        index = info_part_index(run, item, count) + step
        if not 0 <= index < count:
            raise Refused("no_info_part")
        shown = dict(run.reveals.get(item.id, {}))
        shown["info_part"] = index
        run.reveals = {**run.reveals, item.id: shown}
    return move


def set_theme(theme: object) -> Callable[[Run], None]:
    """A move for runs.change: dark (default) or light, for rooms that cannot be darkened."""
    def move(run: Run) -> None:
        if theme not in THEMES:
            raise Refused("bad_theme")
        if run.state is RunState.ENDED:
            raise Refused("run_ended")
        run.screen_theme = theme
    return move


def _live_item(run: Run):
    if run.state is not RunState.LIVE:
        raise Refused("run_ended" if run.state is RunState.ENDED else "not_started")
    return runs.current_item(run)
