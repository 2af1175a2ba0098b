"""Reminders before due dates, and feedback past its due date, recorded by a periodic job.

Which reminders exist and how long before a due date each goes is declared in the kinds registry
(`Kind.before_due`); FINDERS says where each finds its due dates. Every event is recorded once: the job
looks for an event already written for the same thing (as releases.record_opened_sessions does), so a re-run
records nothing new, and a missed run is caught up by the next while the due date is still ahead."""
from __future__ import annotations

from datetime import timedelta

from huey import crontab
from sqlalchemy import and_, exists, select

from portal.assignments.models import AssignmentDue
from portal.cohorts.models import Cohort, CohortSession
from portal.dates import local_today, utcnow
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.visibility import effective_mode_sql
from portal.extensions import db
from portal.notifications.events import record
from portal.notifications.kinds import KINDS
from portal.notifications.models import NotificationEvent
from portal.queue import periodic

RUNNING = ("running",)
OVERDUE_LOOKBACK = timedelta(days=7)  # a new install doesn't announce feedback overdue long ago


def _reviews_owed():
    """(allocation id, cohort, exercise, reviewer, due date) of allocated reviews not yet given, in running
    cohorts, whose session has a date."""
    given = exists().where(Feedback.response_id == ReviewAllocation.response_id,
                           Feedback.reviewer_id == ReviewAllocation.reviewer_id, Feedback.status == "given")
    rows = db.session.execute(
        select(ReviewAllocation.id, ReviewAllocation.cohort_id, ReviewAllocation.exercise_id,
               ReviewAllocation.reviewer_id, CohortSession.day, Exercise.feedback_due_days)
        .join(Exercise, Exercise.id == ReviewAllocation.exercise_id)
        .join(Cohort, Cohort.id == ReviewAllocation.cohort_id)
        .join(CohortSession, and_(CohortSession.cohort_id == ReviewAllocation.cohort_id,
                                  CohortSession.course_session_id == Exercise.course_session_id))
        .where(Cohort.status.in_(RUNNING), Exercise.retired_at.is_(None), CohortSession.day.is_not(None),
               effective_mode_sql(ReviewAllocation.cohort_id) == "allocated", ~given)
        .order_by(ReviewAllocation.id)).all()
    return [(r.id, r.cohort_id, r.exercise_id, r.reviewer_id, r.day + timedelta(days=r.feedback_due_days))
            for r in rows]


def _recorded(kind: str, subject_kind: str, *columns) -> set[tuple]:
    """What events of this kind already cover, as tuples of the allocation's columns."""
    return {tuple(r) for r in db.session.execute(
        select(*columns).select_from(NotificationEvent)
        .join(ReviewAllocation, ReviewAllocation.id == NotificationEvent.subject_id)
        .where(NotificationEvent.kind == kind, NotificationEvent.subject_kind == subject_kind))}


def remind_reviews_due(before: timedelta) -> int:
    """Each reviewer, once per exercise: their feedback is due within `before` (or today)."""
    today, firsts = local_today(), {}
    for allocation_id, cohort_id, exercise_id, reviewer_id, due in _reviews_owed():
        if today <= due <= today + before:
            firsts.setdefault((cohort_id, exercise_id, reviewer_id), allocation_id)
    done = _recorded("review_due", "allocation", ReviewAllocation.cohort_id, ReviewAllocation.exercise_id,
                     ReviewAllocation.reviewer_id)
    fresh = [(key, a) for key, a in firsts.items() if key not in done]
    for (cohort_id, _exercise, _reviewer), allocation_id in fresh:
        record("review_due", cohort_id, None, "allocation", allocation_id)
    return len(fresh)


def record_overdue_feedback() -> int:
    """The cohort's facilitators, once per exercise: some allocated feedback is past its due date."""
    today, firsts = local_today(), {}
    for allocation_id, cohort_id, exercise_id, _reviewer, due in _reviews_owed():
        if today - OVERDUE_LOOKBACK <= due < today:
            firsts.setdefault((cohort_id, exercise_id), allocation_id)
    done = _recorded("overdue_feedback", "overdue", ReviewAllocation.cohort_id, ReviewAllocation.exercise_id)
    fresh = [(key, a) for key, a in firsts.items() if key not in done]
    for (cohort_id, _exercise), allocation_id in fresh:
        record("overdue_feedback", cohort_id, None, "overdue", allocation_id)
    return len(fresh)


def remind_assignments_due(before: timedelta) -> int:
    """A cohort's assignment due within `before`: one event; its learners who haven't handed in are told."""
    now = utcnow()
    recorded = exists().where(NotificationEvent.kind == "assignment_due",
                              NotificationEvent.subject_kind == "assignment_due",
                              NotificationEvent.subject_id == AssignmentDue.id)
    rows = db.session.execute(select(AssignmentDue.id, AssignmentDue.cohort_id)
                              .join(Cohort, Cohort.id == AssignmentDue.cohort_id)
                              .where(Cohort.status.in_(RUNNING), AssignmentDue.due_at > now,
                                     AssignmentDue.due_at <= now + before, ~recorded)).all()
    for due_id, cohort_id in rows:
        record("assignment_due", cohort_id, None, "assignment_due", due_id)
    return len(rows)


# Kind name -> function(how long before) -> events recorded. A kind with `before_due` must be here.
FINDERS = {"review_due": remind_reviews_due, "assignment_due": remind_assignments_due}
assert {k.name for k in KINDS.values() if k.before_due is not None} == set(FINDERS)


def record_reminders() -> int:
    """Every reminder whose time has come, and overdue feedback; one commit. Fan-out follows (the sweep)."""
    count = sum(FINDERS[k.name](k.before_due) for k in KINDS.values() if k.before_due is not None)
    count += record_overdue_feedback()
    db.session.commit()
    return count


@periodic(crontab(minute="5"))
def reminders_task() -> int:
    return record_reminders()
