"""One learner's own progress: attendance, posts, responses, feedback given and received, assignments.

Outcomes of assignments appear only once released: before that a hand-in reads "waiting for feedback"."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import defer

from portal.assignments.content import all_assignments
from portal.assignments.models import Marking, Submission
from portal.attendance.services import load_own_record
from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Membership
from portal.dashboard.activity import Activity, Counts, load_activity
from portal.extensions import db

ATTENDANCE_WORDS = {"present": "Attended", "apologies": "Sent apologies", "absent": "Missed", None: "Not recorded"}


@dataclass(frozen=True)
class SessionLine:
    number: int
    title: str
    entry: object  # CohortSession, for its date
    attendance: str
    counts: Counts


@dataclass(frozen=True)
class AssignmentLine:
    title: str
    handed_in: int  # versions handed in
    late: bool
    outcome: str | None  # released outcomes only
    submission_id: int | None  # the newest hand-in, for its receipt


@dataclass(frozen=True)
class Progress:
    sessions: list[SessionLine]
    general_posts: int  # posts outside any session (the cohort's general space)
    totals: Counts
    attended: int
    assignments: list[AssignmentLine]


def learner_place(cohort_id: int, user_id: int) -> tuple[Membership, str] | None:
    """The person's current learner place in this cohort and their name, or None (then the page is a 404)."""
    row = db.session.execute(select(Membership, User.display_name).join(User, User.id == Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.user_id == user_id, Membership.role == "learner",
        Membership.status.in_(CURRENT_STATUSES))).first()
    return (row[0], row[1]) if row is not None else None


def _assignments(cohort_id: int, user_id: int) -> list[AssignmentLine]:
    rows = db.session.execute(
        select(Submission, Marking.state, Marking.outcome)
        .outerjoin(Marking, Marking.submission_id == Submission.id)
        .where(Submission.cohort_id == cohort_id, Submission.user_id == user_id)
        .options(defer(Submission.text, raiseload=True)).order_by(Submission.version)).all()
    newest: dict[str, tuple] = {}
    versions: dict[str, int] = {}
    for submission, state, outcome in rows:
        newest[submission.assignment_slug] = (submission, outcome if state == "released" else None)
        versions[submission.assignment_slug] = versions.get(submission.assignment_slug, 0) + 1
    lines = []
    for item in all_assignments():
        found = newest.get(item.slug)
        if found is None:
            lines.append(AssignmentLine(item.title, 0, False, None, None))
        else:
            lines.append(AssignmentLine(item.title, versions[item.slug], found[0].is_late, found[1], found[0].id))
    return lines


def load_progress(membership: Membership) -> Progress:
    """Everything on the page about this one person, in four queries."""
    activity: Activity = load_activity(membership.cohort_id, user_id=membership.user_id)
    sessions, attended = [], 0
    for entry, session, status in load_own_record(membership):
        attended += status == "present"
        sessions.append(SessionLine(session.number, session.title, entry, ATTENDANCE_WORDS.get(status, "Not recorded"),
                                    activity.cell(membership.user_id, session.id)))
    totals = activity.totals(membership.user_id)
    return Progress(sessions, activity.cell(membership.user_id, None).posted, totals, attended,
                    _assignments(membership.cohort_id, membership.user_id))
