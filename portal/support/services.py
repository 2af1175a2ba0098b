"""Who a person can turn to on the course: their own cohorts' facilitators, and no one else's."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.extensions import db


def facilitators_for(user) -> list[tuple[str, list[str], int, bool]]:
    """(cohort name, facilitators' names, cohort id, whether they are a learner there: their check-in messages
    link) for each cohort the person currently belongs to.

    Only cohorts they are in now (not left, removed or archived), only active facilitators, never
    the person themselves; names only, never email addresses.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    mine, theirs = aliased(Membership), aliased(Membership)
    rows = db.session.execute(
        select(Cohort.id, Cohort.name, User.display_name, mine.role)
        .join(mine, (mine.cohort_id == Cohort.id) & (mine.user_id == user.id)
              & mine.status.in_(CURRENT_STATUSES))
        .join(theirs, (theirs.cohort_id == Cohort.id) & (theirs.role == "facilitator")
              & (theirs.status == "active") & (theirs.user_id != user.id))
        .join(User, (User.id == theirs.user_id) & User.active.is_(True))
        .where(Cohort.status != "archived")
        .order_by(Cohort.start_date.desc(), Cohort.id.desc(), User.display_name, User.id)).all()
    grouped: dict[int, tuple[str, list[str], int, bool]] = {}
    for cohort_id, cohort_name, person, role in rows:
        grouped.setdefault(cohort_id, (cohort_name, [], cohort_id, role == "learner"))[1].append(person)
    return list(grouped.values())
