"""Accepting an emailed invitation and joining with a shared invite link: open to anyone holding one."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from portal.auth import lifetimes
from portal.auth.services import find_user_by_email
from portal.enrolment import links, places, services
from portal.enrolment.forms import JoinEmailForm, NewAccountForm
from portal.enrolment.views import INVALID, bp
from portal.errors import RuleViolation
from portal.extensions import limiter
from portal.links import external_url
from portal.permissions import PUBLIC, access

ALREADY = 409  # a warm page, not an error: "you are already a member", with the way in


def _limit(setting: str):
    """A rate limit read from the config at request time (tests and deployments set their own)."""
    return lambda: current_app.config[setting]


def _welcome(user, cohort_id: int, new_account: bool):
    """Into the cohort: new accounts are signed in; everyone reads the group agreement first."""
    if new_account:
        session.clear()
        login_user(user)
        lifetimes.start(remember=False)
    flash("Welcome! Before anything else, please read your group's agreement.", "success")
    return redirect(url_for("agreements.show", cohort_id=cohort_id))


def _signed_in_joins(join, cohort_id: int):
    """Join with the signed-in account; when that can't be (already a member), say so on their home page."""
    try:
        join()
    except RuleViolation as e:
        flash(e.message, "info")
        return redirect(url_for("cohorts.home"))
    return _welcome(current_user, cohort_id, new_account=False)


def _already_member(cohort_id: int) -> bool:
    return current_user.is_authenticated and services.is_current_member(cohort_id, current_user.email)


def _page(template: str, form, already: bool, **context):
    status = ALREADY if already else INVALID if form.errors else 200
    return render_template(template, form=form, already=already, plain_form=FlaskForm(), **context), status


def _link_gone(message: str, status: int = 410, title: str | None = None):
    return render_template("enrolment/link_problem.html", message=message, title=title), status


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def accept_invitation(token: str):
    """Accept an emailed invitation: with the account it was sent to, or by making one."""
    invitation, problem = services.load_invitation(token)
    if invitation is None:
        return _link_gone(problem)
    cohort = services.cohort_of(invitation)
    held = places.join_problem(cohort.id, current_user)
    if held:  # removed, or left while paused: said kindly before they try
        return _link_gone(held, 403, "Please talk to the facilitators")
    existing = find_user_by_email(invitation.email)
    form = NewAccountForm(display_name=invitation.display_name)
    signed_in_as_invitee = current_user.is_authenticated and current_user.email.lower() == invitation.email.lower()
    if request.method == "POST":
        if signed_in_as_invitee and FlaskForm().validate_on_submit():
            return _signed_in_joins(lambda: services.accept_invitation(invitation, current_user), cohort.id)
        if not current_user.is_authenticated and existing is None and form.validate_on_submit():
            try:
                user = services.accept_with_new_account(invitation, form.display_name.data, form.password.data)
            except RuleViolation as e:  # used, or the account made, in another tab a moment ago
                return _link_gone(e.message, 409)
            return _welcome(user, cohort.id, new_account=True)
    return _page("enrolment/accept.html", form, _already_member(cohort.id), invitation=invitation, cohort=cohort,
                 existing=existing, signed_in_as_invitee=signed_in_as_invitee)


def _joiner_key() -> str:
    """Whose attempts these are: the signed-in account, else the address typed, else the network address (never
    one key shared by everyone, or one person's five bad requests would stop everybody joining)."""
    if current_user.is_authenticated:
        return f"join:user:{current_user.id}"
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"join:email:{email}" if email else f"join:ip:{request.remote_addr}"


@bp.route("/join/<code>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
@limiter.limit(_limit("RATELIMIT_RESET"), methods=["POST"], key_func=_joiner_key)
def join(code: str):
    """Join with a shared invite link: signed in at once, or by email first (so nobody learns from this page
    whether an address has an account, and the address is proved to be theirs)."""
    link = links.load_invite_link(code)
    problem = links.link_problem(link)
    if problem:
        return _link_gone(problem)
    cohort = services.cohort_of(link)
    held = places.join_problem(cohort.id, current_user)
    if held:
        return _link_gone(held, 403, "Please talk to the facilitators")
    form = JoinEmailForm()
    if request.method == "POST":
        if current_user.is_authenticated and FlaskForm().validate_on_submit():
            return _signed_in_joins(lambda: links.join_by_link(link, current_user), cohort.id)
        if not current_user.is_authenticated and form.validate_on_submit():
            links.email_join_link(link, cohort, form.email.data, lambda token: external_url(
                "enrolment.confirm_join", code=code, token=token), external_url("enrolment.join", code=code))
            return render_template("enrolment/join_sent.html", email=form.email.data, cohort=cohort)
    return _page("enrolment/join.html", form, _already_member(cohort.id), cohort=cohort, code=code)


@bp.route("/join/<code>/confirm/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_limit("RATELIMIT_LOGIN"), methods=["POST"])
def confirm_join(code: str, token: str):
    """From the email: choose a name and password, then join."""
    link = links.load_invite_link(code)
    problem = links.link_problem(link)
    email = links.join_email(token, code)
    if problem or email is None or find_user_by_email(email) is not None:
        return _link_gone(problem or "This link has expired or has been used. Open the invite link again.")
    cohort = services.cohort_of(link)
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = links.join_with_new_account(link, email, form.display_name.data, form.password.data)
        except RuleViolation as e:
            return _link_gone(e.message)
        return _welcome(user, cohort.id, new_account=True)
    return render_template("enrolment/confirm_join.html", cohort=cohort, form=form, email=email), \
        INVALID if form.errors else 200
