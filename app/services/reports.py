"""Run reports for staff: per item the group result; answers without pseudonyms unless asked for.

Hidden answers and answers of removed participants stay out, as on the projector. A girl's track (issue 13) is
reported module by module through the same rules: each module of her track is a run of its own.
"""
from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _

from .. import item_types
from ..models import ItemTally, Run, SquadMode
from ..programme import programme
from . import answers as answer_service
from . import runs, signals, tracks

# A cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel in nl-BE and fr-BE splits on ";", and a cell pasted or split again ("text to columns") starts after
# any separator or line break: a formula start after one of them is neutralised too, not only at the start.
FORMULA_AFTER_SEPARATOR = re.compile(r"([;,\t\r\n] *)(?=[=+\-@])")
# The list separator of Excel in Belgium's languages; English Excel expects a comma.
SEPARATORS = {"nl": ";", "fr": ";"}


def report(run: Run, locale: str, *, with_names: bool) -> list[dict]:
    if run.purged_at is not None:
        return _purged_report(run, locale)
    return [_item_report(run, item, locale, with_names) for item in runs.visible_items(run)]


def signal_summary(run: Run, *, with_names: bool) -> list[dict]:
    """How often each kind of signal came in (issue 15); the pseudonyms only when staff asks for names."""
    return [{"kind": kind, "count": len(sent),
             "names": sorted({s.participant.pseudonym for s in sent}) if with_names else None}
            for kind, sent in signals.counts_by_kind(run).items()]


def _one_to_one(run: Run) -> bool:
    """A one-to-one run (offline, or a module of a track) asked her the individual wording of each question."""
    return run.squad.mode is not SquadMode.GROUP


def _item_report(run: Run, item, locale: str, with_names: bool) -> dict:
    counted = answer_service.counted(answer_service.for_item(run, item.id))
    rows = [a for a in counted if not a.hidden]
    listed = [{"pseudonym": a.participant.pseudonym if with_names else None,
               "answer": describe(item, a.value, locale)} for a in rows]
    return {"item": item, "question": item.text("question", locale, individual=_one_to_one(run)),
            "config": item_types.public_config(item, locale), "solution": item_types.solution(item, locale),
            "aggregate": item_types.aggregate(item, [a.value for a in rows]), "answers": listed,
            "hidden": len(counted) - len(rows)}  # how many were left out, never what they said


def _purged_report(run: Run, locale: str) -> list[dict]:
    tallies = {t.item_id: t for t in ItemTally.query.filter_by(run_id=run.id)}
    module = runs.module_of(run)
    return [{"item": item, "question": item.text("question", locale, individual=_one_to_one(run)),
             "config": None, "solution": None, "hidden": 0,
             "aggregate": {"type": item.type, "answered": tallies[item.id].answered, "skipped": tallies[item.id].skipped},
             "answers": []} for item in module.items if item.id in tallies]


def describe(item, value: dict, locale: str) -> str:
    """One answer as plain text, in the staff's language: the type's own describe (app/item_types/<type>/)."""
    return item_types.describe(item, value, locale)


def csv_text(run: Run, locale: str, *, with_names: bool) -> str:
    buffer = io.StringIO()
    writer = _csv_writer(buffer, locale)
    writer.writerow(_csv_header(with_names))
    _write_entries(writer, report(run, locale, with_names=with_names), with_names)
    return buffer.getvalue()


def _csv_writer(buffer, locale: str):
    return csv.writer(buffer, delimiter=SEPARATORS.get(locale, ","), quoting=csv.QUOTE_ALL)


def _csv_header(with_names: bool, before: tuple = ()) -> list:
    header = [*before, _("Message"), _("Question"), _("Answered"), _("Skipped")]
    return header + ([_("Pseudonym")] if with_names else []) + [_("Answer")]


def _write_entries(writer, entries: list[dict], with_names: bool, before: tuple = ()) -> None:
    """One line per answer (one empty line for a message without any), every text cell made safe."""
    for number, entry in enumerate(entries, start=1):
        base = [*before, number, entry["question"], entry["aggregate"]["answered"], entry["aggregate"]["skipped"]]
        for row in entry["answers"] or [{"pseudonym": None, "answer": ""}]:
            names = [row["pseudonym"] or ""] if with_names else []
            writer.writerow([_safe(cell) for cell in base + names + [row["answer"]]])


# --- a girl's whole track (issue 13) ----------------------------------------------------------------

def track_report(track, locale: str, *, with_names: bool) -> list[dict]:
    """Her track module by module, in programme order. Each module she began is a run and is reported as one
    (hidden answers left out, only the counts after the purge); a module she has not begun has no entries."""
    by_module, states = tracks.module_runs(track), {row["number"]: row for row in tracks.module_states(track)}
    return [_module_report(programme().module(number), by_module.get(number), states[number], locale, with_names)
            for number in sorted(programme().modules)]


def _module_report(module, run: Run | None, state: dict, locale: str, with_names: bool) -> dict:
    entries = report(run, locale, with_names=with_names) if run is not None else []
    return {"module": module, "run": run, "state": state["state"], "done_at": state["done_at"],
            "purged": run is not None and run.purged_at is not None, "entries": entries}


def track_signal_summary(track, *, with_names: bool) -> list[dict]:
    """Her signals per kind over all the runs of her track, as a run report counts them."""
    totals = {kind: {"kind": kind, "count": 0, "names": set()} for kind in signals.KINDS}
    for run in track.runs:
        for row in signal_summary(run, with_names=with_names):
            total = totals.setdefault(row["kind"], {"kind": row["kind"], "count": 0, "names": set()})
            total["count"] += row["count"]
            total["names"] |= set(row["names"] or ())
    return [{"kind": t["kind"], "count": t["count"], "names": sorted(t["names"]) if with_names else None}
            for t in totals.values()]


def track_csv_text(track, locale: str, *, with_names: bool) -> str:
    """The whole track as the run CSV is written, with the module in front of every line."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer, locale)
    writer.writerow(_csv_header(with_names, before=(_("Module"),)))
    for part in track_report(track, locale, with_names=with_names):
        _write_entries(writer, part["entries"], with_names, before=(part["module"].number,))
    return buffer.getvalue()


def _safe(cell):
    """A text cell that no spreadsheet runs as a formula: a quote before every formula start."""
    if not isinstance(cell, str):
        return cell
    cell = "'" + cell if cell.startswith(FORMULA_STARTS) else cell
    return FORMULA_AFTER_SEPARATOR.sub(r"\1'", cell)
