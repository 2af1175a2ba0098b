"""The read side: a session's resources for one person, in one query."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, select

from portal.extensions import db
from portal.resources.models import Resource, ResourceOpened
from portal.resources.visibility import in_cohort


@dataclass(frozen=True)
class Item:
    resource: Resource
    opened: bool  # by this person (always True for anyone but a learner: nothing to mark)
    first: bool = False  # first / last of the cohort's own in this session: no "move up" / "move down"
    last: bool = False


def session_resources(cohort, course_session_id: int, user_id: int, *, member: bool,
                      with_withdrawn: bool) -> list[Item]:
    """The course's own resources first (in the files' order), then the cohort's (in the facilitators' order);
    withdrawn ones only for facilitators, after the rest."""
    opened = and_(ResourceOpened.resource_id == Resource.id, ResourceOpened.cohort_id == cohort.id,
                  ResourceOpened.user_id == user_id)
    statement = (select(Resource, ResourceOpened.id).outerjoin(ResourceOpened, opened)
                 .where(in_cohort(cohort), Resource.course_session_id == course_session_id)
                 .order_by(case((Resource.withdrawn_at.is_(None), 0), else_=1),
                           case((Resource.cohort_id.is_(None), 0), else_=1), Resource.position, Resource.id))
    if not with_withdrawn:
        statement = statement.where(Resource.withdrawn_at.is_(None))
    rows = db.session.execute(statement).all()
    own = [r.id for r, _ in rows if r.cohort_id is not None and r.withdrawn_at is None]
    return [Item(r, opened_id is not None or not member, bool(own) and r.id == own[0],
                 bool(own) and r.id == own[-1]) for r, opened_id in rows]
