"""The audit log pages: all of it for site administrators, a cohort's for its facilitators. Read only."""
from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_login import current_user

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
    readable = set(openings.readable_cohort_ids(current_user))
    return render_template("admin/audit.html", rows=rows, page=page, has_older=has_older,
                           shows_detail=lambda row: shows_detail(row, readable))


# Actions about running a cohort, not about what its members wrote: their detail is for site admins too.
MANAGEMENT_ACTIONS = ("member.", "facilitator.", "invitation.", "account.", "agreement.", "cohort.", "session.",
                      "safety_words.")
MODERATION_OF_MEMBERS = ("member.muted", "member.unmuted", "member.suspended", "member.suspension_lifted")


def shows_detail(row, readable: set[int]) -> bool:
    """A cohort's moderation, safeguarding and journal events may quote or describe members' words: on the
    site-wide log their detail shows only for cohorts the admin facilitates or has open."""
    cohort_id = row.event.cohort_id
    action = row.event.action
    return (cohort_id is None or cohort_id in readable
            or (action.startswith(MANAGEMENT_ACTIONS) and action not in MODERATION_OF_MEMBERS))


@cohort_bp.get("/audit")
@access(FACILITATOR)
def events():
    """What was done in this cohort (by facilitators, site admins and members accepting), newest first."""
    page = _page()
    rows, has_older = recent_events(page, cohort_id=g.cohort.id)
    return render_template("audit/cohort.html", rows=rows, page=page, has_older=has_older,
                           openings=openings.recent_openings(g.cohort.id), recent_days=openings.RECENT_DAYS,
                           now=openings.now())
