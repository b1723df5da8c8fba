"""The optional timer of the current message (issue 15): the counsellor starts it, phones and projector count down.

The timer only informs: answering stays open when it runs out, unless the counsellor ticked "close answers when
time is up" when starting it. That choice is kept with the item's reveals, so it belongs to this message only;
moving to another message drops the timer. No background job closes anything: the answer check reads the clock
(the database is the truth, whatever worker a phone lands on).
"""
from __future__ import annotations

from typing import Callable

from ..models import Run, utcnow
from . import runs

MIN_SECONDS, MAX_SECONDS = 15, 30 * 60


def start(seconds: object, closes: object) -> Callable[[Run], None]:
    """A move for runs.change: start (or restart) the timer of the current message."""
    valid = isinstance(seconds, int) and not isinstance(seconds, bool) and MIN_SECONDS <= seconds <= MAX_SECONDS
    return lambda run: run.start_timer(seconds if valid else None, bool(closes), _current_id(run))


def stop(run: Run) -> None:
    """A move for runs.change: take the timer away (answering stays as it is)."""
    run.stop_timer(_current_id(run))


def _current_id(run: Run) -> str | None:
    current = runs.current_item(run)
    return current.id if current is not None else None


def remaining(run: Run) -> float | None:
    if run.timer_seconds is None or run.timer_started_at is None:
        return None
    left = run.timer_seconds - (utcnow() - run.timer_started_at).total_seconds()
    return max(round(left, 1), 0.0)


def view(run: Run) -> dict | None:
    """What every audience gets: the length, the seconds left when this was sent, and whether it closes answers."""
    left = remaining(run)
    if left is None or runs.current_item(run) is None:
        return None
    closes = runs.is_revealed(run, runs.current_item(run).id, "timer_closes")
    return {"seconds": run.timer_seconds, "remaining": left, "closes": closes}


def closed_answers(run: Run, item) -> bool:
    """True once a timer that was set to close answering has run out on this item."""
    current = runs.current_item(run)
    return (current is not None and current.id == item.id and runs.is_revealed(run, item.id, "timer_closes")
            and remaining(run) == 0.0)
