"""The coach's attention view (issue 13): what needs one staff member now, across all HER squads.

Four kinds of item, each found with one statement (four in all, whatever the number of squads):
- an unseen signal ("I want to talk", "I need a break", "talk afterwards") in a run of her squads, a module of
  an online track included (each module of a track is a run with `Run.track_id`);
- unread messages from a girl in one of her tracks, one item per track with their number;
- a low check-in: the answer to a check-in scale is one of its two lowest points, not yet seen by staff;
- an open track she joined that has been quiet for ATTENTION_IDLE_DAYS.

Only squads she owns count, for an admin too: the view is her own desk, not the house's. Nothing here looks at
the content of answers or messages beyond the check-in's value; rows name the girl by her pseudonym only.
"""
from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Answer, Facilitator, Participant, Run, Signal, Squad, SquadMode, utcnow
from ..models_tracks import SupportMessage, Track
from ..programme import programme
from ..refusals import Refused

# A check-in says how she is *that day*. Three days keep a Friday evening's answer in view on Monday morning;
# older ones are about a day that has passed (the run's report still has them), and would bury fresh ones.
CHECKIN_FRESH_DAYS = 3
LOW_POINTS = 2  # "the lowest two points of a check-in scale"
KIND_ORDER = ("signal", "messages", "checkin", "idle")  # most urgent first


# --- the check-in items of the programme ----------------------------------------------------------

_lows_of: dict[int, tuple] = {}  # id(programme) -> (programme, lows): looked up on every answer, built once


def low_checkin_values() -> dict[str, dict[int, str]]:
    """item id -> {value: emoji} of the two lowest points, for every check-in scale of the programme."""
    loaded = programme()
    cached = _lows_of.get(id(loaded))
    if cached is not None and cached[0] is loaded:
        return cached[1]
    lows = {}
    for item in loaded.items():
        if item.role == "checkin" and item.type == "scale":
            points = sorted(item.data["points"], key=lambda point: point["value"])[:LOW_POINTS]
            lows[item.id] = {point["value"]: point["emoji"] for point in points}
    _lows_of.clear()
    _lows_of[id(loaded)] = (loaded, lows)
    return lows


def is_low_checkin(item_id: str, value: object) -> bool:
    """Her answer to a check-in scale is one of its lowest points (a skipped or other answer is not)."""
    lows = low_checkin_values().get(item_id)
    return bool(lows) and isinstance(value, dict) and value.get("value") in lows


def is_checkin(item_id: object) -> bool:
    return isinstance(item_id, str) and item_id in low_checkin_values()


# --- what needs her -------------------------------------------------------------------------------

def state_for(owner_id: int, now: datetime | None = None) -> dict:
    """{count, items}: every item of the view, most urgent kind first, newest first within a kind."""
    now = now or utcnow()
    with _links():
        items = [*_signals(owner_id), *_messages(owner_id), *_checkins(owner_id, now), *_idle_tracks(owner_id, now)]
    items.sort(key=lambda row: row["at"], reverse=True)
    items.sort(key=lambda row: KIND_ORDER.index(row["kind"]))
    return {"count": len(items), "items": items}


def count_for(owner_id: int) -> int:
    return state_for(owner_id)["count"]


def signal_item(signal_id: int, kind: str, at: datetime, run_id: int, track_id: int | None, module: int,
                pseudonym: str, squad: str) -> dict:
    return {"kind": "signal", "key": f"signal-{signal_id}", "signal": signal_id, "signal_kind": kind, "at": _iso(at),
            "run": run_id, "track": track_id, "module": module, "pseudonym": pseudonym, "squad": squad,
            "url": _link(run_id, track_id)}


def checkin_item(answer_id: int, item_id: str, value: int, at: datetime, run_id: int, track_id: int | None,
                 module: int, pseudonym: str, squad: str) -> dict:
    return {"kind": "checkin", "key": f"checkin-{answer_id}", "answer": answer_id, "item": item_id, "value": value,
            "emoji": low_checkin_values()[item_id][value], "at": _iso(at), "run": run_id, "track": track_id,
            "module": module, "pseudonym": pseudonym, "squad": squad, "url": _link(run_id, track_id)}


def signal_key(signal_id: int) -> str:
    return f"signal-{signal_id}"


def checkin_key(answer_id: int) -> str:
    return f"checkin-{answer_id}"


def _signals(owner_id: int) -> list[dict]:
    query = (select(Signal.id, Signal.kind, Signal.created_at, Signal.run_id, Run.track_id, Run.module_number,
                    Participant.pseudonym, Squad.name)
             .join(Participant, Signal.participant_id == Participant.id)
             .join(Run, Signal.run_id == Run.id).join(Squad, Run.squad_id == Squad.id)
             .where(Squad.owner_id == owner_id, Signal.acknowledged_at.is_(None), Run.purged_at.is_(None)))
    return [signal_item(*row) for row in db.session.execute(query)]


