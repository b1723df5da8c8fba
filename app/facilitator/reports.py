"""Reports, delete-now and the audit log for staff."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms import EmptyForm
from ..realtime import channels
from ..i18n import current_locale
from ..services import reports, retention, runs
from . import bp
from .views import _run_or_404


@bp.get("/runs/<int:run_id>/report")
def report(run_id: int):
    run = _run_or_404(run_id)
    with_names = request.args.get("names") == "1"
    return render_template("facilitator/report.html", run=run, module=runs.module_of(run), with_names=with_names,
                           entries=reports.report(run, current_locale(), with_names=with_names),
                           signals=reports.signal_summary(run, with_names=with_names), delete_form=EmptyForm())


@bp.get("/runs/<int:run_id>/report.csv")
def report_csv(run_id: int):
    run = _run_or_404(run_id)
    with_names = request.args.get("names") == "1"
    body = "\ufeff" + reports.csv_text(run, current_locale(), with_names=with_names)  # BOM: Excel reads UTF-8
    name = f"gps-run-{run.id}-module-{run.module_number}{'-names' if with_names else ''}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.post("/runs/<int:run_id>/delete")
def delete_run(run_id: int):
    run = _run_or_404(run_id)
    if not EmptyForm().validate_on_submit() or run.track_id is not None:  # a track is deleted as a whole
        abort(400)
    squad_id, run_id, girls = run.squad_id, run.id, [p.id for p in run.participants]
    try:
        retention.delete_run(run, by=current_user)
        channels.run_deleted(run_id, girls)
    except ValueError:
        flash(_("End the run before you delete it."), "error")
        return redirect(url_for("facilitator.run", run_id=run_id))
    flash(_("The run and all its answers are deleted."), "info")
    return redirect(url_for("facilitator.squad", squad_id=squad_id))


@bp.get("/audit")
def audit():
    if not current_user.is_admin:
        abort(403)
    return render_template("facilitator/audit.html", entries=retention.audit_log())


@bp.get("/privacy")
def privacy():
    from flask import current_app

    return render_template("facilitator/privacy.html", retention=current_app.config["RETENTION_DAYS"])
