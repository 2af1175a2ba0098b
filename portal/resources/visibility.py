"""Who may open a resource: one rule, used by the list, the file and the link alike.

A resource is in a cohort when it is the cohort's own, or the course's own for the cohort's course. It may be
opened while it is neither withdrawn nor retired and its session is open (facilitators: always). Everything
else answers 404, exactly like a resource that doesn't exist.
"""
from __future__ import annotations

from sqlalchemy import and_, or_

from portal.cohorts.timetable import session_openings
from portal.errors import NotFound
from portal.extensions import db
from portal.resources.models import Resource


def in_cohort(cohort):
    """The SQL condition: resources of this cohort (its own, and its course's), live."""
    return and_(or_(Resource.cohort_id == cohort.id,
                    and_(Resource.cohort_id.is_(None), Resource.course_id == cohort.course_id)),
                Resource.retired_at.is_(None))


def belongs_to(row: Resource | None, cohort) -> bool:
    if row is None or row.retired_at is not None:
        return False
    return row.cohort_id == cohort.id or (row.cohort_id is None and row.course_id == cohort.course_id)


def visible_resource(cohort, resource_id: int, facilitator: bool) -> Resource:
    row = db.session.get(Resource, resource_id)
    if not belongs_to(row, cohort) or row.withdrawn_at is not None:
        raise NotFound("That resource isn't here.")
    if not facilitator and not session_openings(cohort.id).get(row.course_session_id, False):
        raise NotFound("That resource isn't here.")
    return row
