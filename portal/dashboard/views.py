"""The cohort dashboard (facilitators), a learner's progress (their own), and the facilitators' CSV downloads."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from portal.dashboard import exports, progress, queries, snapshot
from portal.dashboard.svg import grid_svg
from portal.dashboard.table import table_rows
from portal.dates import human_time, to_local
from portal.permissions import FACILITATOR, MEMBER, access, is_facilitator_here
from portal.spreadsheet import csv_response

bp = Blueprint("dashboard", __name__, url_prefix="/cohorts/<int:cohort_id>")

GRID_DESCRIPTION = ("Each row is a learner and each column a session. In each cell, a circle marked A means they "
                    "attended, a square marked P that they posted in the session's threads, a rounded box marked R "
                    "that they responded to the session's exercise, a diamond marked F that they gave feedback; "
                    "a number after the letter says how many. A dash means nothing yet. The table below holds "
                    "the same figures.")


@bp.get("/dashboard")
@access(FACILITATOR)
def show():
    """Members × sessions, what is waiting, who may welcome a check-in, and the timetable at a glance."""
    found = queries.load_dashboard(g.cohort.id)
    columns = [(s.session.id, s.number) for s in found.slots]
    svg = grid_svg(found.members, columns, found.activity,
                   title=f"Activity of each learner in each session of {g.cohort.name}", description=GRID_DESCRIPTION)
    rows = table_rows(found.members, columns, found.activity,
                      url_for("dashboard.member", user_id=0).removesuffix("0"))  # one url_for for every row
    return render_template("dashboard/show.html", d=found, svg=svg, rows=rows, columns=columns,
                           as_of=human_time(to_local(found.as_of).time()))


@bp.post("/dashboard/refresh")
@access(FACILITATOR)
def refresh():
    """Count the figures again now, rather than waiting for the next refresh."""
    snapshot.refresh_snapshot(g.cohort.id)
    flash("The figures are up to date.", "success")
    return redirect(url_for("dashboard.show", _anchor="activity"))


@bp.get("/my-progress")
@access(MEMBER)
def mine():
    """Your own progress: attendance, posts, responses, feedback and assignments."""
    found = progress.learner_place(g.cohort.id, current_user.id)
    if found is None:  # facilitators and site admins have no progress of their own here
        abort(404)
    return render_template("dashboard/progress.html", p=progress.load_progress(found[0]), name=None)


@bp.get("/progress/<int:user_id>")
@access(MEMBER)
def member(user_id: int):
    """A learner's progress: their own, or, for the cohort's facilitators, any learner's; anyone else: 404."""
    if user_id == current_user.id:
        return redirect(url_for("dashboard.mine"))
    if not is_facilitator_here():
        abort(404)
    found = progress.learner_place(g.cohort.id, user_id)
    if found is None:  # not a current learner of this cohort (another cohort's, a facilitator, made up)
        abort(404)
    place, name = found
    return render_template("dashboard/progress.html", p=progress.load_progress(place), name=name)


def _download(kind: str, rows):
    header, body = rows
    return csv_response(f"{g.cohort.name} {kind}.csv", header, body)


@bp.get("/dashboard/attendance.csv")
@access(FACILITATOR)
def attendance_csv():
    """Each learner's attendance at each session, as a spreadsheet."""
    return _download("attendance", exports.attendance_rows(g.cohort.id))


@bp.get("/dashboard/participation.csv")
@access(FACILITATOR)
def participation_csv():
    """Each learner's posts, responses and feedback given per session, as a spreadsheet."""
    return _download("participation", exports.participation_rows(g.cohort.id))


@bp.get("/dashboard/assignments.csv")
@access(FACILITATOR)
def assignments_csv():
    """Where each learner is with each assignment, as a spreadsheet."""
    return _download("assignments", exports.assignment_rows(g.cohort.id))
