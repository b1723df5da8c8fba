"""The facilitator guide of each module and the printables (issue 12).

Staff only (the blueprint's login check). Both print on A4 (static/css/print.css). They are shown in the
staff's language, or in any of the three with ``?lang=nl|fr|en`` (a French-speaking counsellor may print a
Dutch card for a Dutch-speaking girl). Nothing here shows a girl's nickname or answer: the agreements poster
counts votes, the worksheets are blank.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import item_types, links
from ..content.guide import blogger, printable_texts, shared_guide
from ..i18n import current_locale
from ..models import Run
from ..programme import programme
from ..services import answers as answer_service
from . import bp
from .views import _run_or_404

LANGS = ("nl", "fr", "en")
AGREEMENTS_ITEM = "m0-agreements"  # module 0's multi-choice item where the group picks its agreements
CARD_PRINTABLES = ("max-card", "sextortion", "phases", "secrets")


def _language() -> str:
    chosen = request.args.get("lang")
    return chosen if chosen in LANGS else current_locale()


def _render(template: str, lang: str, **context) -> str:
    """The whole page (headings too) in the chosen language."""
    with force_locale(lang):
        return render_template(template, lang=lang, langs=LANGS, role_label=role_label, **context)


@bp.app_template_global("gps_blogger")
def gps_blogger():
    """The programme's one blogger ({name, handle}, from sessions/guide.yaml) for every template."""
    return SimpleNamespace(**blogger())


def role_label(role: str | None) -> str:
    """The item's place in the session's arc, in the page's language."""
    return {"checkin": _("Check-in"), "hook": _("Hook story"), "exercise": _("Exercise"),
            "dilemma": _("Dilemma"), "takeaway": _("Takeaway"), "checkout": _("Check-out")}.get(role or "", "")


def _module_or_404(number: int):
    module = programme().module(number)
    if module is None:
        abort(404)
    return module


# ------------------------------------------------------------------- the guide

def timing(module) -> list[dict]:
    """Minute by minute: each item's start and end, cumulative from the durations ("0:00–0:04")."""
    rows, start = [], 0
    for item in module.items:
        rows.append({"item": item, "start": _clock(start), "end": _clock(start + item.duration)})
        start += item.duration
    return rows


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def guide_items(module, lang: str, individual: bool) -> list[dict]:
    items = [i for i in module.items if not individual or i.individual_usable]
    return [{"item": item, "number": n, "question": item.text("question", lang, individual=individual),
             "transition": item.text("transition", lang), "answer_key": item.text("answer_key", lang),
             "split_group": None if individual else item.text("split_group", lang),
             "staff_notes": item.staff_notes(lang, individual=individual and "group" in item.modes),
             "solution": item_types.solution(item, lang)}
            for n, item in enumerate(items, 1)]


@bp.get("/modules/<int:number>/guide")
def module_guide(number: int):
    module, lang = _module_or_404(number), _language()
    individual = request.args.get("way") == "individual"
    items = [row for row in timing(module) if not individual or row["item"].individual_usable]
    return _render("facilitator/guide.html", lang, module=module, individual=individual,
                   timing=items, items=guide_items(module, lang, individual),
                   minutes=sum(row["item"].duration for row in items),
                   protocol=shared_guide().section_views(lang))


# ----------------------------------------------------------------- printables

@bp.get("/printables/<name>")
def printable(name: str):
    """The cards and sheets that do not depend on a run: MAX card, sextortion, the four phases, secrets."""
    if name not in CARD_PRINTABLES:
        abort(404)
    lang = _language()
    size = "card" if request.args.get("size") == "card" and name == "max-card" else "a4"
    key = name.replace("-", "_")
    texts = printable_texts(key, lang)
    if key == "secrets":  # the cards are numbered, so the staff key can name them
        texts["cards"] = [dict(card, number=n) for n, card in enumerate(texts["cards"], 1)]
    return _render(f"printables/{key}.html", lang, texts=texts, size=size, name=name)


@bp.get("/modules/<int:number>/worksheet")
def worksheet(number: int):
    """One-to-one work on paper: the module's questions as one girl reads them, with room to write."""
    module, lang = _module_or_404(number), _language()
    items = [i for i in module.items if i.individual_usable]
    rows = [{"item": item, "question": item.text("question", lang, individual=True),
             "config": item_types.public_config(item, lang)} for item in items]
    return _render("printables/worksheet.html", lang, module=module, rows=rows,
                   texts=printable_texts("worksheet", lang), name="worksheet")


@bp.get("/runs/<int:run_id>/printables/agreements")
def agreements(run_id: int):
    """The group's agreements as this group chose them in module 0: counts only, never who chose what."""
    run = _run_or_404(run_id)
    item = programme().item(AGREEMENTS_ITEM)
    if run.module_number != 0 or item is None:
        abort(404)
    lang = _language()
    return _render("printables/agreements.html", lang, run=run, chosen=chosen_agreements(run, item, lang),
                   texts=printable_texts("agreements", lang), name="agreements")


def chosen_agreements(run: Run, item, lang: str) -> list[dict]:
    """The options with at least one vote, most votes first (content order among equals)."""
    values = [a.value for a in answer_service.counted(answer_service.for_item(run, item.id))
              if not a.skipped and not a.hidden]
    counts = {row["id"]: row["count"] for row in item_types.aggregate(item, values)["options"]}
    options = [{"text": o["text"], "count": counts.get(o["id"], 0)}
               for o in item_types.public_config(item, lang)["options"]]
    return sorted((o for o in options if o["count"]), key=lambda o: -o["count"])


@bp.get("/runs/<int:run_id>/printables/poster")
def join_poster(run_id: int):
    """The join poster: the run's QR code and code, readable from across the room."""
    run = _run_or_404(run_id)
    lang = _language()
    return _render("printables/poster.html", lang, run=run, code_link=links.code_link(),
                   texts=printable_texts("poster", lang), name="poster")
