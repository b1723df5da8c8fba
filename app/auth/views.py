from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from limits import parse as parse_limit

from ..extensions import db, failed_try, limiter, login_manager
from ..models import Facilitator
from ..services import accounts
from . import bp, sessions
from ..forms import EmptyForm
from .. import refusals
from ..refusals import Refused
from .forms import AccountForm, LoginForm


@login_manager.user_loader
def load_facilitator(user_id: str) -> Facilitator | None:
    return sessions.load(user_id)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.squads"))
    return redirect(url_for("auth.login"))


# Per account as well as per address: guesses on one account from many addresses stop after this many failures.
LOGIN_FAILURES_PER_ACCOUNT = parse_limit("10 per 15 minutes")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"], deduct_when=failed_try)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = _account_key(form.email.data)
        facilitator = None if _account_resting(account) else accounts.authenticate(form.email.data,
                                                                                     form.password.data)
        if facilitator:
            sessions.sign_in(facilitator)
            return redirect(_local_next() or url_for("facilitator.squads"))
        _count_failure(account)
        # The same words for a resting account: an attacker learns nothing new, the owner waits 15 minutes.
        flash(_("That email address and password do not match an active account."), "error")
    first_start = not accounts.has_facilitators()
    return render_template("auth/login.html", form=form, first_start=first_start)


def _account_key(email: str) -> tuple[str, ...]:
    """The counter's key: a hash, so the rate-limit store (Redis) holds no email addresses."""
    digest = hashlib.sha256(accounts.normalise_email(email or "").encode()).hexdigest()[:32]
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "login-account", digest)


def _account_resting(key: tuple[str, ...]) -> bool:
    return limiter.enabled and not limiter.limiter.test(LOGIN_FAILURES_PER_ACCOUNT, *key)


def _count_failure(key: tuple[str, ...]) -> None:
    if limiter.enabled:
        limiter.limiter.hit(LOGIN_FAILURES_PER_ACCOUNT, *key)


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        sessions.end_all(current_user)  # copies of this cookie and open pages end too, not only this tab
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def setup(token: str):
    folder = current_app.instance_path
    if not accounts.setup_token_valid(folder, token):
        return render_template("auth/setup_invalid.html"), 410
    form = AccountForm()
    if form.validate_on_submit():
        try:
            facilitator = accounts.complete_setup(folder, token, email=form.email.data, name=form.name.data,
                                                  password=form.password.data)
        except Refused:  # another request used the link a moment before
            return render_template("auth/setup_invalid.html"), 410
        sessions.sign_in(facilitator)
        flash(_("Welcome! Your account is ready."), "info")
        return redirect(url_for("facilitator.squads"))
    return render_template("auth/setup.html", form=form)


@bp.route("/colleagues", methods=["GET", "POST"])
@login_required
def colleagues():
    if not current_user.is_admin:
        abort(403)
    form = AccountForm()
    if form.validate_on_submit():
        try:
            accounts.create_facilitator(email=form.email.data, name=form.name.data, password=form.password.data)
            flash(_("Account created for %(name)s.", name=form.name.data), "info")
            return redirect(url_for("auth.colleagues"))
        except Refused as refused:
            flash(refusals.message(refused.code, "facilitator"), "error")
    everyone = db.session.scalars(db.select(Facilitator).order_by(Facilitator.name)).all()
    return render_template("auth/colleagues.html", form=form, everyone=everyone, action_form=EmptyForm())


@bp.post("/colleagues/<int:facilitator_id>/active/<int:active>")
@login_required
def set_active(facilitator_id: int, active: int):
    colleague = db.session.get(Facilitator, facilitator_id)
    if not current_user.is_admin or colleague is None or not EmptyForm().validate_on_submit():
        abort(403)
    try:
        accounts.set_active(colleague, bool(active), by=current_user)
        if not active:
            sessions.end_all(colleague)
    except Refused as refused:
        flash(refusals.message(refused.code, "facilitator"), "error")
    return redirect(url_for("auth.colleagues"))


@bp.get("/lang/<code>")
def switch_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_local_next() or url_for("auth.index"))


def _local_next() -> str | None:
    """Only paths on this server: an open redirect would let a link send staff elsewhere."""
    target = request.args.get("next", "")
    return target if is_local_path(target) else None


def is_local_path(target: str) -> bool:
    """A path of this server, judged after parsing as a browser would read it.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so "/<tab>/evil.example"
    and "/\\evil.example" lead to another host: control characters and backslashes are refused outright (a
    newline would also break the Location header), then the parsed URL must have no scheme and no host.
    """
    if not target.startswith("/") or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not target.startswith("//")
