"""The audit log pages: all of it for site administrators, a cohort's for its facilitators. Read only."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from portal.audit.services import recent_events
from portal.cohorts import openings
from portal.numbers import query_int
from portal.permissions import FACILITATOR, SITE_ADMIN, access

# Read only, both of them: no route of the portal changes or deletes an event (tests/audit checks the route map).
bp = Blueprint("audit", __name__, url_prefix="/admin")
cohort_bp = Blueprint("cohort_audit", __name__, url_prefix="/cohorts/<int:cohort_id>/manage")
MAX_PAGE = 10_000


def _page() -> int:
    return query_int("page", 1, maximum=MAX_PAGE)


@bp.get("/audit")
@access(SITE_ADMIN)
def events():
    """What site admins and facilitators have done, newest first, a page at a time."""
    page = _page()
    rows, has_older = recent_events(page)
    return render_template("admin/audit.html", rows=rows, page=page, has_older=has_older)


@cohort_bp.get("/audit")
@access(FACILITATOR)
def events():
    """What was done in this cohort (by facilitators, site admins and members accepting), newest first."""
    page = _page()
    rows, has_older = recent_events(page, cohort_id=g.cohort.id)
    return render_template("audit/cohort.html", rows=rows, page=page, has_older=has_older,
                           openings=openings.recent_openings(g.cohort.id), recent_days=openings.RECENT_DAYS,
                           now=openings.now())
