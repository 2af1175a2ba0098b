"""The second sign-in step, and setting up two-factor sign-in from the account page."""
from __future__ import annotations

import time

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.auth import limits, services, two_factor
from portal.auth.forms import TurnOffTwoFactorForm
from portal.auth.models import User, user_for_login_token
from portal.auth.views import INVALID, _safe_next, _start_session, bp
from portal.errors import RuleViolation
from portal.extensions import db, limiter, user_key
from portal.forms import strip_filter
from portal.permissions import PUBLIC, USER, access

PENDING = "_portal_2fa_pending"
SETUP = "_portal_2fa_setup"
PENDING_SECONDS = 300


class CodeForm(FlaskForm):
    code = StringField("Code", filters=[strip_filter], validators=[
        DataRequired("Enter the 6-digit code from your authenticator app, or a recovery code"),
        Length(max=32, message="Enter the 6-digit code from your authenticator app, or a recovery code")],
        description="Open your authenticator app and type the 6-digit code it shows for Cohort Portal.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class SignInCodeForm(CodeForm):
    """The second sign-in step: the page is there to type a code, so the box has focus on arrival."""
    code = StringField("Code", filters=[strip_filter], validators=CodeForm.code.kwargs["validators"],
                       description=CodeForm.code.kwargs["description"],
                       render_kw={**CodeForm.code.kwargs["render_kw"], "autofocus": True})


def begin(user: User, remember: bool, since: int | None = None) -> None:
    """After a correct password (or a remember cookie, `since` it was typed): remember who is half-way
    through signing in, for five minutes."""
    session.clear()
    now = int(time.time())
    session[PENDING] = {"id": user.get_id(), "remember": bool(remember), "at": now, "since": since or now}


def _pending_user() -> tuple[User, bool, int | None] | None:
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = user_for_login_token(pending.get("id", ""))
    if user is None or not user.is_active:
        return None
    return user, pending.get("remember", False), pending.get("since")


@bp.route("/login/two-factor", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(limits.login, methods=["POST"])
@limiter.limit(limits.two_factor, methods=["POST"], key_func=limits.pending_account_key, deduct_when=limits.refused)
def two_factor_login():
    """Second step of signing in: a code from the authenticator app."""
    found = _pending_user()
    if found is None:
        session.pop(PENDING, None)
        flash("Please sign in again: that took longer than five minutes.", "info")
        return redirect(url_for("auth.login"))
    user, remember, since = found
    form = SignInCodeForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data):
            _start_session(user, remember, since)
            return redirect(_safe_next(request.args.get("next")))
        form.code.errors.append("That code didn't work. Codes change every 30 seconds, and each works once.")
    return render_template("auth/two_factor_login.html", form=form), INVALID if form.errors else 200


@bp.route("/account/two-factor", methods=["GET", "POST"])
@access(USER)
def two_factor_setup():
    """Turn on two-factor sign-in: scan the code, then type a code to prove it works."""
    if current_user.has_two_factor:
        return _two_factor_on(TurnOffTwoFactorForm())
    secret = session.get(SETUP) or two_factor.new_secret()
    session[SETUP] = secret
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(current_user, secret, form.code.data)
        except RuleViolation as e:
            form.code.errors.append(e.message)
        else:
            session.pop(SETUP, None)
            return render_template("auth/two_factor_codes.html", codes=codes)
    uri, qr = two_factor.provisioning(current_user, secret)
    return render_template("auth/two_factor_setup.html", form=form, secret=secret, uri=uri, qr=qr,
                           required=needs_two_factor()), INVALID if form.errors else 200


@bp.post("/account/two-factor/turn-off")
@access(USER)
@limiter.limit(limits.login_account, key_func=user_key, deduct_when=limits.refused)  # password guesses
def two_factor_off():
    """Learners may turn it off, with their password; facilitators and site admins must keep it."""
    if needs_two_factor():
        abort(403)
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor_setup"))
    form = TurnOffTwoFactorForm()
    if form.validate_on_submit():
        try:
            services.turn_off_two_factor(current_user, form.current_password.data)
        except RuleViolation as e:
            form.current_password.errors.append(e.message)
        else:
            flash("Two-factor sign-in is off.", "success")
            return redirect(url_for("auth.account"))
    return _two_factor_on(form), INVALID


def _two_factor_on(form):
    return render_template("auth/two_factor_on.html", form=form, required=needs_two_factor(),
                           codes_left=two_factor.recovery_codes_left(current_user))


def needs_two_factor() -> bool:
    """Site admins and anyone facilitating a cohort must sign in with a second factor."""
    from sqlalchemy import select

    from portal.cohorts.models import Membership

    if current_user.is_site_admin:
        return True
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == current_user.id, Membership.role == "facilitator",
        Membership.status == "active").limit(1)) is not None
