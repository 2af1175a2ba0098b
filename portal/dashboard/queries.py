"""The cohort dashboard's read side: members × sessions, what is waiting, who has gone quiet, the timetable.

A fixed number of queries whatever the cohort's size (tests/dashboard/test_queries.py counts them): the
timetable, members with their agreement status, one query of counts that also reads the activity snapshot
(snapshot.py; the activity's GROUP BY query only when it is missing or stale) and the follow-ups due, the
exercise overview's columns, and the overdue reviews' shortfall."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select

from portal.assignments.models import Marking, Submission
from portal.cohorts.timetable import Slot, load_timetable
from portal.dashboard.activity import Activity
from portal.dashboard.members import Member, cohort_members
from portal.dashboard.models import DashboardSnapshot
from portal.dashboard.snapshot import dashboard_activity
from portal.dates import from_local, local_today
from portal.exercises import overview as exercise_overview
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.response_models import ExerciseResponse
from portal.exercises.responses import is_overdue
from portal.extensions import db
from portal.moderation.flag_models import Flag
from portal.moderation.models import ModerationAlert
from portal.moderation.queue import HELD_REASONS
from portal.safeguarding.concerns import followup_due_sql
from portal.safeguarding.models import Concern

QUIET_DAYS_DEFAULT = 14


def quiet_days() -> int:
    """`PORTAL_QUIET_DAYS`: days without activity before a learner shows as quiet (default 14)."""
    try:
        days = int(current_app.config.get("QUIET_DAYS", QUIET_DAYS_DEFAULT))
    except (TypeError, ValueError):
        return QUIET_DAYS_DEFAULT
    return days if 1 <= days <= 365 else QUIET_DAYS_DEFAULT


@dataclass(frozen=True)
class Waiting:
    held: int  # held items waiting for a facilitator
    flagged: int  # items with open flags
    follow_ups: int  # safeguarding follow-ups that have come due (counted, never their words)
    reviews_overdue: int  # allocated reviews past their feedback due date, not given
    reviewers_overdue: list[str]  # who those reviews wait on
    to_mark: int  # hand-ins waiting for marking or moderation
    not_accepted: list[str]  # current members who have not accepted the agreement in force

    def __bool__(self) -> bool:
        return bool(self.held or self.flagged or self.follow_ups or self.reviews_overdue or self.to_mark
                    or self.not_accepted)


@dataclass(frozen=True)
class Dashboard:
    slots: list[Slot]
    members: list[Member]  # current learners, by name
    activity: Activity
    waiting: Waiting
    quiet: list[Member]  # learners with no activity for `quiet_days` (facilitators only)
    quiet_days: int
    held_sessions: list[Slot]
    released: list[Slot]  # opened early by a facilitator, before their date
    to_come: list[Slot]
    as_of: datetime  # when the activity figures were counted (snapshot.py)


@lru_cache(maxsize=1)
def _counts_statement():
    """Held items, flagged items, hand-ins to mark and follow-ups due, in one query of four counts, and the
    activity snapshot."""
    cohort = bindparam("cohort")
    held = (select(ModerationAlert.subject_kind, ModerationAlert.subject_id)
            .where(ModerationAlert.cohort_id == cohort, ModerationAlert.handled_at.is_(None),
                   ModerationAlert.reason.in_(HELD_REASONS)).distinct().subquery())
    flagged = (select(Flag.subject_kind, Flag.subject_id)
               .where(Flag.cohort_id == cohort, Flag.resolved_at.is_(None)).distinct().subquery())
    newest = (select(Submission.user_id, Submission.assignment_slug, func.max(Submission.version).label("version"))
              .where(Submission.cohort_id == cohort).group_by(Submission.user_id, Submission.assignment_slug)
              .subquery())
    to_mark = (select(func.count(Submission.id))
               .join(newest, and_(newest.c.user_id == Submission.user_id,
                                  newest.c.assignment_slug == Submission.assignment_slug,
                                  newest.c.version == Submission.version))
               .outerjoin(Marking, Marking.submission_id == Submission.id)
               .where(Submission.cohort_id == cohort, or_(Marking.id.is_(None), Marking.state != "released")))
    # The cohort's activity snapshot rides on this query (snapshot.py): no query of its own.
    snapshot = [select(column).where(DashboardSnapshot.cohort_id == cohort).scalar_subquery()
                for column in (DashboardSnapshot.taken_at, DashboardSnapshot.since_day, DashboardSnapshot.figures)]
    # Safeguarding follow-ups come due: counted, never read (their words stay on the concerns pages).
    follow_ups = select(func.count(Concern.id)).where(Concern.cohort_id == cohort,
                                                      followup_due_sql(bindparam("today")))
    return select(select(func.count()).select_from(held).scalar_subquery(),
                  select(func.count()).select_from(flagged).scalar_subquery(),
                  to_mark.scalar_subquery(), follow_ups.scalar_subquery(), *snapshot)


def _overdue_reviews(cohort_id: int, slots: list[Slot], names: dict[int, str], today: date) -> tuple[int, list[str]]:
    """Allocated reviews past their due date and not given: the exercise overview's columns say which
    exercises are overdue; one query counts, for those only, each reviewer's shortfall (a few rows, not every
    piece of feedback in the cohort)."""
    overdue = [c.id for c in exercise_overview.exercise_columns(cohort_id, slots)
               if c.mode == "allocated" and is_overdue(c.dues.feedback, today)]
    if not overdue:
        return 0, []
    total, who = 0, set()
    for uid, short in db.session.execute(_shortfall_statement(), {"cohort": cohort_id, "exercises": overdue}):
        if uid in names:  # current learners, not paused
            total += short
            who.add(uid)
    return total, sorted((names[uid] for uid in who), key=str.casefold)


@lru_cache(maxsize=1)
def _shortfall_statement():
    """(reviewer, reviews allocated minus given) per exercise of `exercises`, where some are still to give."""
    cohort, exercises = bindparam("cohort"), bindparam("exercises", expanding=True)
    allocated = (select(ReviewAllocation.reviewer_id, ReviewAllocation.exercise_id, func.count().label("n"))
                 .where(ReviewAllocation.cohort_id == cohort, ReviewAllocation.exercise_id.in_(exercises))
                 .group_by(ReviewAllocation.reviewer_id, ReviewAllocation.exercise_id).subquery())
    given = (select(Feedback.reviewer_id, ExerciseResponse.exercise_id, func.count().label("n"))
             .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
             .where(Feedback.cohort_id == cohort, Feedback.status == "given",
                    ExerciseResponse.exercise_id.in_(exercises))
             .group_by(Feedback.reviewer_id, ExerciseResponse.exercise_id).subquery())
    short = allocated.c.n - func.coalesce(given.c.n, 0)
    return (select(allocated.c.reviewer_id, short)
            .outerjoin(given, and_(given.c.reviewer_id == allocated.c.reviewer_id,
                                   given.c.exercise_id == allocated.c.exercise_id))
            .where(short > 0))


def load_dashboard(cohort_id: int, today: date | None = None) -> Dashboard:
    today = today or local_today()
    days = quiet_days()
    since_day = today - timedelta(days=days)
    since = from_local(since_day, None)
    slots = load_timetable(cohort_id)
    members, not_accepted = cohort_members(cohort_id)
    held, flagged, to_mark, follow_ups, *stored = db.session.execute(
        _counts_statement(), {"cohort": cohort_id, "today": today}).one()
    activity, as_of = dashboard_activity(cohort_id, since, since_day, stored)
    names = {m.user_id: m.name for m in members if not m.paused}
    reviews, reviewers = _overdue_reviews(cohort_id, slots, names, today)
    waiting = Waiting(held, flagged, follow_ups, reviews, reviewers, to_mark or 0, not_accepted)
    quiet = [m for m in members if not m.paused and m.joined_at < since and not activity.recent.get(m.user_id)]
    held_sessions = [s for s in slots if s.entry.day is not None and s.entry.day <= today]
    released = [s for s in slots if s.is_open and s not in held_sessions]
    to_come = [s for s in slots if not s.is_open]
    return Dashboard(slots, members, activity, waiting, quiet, days, held_sessions, released, to_come, as_of)
