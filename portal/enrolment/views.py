"""Invitations, invite links and CSV enrolment, for a cohort's facilitators. Accepting and joining: joining.py."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.cohorts.scope import get_in_cohort_or_404
from portal.dates import utcnow
from portal.enrolment import allowance, links, services
from portal.enrolment.allowance import InviteLimitReached
from portal.enrolment.csv_import import CsvProblem
from portal.enrolment.forms import MAX_CSV_BYTES, CsvUploadForm, InviteForm, InviteLinkForm
from portal.enrolment.models import CsvImport, Invitation, InviteLink
from portal.errors import InvalidInput, RuleViolation
from portal.extensions import limiter, user_key
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, access, is_site_admin
from portal.words import plural

bp = Blueprint("enrolment", __name__)
INVALID = 422
MAX_BULK = 5_000  # as many as one CSV can invite


def invite_limit() -> str:
    return current_app.config["RATELIMIT_INVITE"]


@bp.route("/cohorts/<int:cohort_id>/invitations", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
def invitations():
    """Everyone invited to the cohort, and a form to invite one more person."""
    form = InviteForm()
    if not is_site_admin(current_user):
        del form.role  # facilitators invite learners
    status = 200
    if form.validate_on_submit():
        role = form.role.data if "role" in form else "learner"
        try:
            allowance.check(user_key(), 1)
            services.invite_person(current_user, g.cohort, form.email.data, form.name.data, role)
        except InviteLimitReached as e:
            form.email.errors.append(e.message)
            status = e.status
        except RuleViolation as e:
            form.email.errors.append(e.message)
        else:
            allowance.spend(user_key(), 1)
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("enrolment.invitations"))
    return render_template("enrolment/invitations.html", form=form, rows=services.list_invitations(g.cohort),
                           members=services.member_emails(g.cohort), now=utcnow()), \
        status if status != 200 else INVALID if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/invitations/withdraw", methods=["GET", "POST"])
# withdrawing is always allowed, archived or not
@access(FACILITATOR, when_read_only=True, site_admin_manages=True)
def withdraw_invitations():
    """Withdraw the chosen waiting invitations together, after a confirmation that lists them."""
    form = FlaskForm()
    values = request.values.getlist("invitation")[:MAX_BULK]
    chosen = [parse_id(v) for v in values]
    if None in chosen:
        raise InvalidInput("Those invitations couldn't be read. Nothing has been changed.")
    waiting = services.waiting_invitations(g.cohort, chosen)
    if not waiting:
        flash("Choose at least one waiting invitation to withdraw.", "info")
        return redirect(url_for("enrolment.invitations"))
    if request.method == "POST" and form.validate_on_submit():
        count = services.revoke_invitations(waiting)
        flash(f"{plural(count, 'invitation')} withdrawn. Their links no longer work.", "success")
        return redirect(url_for("enrolment.invitations"))
    return render_template("enrolment/withdraw_invitations.html", form=form, waiting=waiting)


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/revoke")
# switching a way in off is always allowed, archived or not
@access(FACILITATOR, when_read_only=True, site_admin_manages=True)
def revoke_invitation(invitation_id: int):
    """Withdraw an invitation that has not been used."""
    try:
        services.revoke_invitation(get_in_cohort_or_404(Invitation, invitation_id))
    except RuleViolation as e:
        flash(e.message, "info")
    else:
        flash("Invitation withdrawn. Its link no longer works.", "success")
    return redirect(url_for("enrolment.invitations"))


@bp.post("/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/resend")
@access(FACILITATOR, site_admin_manages=True)
def resend_invitation(invitation_id: int):
    """Send a fresh link; the old one stops working."""
    invitation = get_in_cohort_or_404(Invitation, invitation_id)
    try:
        allowance.check(user_key(), 1)
        services.resend_invitation(invitation, g.cohort)
    except RuleViolation as e:
        flash(e.message, "warning")
    except InviteLimitReached as e:
        flash(e.message, "warning")
    else:
        allowance.spend(user_key(), 1)
        flash(f"A new invitation has been sent to {invitation.email}.", "success")
    return redirect(url_for("enrolment.invitations"))


@bp.route("/cohorts/<int:cohort_id>/invitations/csv", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
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
            except RuleViolation as e:  # the cohort has finished
                form.file.errors.append(e.message)
            else:
                return redirect(url_for("enrolment.csv_preview", import_id=imported.id))
    return render_template("enrolment/csv_upload.html", form=form), INVALID if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/invitations/csv/<int:import_id>", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
def csv_preview(import_id: int):
    """Every row with its problem; confirming invites the rows without one."""
    imported = get_in_cohort_or_404(CsvImport, import_id)
    form = FlaskForm()
    good = sum(1 for r in imported.rows if not r["problem"])
    refused = None
    if form.validate_on_submit():
        try:
            allowance.check(user_key(), good)  # every address counts, not the one click
            count = services.confirm_import(current_user, g.cohort, imported)
        except InviteLimitReached as e:
            refused = e
        except RuleViolation as e:
            flash(e.message, "info")
            return redirect(url_for("enrolment.invitations"))
        else:
            allowance.spend(user_key(), count)
            flash(f"{plural(count, 'invitation')} sent.", "success")
            return redirect(url_for("enrolment.invitations"))
    size = services.cohort_size(g.cohort)
    return render_template("enrolment/csv_preview.html", imported=imported, form=form, good=good,
                           refused=refused and refused.message, can_send=allowance.remaining(user_key()),
                           size=size, size_warning=current_app.config["COHORT_SIZE_WARNING"]), \
        refused.status if refused else 200


@bp.route("/cohorts/<int:cohort_id>/invite-links", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
def invite_links():
    """Links to share (with an expiry and a number of places), and a form to make one."""
    form = InviteLinkForm()
    if form.validate_on_submit():
        try:
            links.create_invite_link(current_user, g.cohort, form.days.data, form.max_uses.data)
        except RuleViolation as e:  # the cohort has finished
            form.days.errors.append(e.message)
        else:
            flash("Invite link made. Share it only with people who should join.", "success")
            return redirect(url_for("enrolment.invite_links"))
    return render_template("enrolment/invite_links.html", form=form, links=links.list_links(g.cohort),
                           problem=links.link_problem), INVALID if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/invite-links/<int:link_id>/revoke")
# switching a link off is always allowed, archived or not
@access(FACILITATOR, when_read_only=True, site_admin_manages=True)
def revoke_invite_link(link_id: int):
    """Switch a link off."""
    links.revoke_invite_link(get_in_cohort_or_404(InviteLink, link_id))
    flash("That invite link has been switched off.", "success")
    return redirect(url_for("enrolment.invite_links"))
