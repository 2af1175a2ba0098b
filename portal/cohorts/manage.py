"""Facilitators' pages: the timetable, early release, and members' places in the cohort."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.cohorts import services
from portal.cohorts.forms import MemberActionForm, TimetableForm
from portal.cohorts.models import Membership
from portal.cohorts.scope import get_in_cohort_or_404
from portal.cohorts.timetable import load_timetable
from portal.errors import InvalidInput, RuleViolation
from portal.moderation import hours, levels
from portal.numbers import parse_id
from portal.permissions import FACILITATOR, access

bp = Blueprint("manage", __name__, url_prefix="/cohorts/<int:cohort_id>/manage")
INVALID = 422


@bp.route("/timetable", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
def timetable():
    """Dates, times and places for every session, and early release."""
    slots = load_timetable(g.cohort.id)
    form = TimetableForm()
    if not form.is_submitted():
        for slot in slots:
            form.rows.append_entry({"entry_id": slot.entry.id, "day": slot.entry.day, "at": slot.entry.start_time,
                                    "location": slot.entry.location})
    if form.validate_on_submit():
        entries = []
        for row in form.rows:
            entry_id = parse_id(row.entry_id.data)
            if entry_id is None:
                abort(400)
            entries.append(services.TimetableEntry(entry_id, row.day.data, row.at.data, row.location.data))
        try:
            warnings = services.save_timetable(g.cohort, entries, current_user.id)
        except RuleViolation:
            abort(404)
        flash("Timetable saved.", "success")
        for warning in warnings:
            flash(warning, "warning")
        return redirect(url_for("manage.timetable"))
    labels = {slot.entry.id: slot for slot in slots}
    return render_template("cohorts/manage_timetable.html", form=form, slots=slots, labels=labels), \
        INVALID if form.errors else 200


@bp.post("/sessions/<int:number>/release")
@access(FACILITATOR, site_admin_manages=True)
def release(number: int):
    """Open a session to learners now, before its date."""
    slot = _slot_or_404(number)
    services.release_session(slot.entry, current_user.id)
    flash(f"Session {number} is now open to learners.", "success")
    return redirect(url_for("manage.timetable"))


@bp.post("/sessions/<int:number>/withdraw-release")
@access(FACILITATOR, site_admin_manages=True)
def withdraw_release(number: int):
    """Undo an early release."""
    slot = _slot_or_404(number)
    services.withdraw_release(slot.entry)
    flash(f"Session {number} will open on its date.", "success")
    return redirect(url_for("manage.timetable"))


@bp.post("/sessions/<int:number>/moderation")
@access(FACILITATOR, site_admin_manages=True)
def session_moderation(number: int):
    """When a facilitator reads this session's posts in this cohort: after posting, or before others see them."""
    slot = _slot_or_404(number)
    # An unknown level is an InvalidInput: a 422 page that says nothing was changed.
    changed = levels.set_session_moderation(current_user, g.cohort, slot.session.id, request.form.get("level", ""))
    if changed:
        flash(f"Session {number}: " + ("a facilitator now reads each post before others see it."
                                       if request.form.get("level") == "before" else
                                       "posts now show at once, and facilitators read them after."), "success")
    return redirect(url_for("manage.timetable", _anchor="moderation"))


@bp.route("/usual-hours", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)
def usual_hours():
    """When the facilitators are usually around and what happens outside those hours, in their words."""
    text = g.cohort.usual_hours or ""
    error = None
    if request.method == "POST":
        text = request.form.get("usual_hours", "")
        try:
            hours.set_usual_hours(current_user, g.cohort, text)
        except InvalidInput as e:
            error = e.message
        else:
            flash("Saved. Your cohort sees these words on its home page and on \"Need help now?\".", "success")
            return redirect(url_for("manage.usual_hours"))
    return render_template("cohorts/usual_hours.html", text=text, error=error,
                           default=hours.DEFAULT_HOURS), INVALID if error else 200


@bp.get("/members/<int:membership_id>/remove")
@access(FACILITATOR, site_admin_manages=True)
def confirm_remove(membership_id: int):
    """Ask before removing someone, naming them: removal ends their access to everything here."""
    membership = get_in_cohort_or_404(Membership, membership_id)
    if not membership.is_current or membership.user_id == current_user.id:
        return redirect(url_for("cohorts.members"))
    person = services.member_name(membership)
    return render_template("cohorts/confirm_remove.html", membership=membership, person=person, form=FlaskForm())


@bp.post("/members/<int:membership_id>")
@access(FACILITATOR, site_admin_manages=True)
def member_status(membership_id: int):
    """Pause, remove or restore a member."""
    membership = get_in_cohort_or_404(Membership, membership_id)
    form = MemberActionForm()
    if not form.validate_on_submit():
        raise InvalidInput("Choose what to do: pause, remove or restore. Nothing has been changed.")
    try:
        notice = services.change_member_status(current_user, membership, form.action.data)
    except RuleViolation as e:
        flash(e.message, "warning")
    else:
        flash(notice, "success")
    return redirect(url_for("cohorts.members"))


def _slot_or_404(number: int):
    slot = next((s for s in load_timetable(g.cohort.id) if s.number == number), None)
    if slot is None:
        abort(404)
    return slot
