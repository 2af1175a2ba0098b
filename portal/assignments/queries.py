"""The facilitator's view of a cohort's work on one assignment: a fixed number of queries, whatever its size."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from portal.assignments.models import AssignmentDue, AssignmentExtension, Marking, Submission
from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Membership
from portal.dates import utcnow
from portal.extensions import db


@dataclass
class Row:
    learner: User
    latest: Submission | None
    versions: int
    extended_to: datetime | None
    marking: Marking | None
    status: str  # submitted | late | missing | not due yet


def cohort_rows(cohort_id: int, slug: str) -> tuple[datetime | None, list[Row]]:
    due = db.session.scalar(select(AssignmentDue.due_at).where(AssignmentDue.cohort_id == cohort_id,
                                                               AssignmentDue.assignment_slug == slug))
    learners = list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.cohort_id == cohort_id, Membership.role == "learner", Membership.status.in_(CURRENT_STATUSES))
        .order_by(User.display_name, User.id)))
    latest_version = (select(Submission.user_id, func.max(Submission.version).label("version"),
                             func.count(Submission.id).label("n"))
                      .where(Submission.cohort_id == cohort_id, Submission.assignment_slug == slug)
                      .group_by(Submission.user_id).subquery())
    latest = {s.user_id: (s, n) for s, n in db.session.execute(
        select(Submission, latest_version.c.n).join(latest_version, (latest_version.c.user_id == Submission.user_id)
                                                    & (latest_version.c.version == Submission.version))
        .where(Submission.cohort_id == cohort_id, Submission.assignment_slug == slug)
        .options(defer(Submission.text, raiseload=True)))}  # the essays are long; the list shows none of them
    extensions = dict(db.session.execute(select(AssignmentExtension.user_id, AssignmentExtension.due_at).where(
        AssignmentExtension.cohort_id == cohort_id, AssignmentExtension.assignment_slug == slug)).all())
    ids = [s.id for s, _ in latest.values()]
    markings = {m.submission_id: m for m in db.session.scalars(
        select(Marking).where(Marking.submission_id.in_(ids)))} if ids else {}
    now, rows = utcnow(), []
    for person in learners:
        sub, count = latest.get(person.id, (None, 0))
        own_due = extensions.get(person.id) or due
        if sub is not None:
            status = "late" if sub.is_late else "submitted"
        else:
            status = "missing" if own_due is not None and now > own_due else "not due yet"
        rows.append(Row(person, sub, count, extensions.get(person.id), markings.get(sub.id) if sub else None,
                        status))
    return due, rows
