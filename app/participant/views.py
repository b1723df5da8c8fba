from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..extensions import failed_try, limiter
from ..i18n import current_locale
from ..models import RunState
from .. import refusals
from ..refusals import Refused
from ..services import enrolments, participants, runs, track_access
from . import bp
from .forms import CodeForm, JoinForm


def dead_link(text: str):
    return render_template("participant/message.html", title=_("This link does not work"), text=text), 404


def hand_over_token(session_key: str, owner_key: str, owner: str) -> str:
    """The token her phone keeps, given once to the page right after she joined (then only her phone has it)."""
    fresh = session.pop(session_key, None)
    return fresh["token"] if fresh and fresh.get(owner_key) == owner else ""


def go_on(target: str, token: str | None = None):
    """A redirect; for the page's own script an empty answer naming the next page (and, after joining,
    her token), so the script can go on without a new history entry: Back after a quick exit cannot
    lead into the app."""
    if request.headers.get("X-GPS-Replace") == "1":
        headers = {"X-GPS-Next": target, "Cache-Control": "no-store"}
        if token:
            headers["X-GPS-Token"] = token
        return "", 204, headers
    return redirect(target)


@bp.route("/j/<token>", methods=["GET", "POST"])
# Failed joins only (a taken pseudonym, a closed door): a home of 40 behind one address all get in at once.
@limiter.limit("60 per minute; 300 per hour", methods=["POST"], deduct_when=failed_try)
def join(token: str):
    run = runs.by_join_token(token)
    if run is None:
        return dead_link(_("Ask your counsellor for the QR code or the code again."))
    if run.state is RunState.ENDED:
        return render_template("participant/message.html", title=_("This session has ended"),
                               text=_("Thank you for taking part!"), rejoin=url_for("participant.inbox", token=token))
    form = JoinForm(language=current_locale())
    expected = enrolments.expected_girl(run)  # the next module of a one-to-one girl: she continues as herself
    if expected is not None:
        form.pseudonym.validators = ()
    error = None
    if form.validate_on_submit():
        locale = form.language.data
        try:
            _refuse_if_removed(run)
            participant, secret = _join_or_continue(run, expected, form.pseudonym.data, locale)
        except Refused as refused:
            error = refusals.message(refused.code)
        else:
            _remember_joined(participant, token, secret, locale)
            from ..realtime import broadcast

            broadcast.participant_joined(run, participant)  # a delta to the staff, not a pull (issue 16)
            return go_on(url_for("participant.inbox", token=token), secret)
    elif form.is_submitted():
        error = _("Choose a pseudonym of 2 to 20 characters.")
    return render_template("participant/join.html", form=form, run=run, error=error,
                           suggestions=participants.suggestions(current_locale()),
                           door_open=run.door_open, expected=expected)


def _join_or_continue(run, expected, pseudonym: str, locale: str):
    if expected is not None:
        return expected, enrolments.continue_as(run, expected, locale)
    return participants.join(run, pseudonym, locale, limit=current_app.config["MAX_PARTICIPANTS_PER_RUN"])


# The participant ids this browser joined as, newest last; a few are enough to know a removed girl again.
JOINED_KEPT = 12


def _remember_joined(participant, run_token: str, secret: str, locale: str) -> None:
    """What her signed cookie keeps: her language and the ids she joined as, never a run's link token.

    Her own token goes to her phone once. When the join page starts the inbox in place (its script asked
    with X-GPS-Replace, in the language the page is in), the token travels in the X-GPS-Token header only;
    otherwise the inbox page takes it from the session once (hand_over_token), which removes it there.
    """
    starts_in_place = request.headers.get("X-GPS-Replace") == "1" and locale == current_locale()
    if not starts_in_place:
        session["new_token"] = {"run": run_token, "token": secret}
    session["lang"] = locale
    earlier = [n for n in session.get("joined", []) if isinstance(n, int)] if isinstance(
        session.get("joined"), list) else []
    session["joined"] = (earlier + [participant.id])[-JOINED_KEPT:]


def _refuse_if_removed(run) -> None:
    """Removed from this run: this browser does not get back in under a new pseudonym."""
    joined = session.get("joined")
    if isinstance(joined, list) and participants.removed_from(run, joined):
        raise Refused("removed")


@bp.get("/p/<token>")
def inbox(token: str):
    run = runs.by_join_token(token)
    if run is None:
        return dead_link(_("Ask your counsellor for the QR code or the code again."))
    return render_template("participant/inbox.html", run=run, new_token=hand_over_token("new_token", "run", token),
                           join_url=url_for("participant.join", token=token))


def _everyone() -> str:
    return "all-addresses"


@bp.route("/code", methods=["GET", "POST"])
# Wrong guesses only: a correct code never spends the budget. Per address (IPv6 per /64), and for the whole
# server, so guessing from many addresses gets no further: at most 1,000 wrong guesses an hour in all against
# 2^27.9 codes (a girl's return code, 10 signs, is one of 2^43.9). Over a budget every try waits, also a right
# one (else the answer would tell right from wrong).
@limiter.limit("20 per minute; 60 per hour", methods=["POST"], deduct_when=failed_try)
@limiter.limit("100 per minute; 1000 per hour", methods=["POST"], deduct_when=failed_try, key_func=_everyone)
def enter_code():
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if track_access.looks_like_return_code(form.code.data):  # her own track's return code (issue 13)
            from .track_pages import come_back_with_code

            back = come_back_with_code(form.code.data)
            if back is not None:
                return back
            # One answer for a wrong, reset or spent code and a closed track; counted by the same limits.
            error = _("This code does not work. Check it, or ask your coach for a new invitation.")
        else:
            run = runs.by_code(form.code.data)
            if run is not None:
                return go_on(url_for("participant.join", token=run.join_token))
            # The same words for a wrong and an expired code: nothing to learn by guessing.
            error = _("This code does not work. Check it with your counsellor.")
    return render_template("participant/code.html", form=form, error=error)


@bp.get("/privacy")
def privacy():
    return render_template("participant/privacy.html", retention=current_app.config["RETENTION_DAYS"])


