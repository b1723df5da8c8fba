"""The optional timer of the current message (issue 15): the counsellor starts it, phones and projector count down.

The timer only informs: answering stays open when it runs out, unless the counsellor ticked "close answers when
time is up" when starting it. That choice is kept with the item's reveals, so it belongs to this message only;
moving to another message drops the timer. No background job closes anything: the answer check reads the clock
(the database is the truth, whatever worker a phone lands on).
"""
from __future__ import annotations

from typing import Callable

from ..models import InvalidTransition, Run, RunState, utcnow
from . import runs

MIN_SECONDS, MAX_SECONDS = 15, 30 * 60


def start(seconds: object, closes: object) -> Callable[[Run], None]:
    """A move for runs.change: start (or restart) the timer of the current message."""
    def move(run: Run) -> None:
        _require_live(run)
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
            raise InvalidTransition("bad_timer")
        run.timer_seconds, run.timer_started_at = seconds, utcnow()
        _set_closes(run, bool(closes))
    return move


def stop(run: Run) -> None:
    """A move for runs.change: take the timer away (answering stays as it is)."""
    _require_live(run)
    clear(run)
    _set_closes(run, False)


def clear(run: Run) -> None:
    """Called when the current message changes: a timer belongs to one message."""
    run.timer_seconds = run.timer_started_at = None


def _require_live(run: Run) -> None:
    if run.state is RunState.ENDED:
        raise InvalidTransition("timer_run_ended")
    if run.state is not RunState.LIVE or runs.current_item(run) is None:
        raise InvalidTransition("not_started")


def _set_closes(run: Run, closes: bool) -> None:
    item_id = runs.current_item(run).id
    shown = dict(run.reveals.get(item_id, {}))
    shown["timer_closes"] = closes
    run.reveals = {**run.reveals, item_id: shown}


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
