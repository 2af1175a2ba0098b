"""Who a person can turn to on the course: their own cohorts' facilitators, and no one else's."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Cohort, Membership
from portal.extensions import db
from portal.moderation.hours import DEFAULT_HOURS


def usual_hours_text(text: str | None) -> str:
    return (text or "").strip() or DEFAULT_HOURS


def facilitators_for(user) -> list[tuple[str, list[str], int, bool, str]]:
    """(cohort name, facilitators' names, cohort id, whether they are a learner there (their check-in messages
    link), when the facilitators are usually around) for each cohort the person currently belongs to.

    Only cohorts they are in now (not left, removed or archived), only active facilitators, never
    the person themselves; names only, never email addresses.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    mine, theirs = aliased(Membership), aliased(Membership)
    rows = db.session.execute(
        select(Cohort.id, Cohort.name, User.display_name, mine.role, Cohort.usual_hours)
        .join(mine, (mine.cohort_id == Cohort.id) & (mine.user_id == user.id)
              & mine.status.in_(CURRENT_STATUSES))
        .join(theirs, (theirs.cohort_id == Cohort.id) & (theirs.role == "facilitator")
              & (theirs.status == "active") & (theirs.user_id != user.id))
        .join(User, (User.id == theirs.user_id) & User.active.is_(True))
        .where(Cohort.status != "archived")
        .order_by(Cohort.start_date.desc(), Cohort.id.desc(), User.display_name, User.id)).all()
    grouped: dict[int, tuple[str, list[str], int, bool, str]] = {}
    for cohort_id, cohort_name, person, role, hours in rows:
        grouped.setdefault(cohort_id, (cohort_name, [], cohort_id, role == "learner",
                                       usual_hours_text(hours)))[1].append(person)
    return list(grouped.values())
