"""The course overview."""
from __future__ import annotations

from flask import Blueprint, render_template

from portal.course.models import Course, CourseSession
from portal.extensions import db
from portal.permissions import USER, access

bp = Blueprint("course", __name__, url_prefix="/course")


@bp.get("/")
@access(USER)
def overview():
    """The course and its sessions with their aims."""
    course = db.session.scalars(Course.select_current()).first()
    sessions = db.session.scalars(CourseSession.select_live(course.id)).all() if course else []
    return render_template("course/overview.html", course=course, sessions=sessions)
