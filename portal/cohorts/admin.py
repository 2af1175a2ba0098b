"""Site administrators' pages: every cohort, creating and editing cohorts, assigning facilitators."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.auth.services import find_user_by_email
from portal.cohorts import services
from portal.cohorts.forms import AddFacilitatorForm, CohortForm
from portal.cohorts.models import Cohort, Membership
from portal.course.models import Course
from portal.extensions import db
from portal.permissions import SITE_ADMIN, access

bp = Blueprint("admin", __name__, url_prefix="/admin")
INVALID = 422


@bp.get("/cohorts")
@access(SITE_ADMIN)
def cohorts():
    """Every cohort with its number of current members."""
    counts = (select(Membership.cohort_id, func.count().label("n"))
              .where(Membership.status.in_(("active", "suspended"))).group_by(Membership.cohort_id).subquery())
    rows = db.session.execute(
        select(Cohort, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())).all()
    return render_template("admin/cohorts.html", rows=rows)


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
            services.add_facilitator(cohort, user)
            flash(f"{user.display_name} now facilitates {cohort.name}.", "success")
        else:
            from portal.enrolment.services import invite_person

            invite_person(current_user, cohort, form.email.data, None, "facilitator")
            flash(f"There is no account for {form.email.data} yet, so we have emailed them an invitation "
                  "to facilitate this cohort.", "success")
        return redirect(url_for("admin.edit_cohort", id=cohort.id))
    return _edit_page(cohort, CohortForm(obj=cohort), form, INVALID)


def _edit_page(cohort: Cohort, form: CohortForm, add_form: AddFacilitatorForm, status: int):
    from portal.auth.models import User

    facilitators = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, Membership.role == "facilitator",
               Membership.status == "active").order_by(User.display_name)).all()
    return render_template("admin/cohort_form.html", form=form, cohort=cohort, add_form=add_form,
                           facilitators=facilitators), status
