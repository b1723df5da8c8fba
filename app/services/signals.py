"""Private signals from a girl to staff: "I want to talk", "I need a break", "talk after"."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Participant, Run, Signal, utcnow
from ..refusals import Refused

KINDS = ("talk", "break", "talk_after")


def send(run: Run, participant: Participant, kind: object) -> tuple[Signal, bool]:
    """Store her signal; returns (signal, is_new). Pressing the same button again merges (see `unseen_like`)."""
    if kind not in KINDS:
        raise Refused("unknown_kind")
    earlier = unseen_like(Signal, Signal.participant_id == participant.id, kind)
    if earlier is not None:
        return earlier, False
    signal = Signal(run_id=run.id, participant_id=participant.id, kind=kind)
    db.session.add(signal)
    db.session.commit()
    return signal, True


def unseen_like(model, from_her, kind: str):
    """The one rule for every way of working: a signal merges into an earlier one of the SAME kind from the same
    girl that staff have not seen yet, so one phone pressing again and again gives one entry; a signal of another
    kind ("I want to talk" after "I need a break") is never swallowed."""
    query = select(model).where(from_her, model.kind == kind, model.acknowledged_at.is_(None)).order_by(model.id)
    return db.session.scalars(query).first()


def acknowledge(run: Run, signal_id: object) -> Signal:
    signal = db.session.get(Signal, signal_id) if isinstance(signal_id, int) else None
    if signal is None or signal.run_id != run.id:
        raise Refused("unknown_signal")
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
