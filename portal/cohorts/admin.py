"""Site administrators' pages: every cohort, creating and editing cohorts, facilitators and their invitations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.audit.forms import ConfirmWithReasonForm
from portal.auth.models import User
from portal.auth.services import find_user_by_email
from portal.cohorts import admin_services, services
from portal.cohorts.forms import AddFacilitatorForm, CohortForm
from portal.cohorts.models import Cohort, Membership
from portal.course.models import Course
from portal.dates import utcnow
from portal.errors import RuleViolation
from portal.extensions import db
from portal.permissions import SITE_ADMIN, access

bp = Blueprint("admin", __name__, url_prefix="/admin")
INVALID = 422


@bp.get("/cohorts")
@access(SITE_ADMIN)
def cohorts():
    """Every cohort with its number of current members, and whether it has an active facilitator (a running
    cohort without one is warned about: its alerts come to the site administrators)."""
    from portal.moderation.alerts import facilitated_sql

    counts = (select(Membership.cohort_id, func.count().label("n"))
              .where(Membership.status.in_(("active", "suspended"))).group_by(Membership.cohort_id).subquery())
    rows = db.session.execute(
        select(Cohort, func.coalesce(counts.c.n, 0), facilitated_sql(Cohort.id))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())).all()
    unattended = [cohort for cohort, _n, staffed in rows if cohort.status == "running" and not staffed]
    return render_template("admin/cohorts.html", rows=rows, unattended=unattended)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@access(SITE_ADMIN)
def new_cohort():
    """Create a cohort for the course."""
    course = db.session.scalars(Course.select_current()).first()
    if course is None:
        flash("Load the course first: run `flask content load`.", "warning")
        return redirect(url_for("admin.cohorts"))
    form = CohortForm()
    if form.validate_on_submit():
        cohort = services.create_cohort(current_user, course, form.name.data, form.start_date.data, form.status.data)
        flash(f"{cohort.name} created. Now add its facilitators and timetable.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    return render_template("admin/cohort_form.html", form=form, cohort=None), INVALID if form.errors else 200


@bp.route("/cohorts/<int:id>", methods=["GET", "POST"])
@access(SITE_ADMIN)
def edit_cohort(id: int):
    """Edit a cohort's name, start date and status; see and add its facilitators."""
    cohort = db.session.get(Cohort, id) or abort(404)
    form = CohortForm(obj=cohort)
    if form.validate_on_submit():
        services.update_cohort(cohort, form.name.data, form.start_date.data, form.status.data)
        flash("Cohort saved.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    return _edit_page(cohort, form, AddFacilitatorForm(), INVALID if form.errors else 200)


@bp.post("/cohorts/<int:id>/facilitators")
@access(SITE_ADMIN)
def add_facilitator(id: int):
    """Make an existing account a facilitator, or invite a new one by email."""
    cohort = db.session.get(Cohort, id) or abort(404)
    form = AddFacilitatorForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None:
            if admin_services.assign_facilitator(current_user, cohort, user):
                flash(f"{user.display_name} now facilitates {cohort.name}.", "success")
            else:
                flash(f"{user.display_name} already facilitates {cohort.name}.", "info")
        else:
            admin_services.invite_facilitator(current_user, cohort, form.email.data)
            flash(f"There is no account for {form.email.data} yet, so we have emailed them an invitation "
                  "to facilitate this cohort.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    return _edit_page(cohort, CohortForm(obj=cohort), form, INVALID)


@bp.route("/cohorts/<int:id>/facilitators/<int:user_id>/remove", methods=["GET", "POST"])
@access(SITE_ADMIN)
def remove_facilitator(id: int, user_id: int):
    """Confirm, then end someone's place as facilitator (recorded in the audit log)."""
    cohort = db.session.get(Cohort, id) or abort(404)
    if admin_services.facilitator_membership(cohort, user_id) is None:
        abort(404)
    user = db.session.get(User, user_id)
    form = ConfirmWithReasonForm()
    if form.validate_on_submit():
        try:
            admin_services.remove_facilitator(current_user, cohort, user, form.reason.data)
        except RuleViolation as e:
            flash(e.message, "warning")
        else:
            flash(f"{user.display_name} no longer facilitates {cohort.name}.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    only_one = cohort.status == "running" and len(admin_services.active_facilitators(cohort.id)) <= 1
    return _confirm(cohort, form, f"Remove {user.display_name} as facilitator of {cohort.name}?", [
        f"{user.display_name} ({user.email}) will no longer see {cohort.name} or manage it. "
        "Everything they wrote there stays with the group.",
        "If they should come back, add them again from the cohort page."],
        "Remove as facilitator", refusal=(
            f"{user.display_name} is the only facilitator of {cohort.name}, which is running. Add another "
            "facilitator first, so the group is never left without one.") if only_one else None)


@bp.route("/cohorts/<int:id>/invitations/<int:invitation_id>/resend", methods=["GET", "POST"])
@access(SITE_ADMIN)
def resend_invitation(id: int, invitation_id: int):
    """Confirm, then email a pending facilitator invitation again with a fresh link."""
    cohort = db.session.get(Cohort, id) or abort(404)
    invitation = admin_services.find_invitation(cohort, invitation_id) or abort(404)
    form = ConfirmWithReasonForm()
    if form.validate_on_submit():
        try:
            admin_services.resend_facilitator_invitation(current_user, cohort, invitation)
        except RuleViolation as e:
            flash(e.message, "warning")
        else:
            flash(f"A new invitation has been sent to {invitation.email}.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    return _confirm(cohort, form, f"Send the invitation to {invitation.email} again?", [
        f"We will email {invitation.email} a new link to facilitate {cohort.name}, valid for two weeks. "
        "The link in any earlier email stops working."], "Send it again", warning=False,
        refusal=admin_services.invitation_problem(invitation))


@bp.route("/cohorts/<int:id>/invitations/<int:invitation_id>/withdraw", methods=["GET", "POST"])
@access(SITE_ADMIN)
def withdraw_invitation(id: int, invitation_id: int):
    """Confirm, then withdraw a pending facilitator invitation so its link stops working."""
    cohort = db.session.get(Cohort, id) or abort(404)
    invitation = admin_services.find_invitation(cohort, invitation_id) or abort(404)
    form = ConfirmWithReasonForm()
    if form.validate_on_submit():
        try:
            admin_services.withdraw_facilitator_invitation(current_user, cohort, invitation, form.reason.data)
        except RuleViolation as e:
            flash(e.message, "warning")
        else:
            flash(f"The invitation to {invitation.email} has been withdrawn. Its link no longer works.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    return _confirm(cohort, form, f"Withdraw the invitation to {invitation.email}?", [
        f"The link we emailed to {invitation.email} will stop working. Nobody is told; "
        "you can invite them again later."], "Withdraw the invitation",
        refusal=admin_services.invitation_problem(invitation))


def _confirm(cohort: Cohort, form, heading: str, explanation: list[str], button: str, *,
             refusal: str | None = None, warning: bool = True):
    back = url_for("admin.edit_cohort", id=cohort.id)
    crumbs = [("All cohorts", url_for("admin.cohorts")), (cohort.name, back)]
    return render_template("admin/confirm.html", form=form, heading=heading, explanation=explanation,
                           button=button, refusal=refusal, warning=warning, back_url=back,
                           crumbs=crumbs), INVALID if form.errors else 200


def _edit_page(cohort: Cohort, form: CohortForm, add_form: AddFacilitatorForm, status: int):
    return render_template("admin/cohort_form.html", form=form, cohort=cohort, add_form=add_form,
                           facilitators=admin_services.active_facilitators(cohort.id),
                           invitations=admin_services.pending_facilitator_invitations(cohort.id),
                           now=utcnow()), status
