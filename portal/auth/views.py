"""Signing in and out, password reset and the account page."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from portal.auth import lifetimes, limits, services
from portal.auth import remember as remember_cookie
from portal.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ProfileForm, ResetPasswordForm
from portal.auth.tokens import user_for_reset_token
from portal.deferred import after_response
from portal.errors import RuleViolation
from portal.extensions import limiter, user_key
from portal.permissions import PUBLIC, USER, access

bp = Blueprint("auth", __name__)

INVALID = 422  # a refused form is shown again with this status and everything typed kept


def _safe_next(target: str | None) -> str:
    """Only same-site paths; anything else goes home."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith(("//", "/\\")):
            return target
    return url_for("cohorts.home")


def _start_session(user, remember: bool, since: int | None = None) -> None:
    """`since`: when the password was typed, if earlier (a remembered person who gave their code again)."""
    session.clear()  # a fresh session on every sign-in: nothing carries over (fixation)
    login_user(user)
    since = since or int(time.time())
    lifetimes.start(remember, since)
    if remember:
        remember_cookie.remember(user, since)


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(limits.login, methods=["POST"])
@limiter.limit(limits.login_account, methods=["POST"], key_func=limits.account_and_address_key,
               deduct_when=limits.refused)
@limiter.limit(limits.login_account_all, methods=["POST"], key_func=limits.account_key, deduct_when=limits.refused)
def login():
    """Sign in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.has_two_factor:
            from portal.auth.two_factor_views import begin
            begin(user, form.remember.data)
            return redirect(url_for("auth.two_factor_login", next=request.args.get("next")))
        if user is not None:
            _start_session(user, form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Enter a correct email address and password")
    status = INVALID if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@access(PUBLIC)
def logout():
    """Sign out everywhere (a form button, so no link or crawler can do it): on a shared or lost device,
    every other session and remember-me token ends too."""
    if current_user.is_authenticated:
        services.end_all_sessions(current_user)
    lifetimes.end()
    flash("You have signed out, on this and any other device. Take care.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(limits.reset, methods=["POST"])
@limiter.limit(limits.reset, methods=["POST"], key_func=limits.account_key)  # each inbox gets few emails
def forgot_password():
    """Ask for a password reset link."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # After the response: the page comes back as fast for an address with no account as for one with.
        after_response(services.request_password_reset, form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form), INVALID if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(limits.reset, methods=["POST"])
def reset_password(token: str):
    """Choose a new password from an emailed link."""
    if user_for_reset_token(token) is None:
        return render_template("auth/reset_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except RuleViolation:
            return render_template("auth/reset_invalid.html"), 410
        lifetimes.end()
        flash("Your password has been changed. You can now sign in with it.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), INVALID if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@access(USER)
def account():
    """Your name and pronouns."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.display_name.data, form.pronouns.data)
        flash("Your details have been saved.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), INVALID if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@access(USER)
@limiter.limit(limits.login_account, methods=["POST"], key_func=user_key, deduct_when=limits.refused)
def change_password():
    """Change your password; every other device is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.PasswordUnchanged as e:
            form.password.errors.append(e.message)
        except RuleViolation as e:
            form.current_password.errors.append(e.message)
        else:
            _start_session(current_user._get_current_object(), remember=False)
            flash("Your password has been changed. Any other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form), INVALID if form.errors else 200
