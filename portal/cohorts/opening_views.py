"""'Open as site administrator': the form asking why and for how long, and ending an opening early."""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.cohorts import openings
from portal.cohorts.forms import OpenCohortForm
from portal.cohorts.models import Cohort
from portal.dates import human_date
from portal.errors import DomainError
from portal.extensions import db
from portal.keep.rescue import keeps, take_kept
from portal.permissions import SITE_ADMIN, access

bp = Blueprint("opening", __name__, url_prefix="/admin/cohorts")


def _cohort_or_404(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _safe_next(cohort: Cohort, value: str | None) -> str:
    """Only a page of this cohort: never another site, never another cohort."""
    if value and re.fullmatch(rf"/cohorts/{cohort.id}/[\w\-./?=&%]*", value) and "//" not in value:
        return value
    return url_for("cohorts.show", cohort_id=cohort.id)


@bp.route("/<int:id>/open", methods=["GET", "POST"])
@access(SITE_ADMIN)
@keeps({"reason": "Why you need to read this cohort"}, ("minutes", "next"))
def open_cohort(id: int):
    cohort = _cohort_or_404(id)
    form = OpenCohortForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        take_kept(form)  # a reason sent after the session ended comes back as typed
    if form.validate_on_submit():
        try:
            opening = openings.open_cohort(current_user, cohort.id, form.reason.data, form.minutes.data)
        except DomainError as e:
            form.reason.errors = [*form.reason.errors, e.message]
        else:
            flash(f"{cohort.name} is open to you until {human_date(opening.expires_at)}. Its facilitators can "
                  "see that you opened it, why and until when.", "success")
            return redirect(_safe_next(cohort, form.next.data))
    current = openings.active_opening(current_user.id, cohort.id)
    return render_template("admin/open_cohort.html", cohort=cohort, form=form, current=current), \
        422 if form.errors else 200


@bp.post("/<int:id>/open/end")
@access(SITE_ADMIN)
def end_opening(id: int):
    cohort = _cohort_or_404(id)
    if openings.end_opening(current_user, cohort.id):
        flash(f"You have closed {cohort.name} again. Its facilitators can see when you did.", "success")
    else:
        flash(f"{cohort.name} was not open to you.", "info")
    return redirect(url_for("admin.edit_cohort", id=cohort.id))
