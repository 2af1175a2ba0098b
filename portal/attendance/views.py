"""Recording and seeing attendance."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.attendance import services
from portal.attendance.forms import CHOICES, CLEAR, AttendanceForm
from portal.permissions import FACILITATOR, MEMBER, access

bp = Blueprint("attendance", __name__, url_prefix="/cohorts/<int:cohort_id>")
INVALID = 422  # a refused form is shown again with this status and every choice kept


@bp.get("/attendance")
@access(FACILITATOR, site_admin_manages=True)  # who came: a register, no member's words
def overview():
    """Every session's attendance at a glance, and each learner's totals."""
    return render_template("attendance/overview.html", overview=services.load_overview(g.cohort.id),
                           choices=CHOICES)


@bp.route("/attendance/<int:number>", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)  # who came: a register, no member's words
def record(number: int):
    """The register for one session: everyone on one screen, saved with one button."""
    found = services.find_session(g.cohort.id, number)
    if found is None:
        abort(404)
    entry, session = found
    form = AttendanceForm()
    invalid: frozenset[int] = frozenset()
    if form.validate_on_submit():
        try:
            services.record_attendance(current_user, g.cohort, entry, form.statuses)
        except services.AttendanceRefused as e:
            form.form_errors.append(e.message)
            invalid = e.invalid
        else:
            flash(f"Attendance for session {number} saved.", "success")
            return redirect(url_for("attendance.overview"))
    recorded = services.recorded_statuses(entry.id)
    chosen = form.statuses if request.method == "POST" else recorded
    return render_template("attendance/record.html", form=form, entry=entry, session=session,
                           learners=services.load_learners(g.cohort.id), chosen=chosen, invalid=invalid,
                           recorded=recorded, choices=CHOICES, clear=CLEAR,
                           not_yet_held=services.not_yet_held(entry) and services.not_yet_held_message(entry)), \
        INVALID if form.errors else 200


@bp.get("/my-attendance")
@access(MEMBER)
def mine():
    """Your own attendance, session by session; nothing about anyone else."""
    if g.membership is None:  # a site admin looking in has no record of their own
        abort(404)
    return render_template("attendance/mine.html", rows=services.load_own_record(g.membership))
