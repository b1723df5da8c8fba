"""Private signals from a girl to staff: "I want to talk", "I need a break", "talk after"."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Participant, Run, Signal, utcnow

KINDS = ("talk", "break", "talk_after")
# One phone pressing again and again gives one entry on the dashboard.
REPEAT_WINDOW = timedelta(minutes=2)


class SignalRefused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def send(run: Run, participant: Participant, kind: object) -> tuple[Signal, bool]:
    """Store her signal; returns (signal, is_new). A repeat within the window returns the open one."""
    if kind not in KINDS:
        raise SignalRefused("unknown_kind")
    recent = _recent_open(participant)
    if recent is not None:
        return recent, False
    signal = Signal(run_id=run.id, participant_id=participant.id, kind=kind)
    db.session.add(signal)
    db.session.commit()
    return signal, True


def _recent_open(participant: Participant) -> Signal | None:
    query = select(Signal).where(Signal.participant_id == participant.id, Signal.acknowledged_at.is_(None),
                                 Signal.created_at >= utcnow() - REPEAT_WINDOW)
    return db.session.scalars(query).first()


def acknowledge(run: Run, signal_id: object) -> Signal:
    signal = db.session.get(Signal, signal_id) if isinstance(signal_id, int) else None
    if signal is None or signal.run_id != run.id:
        raise SignalRefused("unknown_signal")
    signal.acknowledged_at = signal.acknowledged_at or utcnow()
    db.session.commit()
    return signal


def open_signals(run: Run) -> list[dict]:
    query = select(Signal).where(Signal.run_id == run.id, Signal.acknowledged_at.is_(None)).order_by(Signal.created_at)
    return [signal_row(s) for s in db.session.scalars(query)]


def all_signals(run: Run) -> list[dict]:
    """Every signal of the run, oldest first: seen ones stay on the dashboard, greyed (issue 15)."""
    query = select(Signal).where(Signal.run_id == run.id).order_by(Signal.created_at, Signal.id)
    return [signal_row(s) for s in db.session.scalars(query)]


def counts_by_kind(run: Run) -> dict[str, list[Signal]]:
    """The run's signals per kind, for the report."""
    grouped: dict[str, list[Signal]] = {kind: [] for kind in KINDS}
    query = select(Signal).where(Signal.run_id == run.id).order_by(Signal.created_at, Signal.id)
    for signal in db.session.scalars(query):
        grouped.setdefault(signal.kind, []).append(signal)
    return grouped


def signal_row(signal: Signal) -> dict:
    return {"id": signal.id, "participant": signal.participant_id, "pseudonym": signal.participant.pseudonym,
            "kind": signal.kind, "at": signal.created_at.isoformat() + "Z", "seen": signal.acknowledged_at is not None}
