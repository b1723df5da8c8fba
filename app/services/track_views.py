"""What the girl's phone and the coach's view are sent about a track (separate shapes per audience).

Her phone gets her own track only: her messages, her answers, her conversation with her coach. The coach
gets the same plus the staff notes; nobody else gets anything.
"""
from __future__ import annotations

from .. import item_types
from ..content.guide import blogger
from ..models import Signal
from ..models_tracks import SupportMessage, Track
from ..programme import programme
from . import snapshots, support, tracks


def _iso(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def track_state(track: Track) -> str:
    return "closed" if track.is_closed else "paused" if track.is_paused else "open"


def track_view(track: Track, done: dict) -> dict:
    view = {"id": track.id, "key": track.key, "state": track_state(track),
            "pseudonym": track.pseudonym, "open_modules": list(track.open_modules or [])}
    view.update(tracks.progress(track, done))
    return view


def item_view(item, number: int, locale: str, answer) -> dict:
    """One blogger message; the solution and the blogger's info come with her answer (self-paced)."""
    shown = answer is not None
    view = snapshots.message_view(item, locale, number=number, individual=True, results=shown, info=shown)
    view.update(module=item.module_number,
                module_title=programme().module(item.module_number).text("title", locale),
                answer=answer.value if shown else None, answered_at=_iso(answer.created_at) if shown else None)
    return view


def inbox(track: Track, locale: str, done: dict) -> list[dict]:
    """Her answered messages (to reread) and her current one, in track order; numbered in the order she
    answered them (her current one comes next), so the count is hers, not the programme's."""
    current = tracks.current_item(track, done)
    order = {item_id: n for n, item_id in enumerate(done, 1)}
    return [item_view(item, order.get(item.id, len(done) + 1), locale, done.get(item.id))
            for item in tracks.sequence() if item.id in done or item is current]


def message_row(message: SupportMessage) -> dict:
    return {"id": message.id, "from": message.sender, "text": message.body,
            "at": _iso(message.created_at), "read": message.read_at is not None}


def signal_row(signal: Signal, track: Track) -> dict:
    return {"id": signal.id, "track": track.id, "pseudonym": track.pseudonym, "kind": signal.kind,
            "at": _iso(signal.created_at)}


def modules_view(track: Track, locale: str, done: dict) -> list[dict]:
    rows = tracks.module_states(track, done)
    for row in rows:
        row["title"] = programme().module(row["number"]).text("title", locale)
        row["done_at"] = _iso(row["done_at"])
    return rows


def girl_snapshot(track: Track) -> dict:
    locale, done = track.locale, tracks.answered(track)
    current = tracks.current_item(track, done)
    notice = programme().module(current.module_number).text("girl_notice", locale) if current else None
    open_kinds = sorted({s.kind for s in support.open_signals(track)})
    return {"track": track_view(track, done), "me": {"pseudonym": track.pseudonym, "locale": locale},
            "notice": notice, "inbox": inbox(track, locale, done), "modules": modules_view(track, locale, done),
            "messages": [message_row(m) for m in track.messages], "reply_within": track.squad.reply_within,
            "signal_open": bool(open_kinds), "signals_open": open_kinds, "blogger": blogger()}


def facilitator_snapshot(track: Track, locale: str) -> dict:
    done = tracks.answered(track)
    rows = inbox(track, locale, done)
    for row, item in zip(rows, _items_of(rows)):
        row["staff_notes"] = item.staff_notes(locale, individual=True)  # a track is always one-to-one
        row["info"] = item.text("info", locale, individual=True)
        row["answer_key"] = item.text("answer_key", locale)
        row["solution"] = item_types.solution(item, locale)
        # her one answer in the chart the dashboard knows (results.js), marked against the solution
        row["aggregate"] = item_types.aggregate(item, [row["answer"]]) if row["answer"] else None
    for row in rows:  # the run's own hide applies to a track's answers too
        answer = done.get(row["id"])
        row["answer_id"], row["hidden"] = (answer.id, answer.hidden) if answer is not None else (None, False)
        row["run"] = answer.run_id if answer is not None else None  # facilitator:hide names the module's run
    return {"track": track_view(track, done), "joined": track.token_hash is not None,
            "invitation_pending": track.invite_hash is not None, "modules": modules_view(track, locale, done),
            "inbox": rows, "messages": [message_row(m) for m in track.messages],
            "signals": [signal_row(s, track) for s in support.open_signals(track)]}


def _items_of(rows: list[dict]) -> list:
    return [programme().item(row["id"]) for row in rows]
