from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import links, qr
from ..forms import EmptyForm
from ..extensions import db
from ..models import Run, SquadMode
from ..programme import programme
from ..services import enrolments, runs
from ..services import squads as squad_service
from ..services.preview import preview_items
from . import bp
from .forms import RenameForm, SquadForm


@bp.before_request
@login_required
def require_login():
    """Every staff page needs a login."""


def _squad_or_404(squad_id: int):
    squad = squad_service.owned_squad(current_user, squad_id)
    if squad is None:
        abort(404)
    return squad


@bp.route("/squads", methods=["GET", "POST"])
def squads():
    form = SquadForm()
    if form.validate_on_submit():
        squad = squad_service.create_squad(current_user, form.name.data, SquadMode(form.mode.data))
        return redirect(url_for("facilitator.squad", squad_id=squad.id))
    return render_template("facilitator/squads.html", form=form, squads=squad_service.squads_of(current_user),
                           archived=squad_service.squads_of(current_user, archived=True))


@bp.post("/squads/<int:squad_id>/rename")
def rename_squad(squad_id: int):
    squad, form = _squad_or_404(squad_id), RenameForm()
    if form.validate_on_submit():
        squad_service.rename_squad(squad, form.name.data)
        flash(_("Renamed."), "info")
    else:
        flash(_("A name is needed (at most 80 characters)."), "error")
    return redirect(url_for("facilitator.squad", squad_id=squad.id))


@bp.post("/squads/<int:squad_id>/archive/<int:archived>")
def archive_squad(squad_id: int, archived: int):
    squad = _squad_or_404(squad_id)
    if EmptyForm().validate_on_submit():
        squad_service.set_archived(squad, bool(archived))
    return redirect(url_for("facilitator.squads"))


@bp.get("/squads/<int:squad_id>")
def squad(squad_id: int):
    squad = _squad_or_404(squad_id)
    history = {n: [r for r in squad.runs if r.module_number == n] for n in programme().modules}
    return render_template("facilitator/squad.html", squad=squad, modules=programme().modules, history=history,
                           girls=_girls(squad),
                           open_run=runs.open_run_of(squad), rename=RenameForm(name=squad.name),
                           action_form=EmptyForm())


def _girls(squad) -> list[dict]:
    if squad.mode is not SquadMode.OFFLINE_INDIVIDUAL:
        return []
    return [{"girl": girl, "modules": enrolments.modules_of(girl)} for girl in enrolments.girls_of(squad)]


@bp.route("/squads/<int:squad_id>/modules/<int:number>/start", methods=["GET", "POST"])
def start_run(squad_id: int, number: int):
    """A preparation page first (staff intro and content note), then the run's lobby."""
    squad, module = _squad_or_404(squad_id), programme().module(number)
    if module is None or squad.archived_at is not None:
        abort(404)
    form = EmptyForm()
    existing = runs.open_run_of(squad)
    girl = enrolments.enrolment_of(squad, request.args.get("girl", type=int))  # one-to-one: the same girl again
    if form.validate_on_submit() and existing is None:
        run = enrolments.start_with(squad, number, girl) if girl else runs.create_run(squad, number)
        if girl:
            from ..realtime import broadcast

            broadcast.next_module_started(run)
        return redirect(url_for("facilitator.run", run_id=run.id))
    return render_template("facilitator/start.html", squad=squad, module=module, form=form, existing=existing,
                           girl=girl)


def _run_or_404(run_id: int) -> Run:
    run = db.session.get(Run, run_id)
    if run is None or squad_service.owned_squad(current_user, run.squad_id) is None:
        abort(404)
    return run


@bp.get("/runs/<int:run_id>")
def run(run_id: int):
    run = _run_or_404(run_id)
    if run.track_id is not None:  # a module of a girl's track: followed on the track's page
        return redirect(url_for("facilitator.track", track_id=run.track_id))
    return render_template("facilitator/run.html", run=run, module=runs.module_of(run),
                           earlier=enrolments.earlier_runs(run), the_girl=enrolments.the_girl(run),
                           join_link=links.join_link(run), code_link=links.code_link(),
                           screen_link=links.screen_link(run))


@bp.get("/runs/<int:run_id>/qr.svg")
def run_qr(run_id: int):
    return qr.svg_response(links.join_link(_run_or_404(run_id)))


@bp.get("/modules")
def modules():
    return render_template("facilitator/modules.html", modules=programme().modules)


@bp.get("/modules/<int:number>")
def module_preview(number: int):
    module = programme().module(number)
    if module is None:
        abort(404)
    return render_template("facilitator/preview.html", module=module, preview=preview_items(module))
