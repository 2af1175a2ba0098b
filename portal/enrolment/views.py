"""Invitations, invite links and CSV enrolment (facilitators); accepting and joining (anyone with a link)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from portal.auth import lifetimes
from portal.auth.services import find_user_by_email
from portal.cohorts.models import Cohort
from portal.cohorts.models import CURRENT_STATUSES, Membership
from portal.cohorts.scope import get_in_cohort_or_404
from portal.dates import utcnow
from portal.enrolment import services
from portal.enrolment.csv_import import CsvProblem
from portal.enrolment.forms import (MAX_CSV_BYTES, CsvUploadForm, InviteForm, InviteLinkForm, JoinEmailForm,
                                    NewAccountForm)
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from portal.errors import RuleViolation
from portal.extensions import db, limiter, user_key
from portal.permissions import FACILITATOR, PUBLIC, access, is_site_admin

bp = Blueprint("enrolment", __name__)
INVALID = 422


def invite_limit() -> str:
    return current_app.config["RATELIMIT_INVITE"]


@bp.route("/cohorts/<int:cohort_id>/invitations", methods=["GET", "POST"])
@access(FACILITATOR)
@limiter.limit(invite_limit, methods=["POST"], key_func=user_key)
def invitations():
    """Everyone invited to the cohort, and a form to invite one more person."""
    form = InviteForm()
    if not is_site_admin(current_user):
        del form.role  # facilitators invite learners
    if form.validate_on_submit():
        role = form.role.data if "role" in form else "learner"
        try:
            services.invite_person(current_user, g.cohort, form.email.data, form.name.data, role)
        except RuleViolation as e:
            form.email.errors.append(e.message)
        else:
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("enrolment.invitations"))
    rows = db.session.scalars(select(Invitation).where(Invitation.cohort_id == g.cohort.id)
                              .order_by(Invitation.created_at.desc())).all()
    return render_template("enrolment/invitations.html", form=form, rows=rows, now=utcnow()), \
        INVALID if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/revoke")
@access(FACILITATOR)
def revoke_invitation(invitation_id: int):
    """Withdraw an invitation that has not been used."""
    services.revoke_invitation(get_in_cohort_or_404(Invitation, invitation_id))
    flash("Invitation withdrawn. Its link no longer works.", "success")
    return redirect(url_for("enrolment.invitations"))


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/resend")
@access(FACILITATOR)
@limiter.limit(invite_limit, key_func=user_key)
def resend_invitation(invitation_id: int):
    """Send a fresh link; the old one stops working."""
    invitation = get_in_cohort_or_404(Invitation, invitation_id)
    try:
        services.resend_invitation(invitation, g.cohort)
    except RuleViolation as e:
        flash(e.message, "warning")
    else:
        flash(f"A new invitation has been sent to {invitation.email}.", "success")
    return redirect(url_for("enrolment.invitations"))


@bp.route("/cohorts/<int:cohort_id>/invitations/csv", methods=["GET", "POST"])
@access(FACILITATOR)
@limiter.limit(invite_limit, methods=["POST"], key_func=user_key)
def upload_csv():
    """Upload a CSV of names and emails; nothing is sent until you confirm the preview."""
    form = CsvUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            form.file.errors.append("The file is larger than 1 MB. Split it into smaller files.")
        else:
            try:
                imported = services.preview_csv(current_user, g.cohort, form.file.data.filename or "upload.csv", data)
            except CsvProblem as e:
                form.file.errors.append(str(e))
            else:
                return redirect(url_for("enrolment.csv_preview", import_id=imported.id))
    return render_template("enrolment/csv_upload.html", form=form), INVALID if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/invitations/csv/<int:import_id>", methods=["GET", "POST"])
@access(FACILITATOR)
@limiter.limit(invite_limit, methods=["POST"], key_func=user_key)
def csv_preview(import_id: int):
    """Every row with its problem; confirming invites the rows without one."""
    imported = get_in_cohort_or_404(CsvImport, import_id)
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            count = services.confirm_import(current_user, g.cohort, imported)
        except RuleViolation as e:
            flash(e.message, "info")
        else:
            flash(f"{count} invitation{'s' if count != 1 else ''} sent.", "success")
        return redirect(url_for("enrolment.invitations"))
    good = sum(1 for r in imported.rows if not r["problem"])
    return render_template("enrolment/csv_preview.html", imported=imported, form=form, good=good)


@bp.route("/cohorts/<int:cohort_id>/invite-links", methods=["GET", "POST"])
@access(FACILITATOR)
def invite_links():
    """Links to share (with an expiry and a number of places), and a form to make one."""
    form = InviteLinkForm()
    if form.validate_on_submit():
        services.create_invite_link(current_user, g.cohort, form.days.data, form.max_uses.data)
        flash("Invite link made. Share it only with people who should join.", "success")
        return redirect(url_for("enrolment.invite_links"))
    links = db.session.scalars(select(InviteLink).where(InviteLink.cohort_id == g.cohort.id)
                               .order_by(InviteLink.created_at.desc())).all()
    return render_template("enrolment/invite_links.html", form=form, links=links,
                           problem=services.link_problem), INVALID if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/invite-links/<int:link_id>/revoke")
@access(FACILITATOR)
def revoke_invite_link(link_id: int):
    """Switch a link off."""
    services.revoke_invite_link(get_in_cohort_or_404(InviteLink, link_id))
    flash("That invite link has been switched off.", "success")
    return redirect(url_for("enrolment.invite_links"))


def _welcome(user, cohort_id: int, new_account: bool):
    """Into the cohort: new accounts are signed in; everyone reads the group agreement first."""
    if new_account:
        session.clear()
        login_user(user)
        lifetimes.start(remember=False)
    flash("Welcome! Before anything else, please read your group's agreement.", "success")
    return redirect(url_for("agreements.show", cohort_id=cohort_id))


def _already_member(cohort_id: int) -> bool:
    if not current_user.is_authenticated:
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.cohort_id == cohort_id, Membership.user_id == current_user.id,
        Membership.status.in_(CURRENT_STATUSES))) is not None


def _link_gone(message: str):
    return render_template("enrolment/link_problem.html", message=message), 410


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def accept_invitation(token: str):
    """Accept an emailed invitation: with the account it was sent to, or by making one."""
    invitation, problem = services.load_invitation(token)
    if invitation is None:
        return _link_gone(problem)
    cohort = db.session.get(Cohort, invitation.cohort_id)
    existing = find_user_by_email(invitation.email)
    form = NewAccountForm(display_name=invitation.display_name)
    signed_in_as_invitee = current_user.is_authenticated and current_user.email.lower() == invitation.email.lower()
    if request.method == "POST":
        if signed_in_as_invitee and FlaskForm().validate_on_submit():
            try:
                services.accept_invitation(invitation, current_user)
            except RuleViolation as e:
                flash(e.message, "info")
                return redirect(url_for("cohorts.home"))
            return _welcome(current_user, cohort.id, new_account=False)
        if not current_user.is_authenticated and existing is None and form.validate_on_submit():
            user = services.accept_with_new_account(invitation, form.display_name.data, form.password.data)
            return _welcome(user, cohort.id, new_account=True)
    return render_template("enrolment/accept.html", invitation=invitation, cohort=cohort, form=form,
                           existing=existing, signed_in_as_invitee=signed_in_as_invitee,
                           already=_already_member(cohort.id), plain_form=FlaskForm()), INVALID if form.errors else 200


def _email_key() -> str:
    return "join:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/join/<code>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"], key_func=_email_key)
def join(code: str):
    """Join with a shared invite link: signed in at once, or by email first (so nobody learns from this page
    whether an address has an account, and the address is proved to be theirs)."""
    link = services.load_invite_link(code)
    problem = services.link_problem(link)
    if problem:
        return _link_gone(problem)
    cohort = db.session.get(Cohort, link.cohort_id)
    form = JoinEmailForm()
    if request.method == "POST":
        if current_user.is_authenticated and FlaskForm().validate_on_submit():
            try:
                services.join_by_link(link, current_user)
            except RuleViolation as e:
                flash(e.message, "info")
                return redirect(url_for("cohorts.home"))
            return _welcome(current_user, cohort.id, new_account=False)
        if not current_user.is_authenticated and form.validate_on_submit():
            services.email_join_link(link, cohort, form.email.data, lambda token: url_for(
                "enrolment.confirm_join", code=code, token=token, _external=True),
                url_for("enrolment.join", code=code, _external=True))
            return render_template("enrolment/join_sent.html", email=form.email.data, cohort=cohort)
    return render_template("enrolment/join.html", cohort=cohort, form=form, code=code,
                           already=_already_member(cohort.id), plain_form=FlaskForm()), \
        INVALID if form.errors else 200


@bp.route("/join/<code>/confirm/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def confirm_join(code: str, token: str):
    """From the email: choose a name and password, then join."""
    link = services.load_invite_link(code)
    problem = services.link_problem(link)
    email = services.join_email(token, code)
    if problem or email is None or find_user_by_email(email) is not None:
        return _link_gone(problem or "This link has expired or has been used. Open the invite link again.")
    cohort = db.session.get(Cohort, link.cohort_id)
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = services.join_with_new_account(link, email, form.display_name.data, form.password.data)
        except RuleViolation as e:
            return _link_gone(e.message)
        return _welcome(user, cohort.id, new_account=True)
    return render_template("enrolment/confirm_join.html", cohort=cohort, form=form, email=email), \
        INVALID if form.errors else 200
