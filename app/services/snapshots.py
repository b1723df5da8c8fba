"""What each audience is sent: separate outgoing shapes for phones, staff and the projector.

Phones never get other girls' pseudonyms or answers, nor correct answers before the reveal;
the projector never gets pseudonyms.
"""
from __future__ import annotations

from .. import item_types
from ..content.guide import blogger
from ..models import Participant, Run, RunState
from . import answers as answer_service
from . import participants as participant_service
from . import moderation, runs, signals, timers


def one_to_one(run: Run) -> bool:
    """An offline one-to-one run: the girl reads the individual variant of each text (issue 12)."""
    return run.squad.mode.value == "offline_individual"


def run_view(run: Run, locale: str) -> dict:
    module = runs.module_of(run)
    current = runs.current_item(run)
    return {"id": run.id, "state": run.state.value, "door_open": run.door_open, "module": module.number,
            "title": module.text("title", locale), "total": len(runs.items_of(run)),
            "index": run.current_index, "current": current.id if current else None, "timer": timers.view(run)}


def item_view(run: Run, item, locale: str) -> dict:
    """One inbox message as a phone shows it; the solution and info only once revealed."""
    results, info = runs.is_revealed(run, item.id, "results"), runs.is_revealed(run, item.id, "info")
    return message_view(item, locale, number=runs.items_of(run).index(item) + 1, individual=one_to_one(run),
                        results=results, info=info)


def message_view(item, locale: str, *, number: int, individual: bool, results: bool, info: bool) -> dict:
    """One blogger message for a girl's phone, in a group run, a one-to-one run or her track alike."""
    view = {"id": item.id, "number": number, "type": item.type, "channel": item.channel,
            "sensitive": item.sensitive, "message": item.text("message", locale, individual=individual),
            "question": item.text("question", locale, individual=individual),
            "config": item_types.public_config(item, locale)}
    view.update(reveal_view(item, locale, individual=individual, results=results, info=info))
    return view


def reveal_view(item, locale: str, *, individual: bool, results: bool, info: bool) -> dict:
    return {"revealed": {"results": results, "info": info},
            "solution": item_types.solution(item, locale) if results else None,
            "info": item.text("info", locale, individual=individual) if info else None}


def participant_snapshot(run: Run, participant: Participant) -> dict:
    locale = participant.locale
    mine = answer_service.of_participant(participant)
    inbox = []
    for item in runs.visible_items(run):
        view = item_view(run, item, locale)
        answer = mine.get(item.id)
        view["answer"] = answer.value if answer else None
        inbox.append(view)
    notice = runs.module_of(run).text("girl_notice", locale)
    snapshot = {"run": run_view(run, locale), "me": {"pseudonym": participant.pseudonym, "locale": locale},
                "notice": notice, "inbox": inbox, "blogger": blogger()}
    if run.state is RunState.ENDED and participant.track_id is not None:
        snapshot["next_module"] = next_module_view(participant)
    return snapshot


def next_module_view(participant: Participant) -> dict | None:
    """One-to-one: the join page of the next module her counsellor started with her, if there is one."""
    from flask import url_for

    from . import enrolments

    upcoming = enrolments.next_run_for(participant)
    if upcoming is None:
        return None
    return {"module": upcoming.module_number, "link": url_for("participant.join", token=upcoming.join_token)}


def participant_update(run: Run, locale: str) -> dict:
    """Sent to all phones of one language after a staff move: the run and the current item."""
    current = runs.current_item(run)
    return {"run": run_view(run, locale), "item": item_view(run, current, locale) if current else None}


def staff_item(run: Run, item, locale: str) -> dict:
    view = item_view(run, item, locale)
    solo = one_to_one(run)
    view.update(staff_notes=item.staff_notes(locale, individual=solo), info=item.text("info", locale, individual=solo),
                answer_key=item.text("answer_key", locale),
                solution=item_types.solution(item, locale), duration=item.duration)
    return view


def answer_row(answer) -> dict:
    return {"id": answer.id, "participant": answer.participant_id, "pseudonym": answer.participant.pseudonym,
            "item": answer.item_id, "value": answer.value, "skipped": answer.skipped, "hidden": answer.hidden}