def _messages(owner_id: int) -> list[dict]:
    query = (select(Track.id, Track.pseudonym, Squad.name, func.count(SupportMessage.id),
                    func.max(SupportMessage.created_at))
             .join(Track, SupportMessage.track_id == Track.id).join(Squad, Track.squad_id == Squad.id)
             .where(Squad.owner_id == owner_id, SupportMessage.sender == "girl", SupportMessage.read_at.is_(None))
             .group_by(Track.id, Track.pseudonym, Squad.name))
    # The key carries the number: a further message makes it a new item (told once more; it stays one item).
    return [{"kind": "messages", "key": f"messages-{track_id}-{number}", "track": track_id, "count": number,
             "at": _iso(latest), "pseudonym": pseudonym, "squad": squad, "url": _link(None, track_id)}
            for track_id, pseudonym, squad, number, latest in db.session.execute(query)]


def _checkins(owner_id: int, now: datetime) -> list[dict]:
    lows = low_checkin_values()
    if not lows:
        return []
    values = sorted({value for points in lows.values() for value in points})
    query = (select(Answer.id, Answer.item_id, Answer.value, Answer.updated_at, Answer.run_id, Run.track_id,
                    Run.module_number, Participant.pseudonym, Squad.name)
             .join(Participant, Answer.participant_id == Participant.id)
             .join(Run, Answer.run_id == Run.id).join(Squad, Run.squad_id == Squad.id)
             .where(Squad.owner_id == owner_id, Answer.item_id.in_(lows), Answer.seen_at.is_(None),
                    Answer.skipped.is_(False), Run.purged_at.is_(None),
                    Answer.updated_at >= now - timedelta(days=CHECKIN_FRESH_DAYS),
                    Answer.value["value"].as_integer().in_(values)))
    # The SQL filter takes the union of the scales' lowest points; is_low_checkin is exact per item.
    return [checkin_item(answer_id, item_id, value["value"], *rest)
            for answer_id, item_id, value, *rest in db.session.execute(query) if is_low_checkin(item_id, value)]


def _idle_tracks(owner_id: int, now: datetime) -> list[dict]:
    """Open, joined, not paused online tracks whose last activity (the track's own, or an answer in one of its modules)
    is older than ATTENTION_IDLE_DAYS. A message or a module the coach opens counts as activity too: reaching
    out to her is what takes the item off the list, for another N days."""
    cutoff = now - timedelta(days=current_app.config["ATTENTION_IDLE_DAYS"])
    modules = (select(func.max(Run.last_activity_at)).where(Run.track_id == Track.id)
               .correlate(Track).scalar_subquery())
    query = (select(Track.id, Track.pseudonym, Squad.name, Track.last_activity_at, Track.joined_at, modules)
             .join(Squad, Track.squad_id == Squad.id)
             .where(Squad.owner_id == owner_id, Squad.archived_at.is_(None), Track.closed_at.is_(None),
                    Squad.mode == SquadMode.ONLINE_INDIVIDUAL,  # an offline girl's enrolment meets her counsellor
                    Track.paused_at.is_(None), Track.joined_at.is_not(None)))
    rows = []
    for track_id, pseudonym, squad, own, joined, module_activity in db.session.execute(query):
        last = max(moment for moment in (own, joined, module_activity) if moment is not None)
        if last < cutoff:
            rows.append({"kind": "idle", "key": f"idle-{track_id}", "track": track_id, "at": _iso(last),
                         "days": (now - last).days, "pseudonym": pseudonym, "squad": squad,
                         "url": _link(None, track_id)})
    return rows


# --- links ------------------------------------------------------------------------------------------

def _link(run_id: int | None, track_id: int | None) -> str:
    """A track's items open the track's page; a run's, its dashboard."""
    if track_id:
        return url_for("facilitator.track", track_id=track_id)
    return url_for("facilitator.run", run_id=run_id)


def _links():
    """url_for needs a request; `notify` may be called outside one (a command, a background job)."""
    return nullcontext() if has_request_context() else current_app.test_request_context("/")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


# --- what staff do from the view ---------------------------------------------------------------------

def mark_checkin_seen(staff: Facilitator, answer_id: object) -> int:
    """Staff have seen her low check-in; returns the owner whose view changed. Only a check-in answer of a run
    of one of her squads (or any, for an admin), else `unknown_answer`."""
    found = db.session.execute(
        select(Answer, Squad.owner_id).join(Run, Answer.run_id == Run.id).join(Squad, Run.squad_id == Squad.id)
        .where(Answer.id == answer_id)).first() if isinstance(answer_id, int) else None
    if found is None or not is_checkin(found[0].item_id) or not (found[1] == staff.id or staff.is_admin):
        raise Refused("unknown_answer")
    answer, owner_id = found
    answer.seen_at = answer.seen_at or utcnow()
    db.session.commit()
    return owner_id


def mark_messages_read(track: Track) -> int:
    """The coach has her messages in front of her: every unread one from the girl is read now; returns how many."""
    result = db.session.execute(
        update(SupportMessage).where(SupportMessage.track_id == track.id, SupportMessage.sender == "girl",
                                     SupportMessage.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount or 0


def set_sound(staff: Facilitator, on: bool) -> None:
    staff.attention_sound = bool(on)
    db.session.commit()
