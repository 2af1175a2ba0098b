"""The facilitators' members × exercises overview of a cohort."""
from __future__ import annotations

from flask import g, render_template, url_for

from portal.cohorts.timetable import load_timetable
from portal.exercises import overview
from portal.exercises.views import bp
from portal.permissions import FACILITATOR, access


@bp.get("/exercises/overview")
@access(FACILITATOR)
def members_overview():
    """Each learner × each exercise of the cohort, in words: responded, feedback given and received, overdue."""
    return render_template("exercises/overview.html",
                           overview=overview.load_overview(g.cohort.id, load_timetable(g.cohort.id)),
                           # one url_for for the page's many links to responses (each cost more than its cell)
                           response_url=url_for("exercises.response", response_id=0).removesuffix("0"))
