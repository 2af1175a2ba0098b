"""Announcements in a cohort: the list, posting, dismissing from my cohort home, withdrawing; and reminding
members to accept the group agreement."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.announcements import queries, reminders, services
from portal.announcements.forms import AnnouncementForm
from portal.dates import human_date
from portal.errors import DomainError, RuleViolation
from portal.keep.rescue import keeps, take_kept
from portal.numbers import query_int
from portal.permissions import FACILITATOR, MEMBER, access
from portal.words import plural

bp = Blueprint("announcements", __name__, url_prefix="/cohorts/<int:cohort_id>")
INVALID = 422


@bp.get("/announcements")
@access(MEMBER)
def index():
    """Every announcement still standing, newest first, dismissed ones included."""
    page = query_int("page", 1, maximum=9_999)
    rows, more = queries.cohort_announcements(g.cohort.id, current_user.id, page)
    return render_template("announcements/index.html", rows=rows, page=page, has_more=more, form=FlaskForm())


@bp.route("/announcements/new", methods=["GET", "POST"])
@access(FACILITATOR)
@keeps({"title": "Title", "body": "Your announcement"})
def new():
    """Post an announcement to the whole cohort."""
    form = AnnouncementForm()
    if request.method == "GET":
        form.client_token.data = secrets.token_urlsafe(16)
        take_kept(form)  # words sent after their session ended, back as typed
        return render_template("announcements/new.html", form=form)
    problem = None
    if form.validate():
        try:
            row = services.post_announcement(current_user, g.cohort, form.title.data, form.body.data,
                                             form.client_token.data)
        except DomainError as e:
            problem = e.message
        else:
            flash(f"Your announcement “{row.title}” is posted. Everyone in the cohort sees it on the cohort's "
                  "home page, and it is emailed to them as they chose.", "success")
            return redirect(url_for("announcements.index"))
    return render_template("announcements/new.html", form=form, problem=problem), INVALID


@bp.post("/announcements/<int:announcement_id>/dismiss")
@access(MEMBER, when_read_only=True)  # tidying one's own home page changes nothing of the cohort
def dismiss(announcement_id: int):
    """Close an announcement on my cohort home; it stays on the list of announcements."""
    row = services.dismiss_announcement(current_user.id, g.cohort.id, announcement_id)
    flash(f"Closed “{row.title}”. You can read it again under All announcements.", "success")
    return redirect(url_for("cohorts.show"))


@bp.route("/announcements/<int:announcement_id>/withdraw", methods=["GET", "POST"])
@access(FACILITATOR)
def withdraw(announcement_id: int):
    """Withdraw an announcement, after a confirmation naming it."""
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        row = services.withdraw_announcement(current_user, g.cohort, announcement_id)
        flash(f"“{row.title}” has been withdrawn: nobody sees it now, and it won't be emailed."
              if row else "That announcement had already been withdrawn.", "success")
        return redirect(url_for("announcements.index"))
    row = services.live_announcement(g.cohort.id, announcement_id)
    return render_template("announcements/withdraw.html", row=row, form=form)


@bp.route("/manage/agreement/remind", methods=["GET", "POST"])
@access(FACILITATOR, site_admin_manages=True)  # like the agreement page: names and dates, no member's words
def remind():
    """Remind the members who have not yet accepted the agreement in force, after saying who they are."""
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        try:
            count = reminders.remind_agreement(current_user, g.cohort)
        except RuleViolation as e:
            flash(e.message, "info")
        else:
            flash(f"Reminder sent to {plural(count, 'person', 'people')}. They'll see it in their "
                  "notifications, and by email if they chose that.", "success")
        return redirect(url_for("agreements.manage"))
    people = reminders.not_yet_accepted(g.cohort.id, current_user.id)
    last = reminders.last_reminder(g.cohort.id)
    return render_template("announcements/remind.html", people=people, form=form,
                           last=human_date(last) if last else None)