def presence_of(participant: Participant) -> str:
    if participant.removed:
        return "left"
    return "online" if participant.connected else "offline"


def person_row(participant: Participant, answers_now: dict) -> dict:
    """One girl on the dashboard's list: where she is and how far with the current message, never her answer."""
    answer = answers_now.get(participant.id)
    progress = None if participant.removed else ("skipped" if answer and answer.skipped else
                                                 "answered" if answer else "thinking")
    return {"id": participant.id, "pseudonym": participant.pseudonym, "presence": presence_of(participant),
            "progress": progress}


def facilitator_snapshot(run: Run, locale: str) -> dict:
    current = runs.current_item(run)
    people = participant_service.active_in(run)
    rows = answer_service.counted(answer_service.for_item(run, current.id)) if current else []
    answers_now = {a.participant_id: a for a in rows}
    everyone = sorted(run.participants, key=lambda p: (p.removed, p.joined_at))
    snapshot = {"run": run_view(run, locale), "code": run.join_code,
                "items": [{"id": i.id, "type": i.type, "sensitive": i.sensitive,
                           "question": i.text("question", locale, individual=one_to_one(run))}
                          for i in runs.items_of(run)],
                "participants": [person_row(p, answers_now if current else {}) for p in everyone],
                "signals": signals.all_signals(run), "item": None, "answers": [], "counts": None,
                "aggregate": None, "individual": run.squad.mode.value == "offline_individual",
                "self_paced": run.self_paced}
    if current:
        # Counted from the rows just read, not in three statements more (issue 16: a move pushes this snapshot).
        snapshot.update(item=staff_item(run, current, locale), answers=[answer_row(a) for a in rows],
                        counts=answer_service.counts_of(rows, len(people)),
                        aggregate=answer_service.aggregate_of(current, rows))
    snapshot["moderation"] = moderation.staff_view(run, current, rows)  # issue 15: what waits for approval
    snapshot["screen"] = screen_staff_view(run, current, rows)
    return snapshot


def screen_staff_view(run: Run, item, rows: list | None = None) -> dict:
    """The projector as the dashboard's screen panel needs it: theme, info part, and whether results stay private.
    `rows`: the item's counted answers, if the caller has read them."""
    from . import screen_state

    part = screen_state.staff_info_view(run, item) if item else None
    private = moderation.screen_aggregate(run, item, rows)[1] if item else False
    return {"theme": run.screen_theme, "phase": screen_state.phase(run, item) if item else None,
            "info_part": part["index"] if part else None, "info_parts": part["count"] if part else 0,
            "private": private}


def presenter_tallies(run: Run) -> tuple[int, dict | None]:
    """The numbers every language's projector shows (joined, counts): counted once per change, not per language."""
    current = runs.current_item(run)
    if current is None:
        return participant_service.count_active(run), None
    counts = answer_service.counts(run, current)  # the girls counted in the same statement
    return counts["joined"], counts


def presenter_snapshot(run: Run, locale: str, tallies: tuple[int, dict | None] | None = None) -> dict:
    """What the projector shows (issue 15): one phase of the live message, no pseudonyms, no full info text,
    no distribution below the small-group limit and no open answer staff have not approved."""
    from . import screen_state

    current = runs.current_item(run)
    joined, counts = tallies or presenter_tallies(run)
    snapshot = {"run": run_view(run, locale), "code": run.join_code if run.door_open else None,
                "joined": joined, "theme": run.screen_theme, "item": None, "phase": None, "counts": None,
                "aggregate": None, "private": False, "min_group": moderation.min_group(), "info_part": None}
    if current:
        item = item_view(run, current, locale)
        item["info"] = None  # the projector shows the info part by part (info_part), never all at once
        snapshot.update(item=item, phase=screen_state.phase(run, current),
                        counts=counts, info_part=screen_state.info_view(run, current, locale))
        if snapshot["phase"] != "answering":
            snapshot["aggregate"], snapshot["private"] = moderation.screen_aggregate(run, current)
            if snapshot["private"]:
                snapshot["aggregate"] = None
    return snapshot
