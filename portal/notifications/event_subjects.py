"""Subject kinds for the events of exercises, moderation and assignments: who may still see each, and what a
notification about it says (never a member's words; never who reviewed, rated or flagged).

Registered into subjects.SUBJECTS at the end of subjects.py, so the list, the header count, emails and
digests apply these rules in the same query that reads the notifications."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, exists, or_, select

from portal.assignments.models import AssignmentDue, Submission
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession
from portal.dates import human_date, human_day
from portal.discussions.models import Post, Thread
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.moderation.flag_models import Flag
from portal.moderation.held_models import not_held_sql
from portal.extensions import db
from portal.notifications.subjects import About, Subject, member_sql


# ---- visibility ------------------------------------------------------------------------------------------

def feedback_visible_sql(n):
    """Feedback on the recipient's own response: given, not hidden, not held (released is fine)."""
    return and_(member_sql(n), exists().where(
        Feedback.id == n.subject_id, Feedback.cohort_id == n.cohort_id, Feedback.status == "given",
        Feedback.hidden_at.is_(None), not_held_sql(Feedback), ExerciseResponse.id == Feedback.response_id,
        ExerciseResponse.author_id == n.user_id))


def landed_visible_sql(n):
    """How the recipient's own feedback landed."""
    return and_(member_sql(n), exists().where(
        Feedback.id == n.subject_id, Feedback.cohort_id == n.cohort_id, Feedback.reviewer_id == n.user_id,
        Feedback.landed_at.is_not(None)))


def allocation_visible_sql(n):
    """A review allocated to the recipient, of a response others may see (not held, not hidden)."""
    return and_(member_sql(n), exists().where(
        ReviewAllocation.id == n.subject_id, ReviewAllocation.cohort_id == n.cohort_id,
        ReviewAllocation.reviewer_id == n.user_id, ExerciseResponse.id == ReviewAllocation.response_id,
        ExerciseResponse.hidden_at.is_(None), not_held_sql(ExerciseResponse)))


def overdue_visible_sql(n):
    return and_(member_sql(n, facilitator=True), exists().where(
        ReviewAllocation.id == n.subject_id, ReviewAllocation.cohort_id == n.cohort_id))


def moderation_visible_sql(n):
    """An action on the recipient's own post (not withdrawn), response or feedback."""
    mine = or_(
        and_(AuditEvent.subject_type == "posts", exists().where(
            Post.id == AuditEvent.subject_id, Post.author_id == n.user_id, Post.withdrawn_at.is_(None))),
        and_(AuditEvent.subject_type == "exercise_responses", exists().where(
            ExerciseResponse.id == AuditEvent.subject_id, ExerciseResponse.author_id == n.user_id)),
        and_(AuditEvent.subject_type == "feedback", exists().where(
            Feedback.id == AuditEvent.subject_id, Feedback.reviewer_id == n.user_id)))
    return and_(member_sql(n), exists().where(AuditEvent.id == n.subject_id, AuditEvent.cohort_id == n.cohort_id,
                                              mine))


def cohort_submission_visible_sql(n):
    return and_(member_sql(n, facilitator=True), exists().where(
        Submission.id == n.subject_id, Submission.cohort_id == n.cohort_id))


def flag_visible_sql(n):
    return and_(member_sql(n, facilitator=True), exists().where(Flag.id == n.subject_id,
                                                                Flag.cohort_id == n.cohort_id))


def assignment_due_visible_sql(n):
    """A reminder stops showing (and isn't mailed in a digest) once the recipient has handed the work in."""
    return and_(member_sql(n), exists().where(
        AssignmentDue.id == n.subject_id, AssignmentDue.cohort_id == n.cohort_id,
        ~exists().where(Submission.cohort_id == AssignmentDue.cohort_id,
                        Submission.assignment_slug == AssignmentDue.assignment_slug,
                        Submission.user_id == n.user_id)))


# ---- what they say ----------------------------------------------------------------------------------------

def _on_response(ids: set[int]) -> dict[int, About]:
    rows = db.session.execute(select(Feedback.id, Feedback.cohort_id, Feedback.response_id, Exercise.title)
                              .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
                              .join(Exercise, Exercise.id == ExerciseResponse.exercise_id).where(Feedback.id.in_(ids)))
    return {r.id: About(r.title, None, "exercises.response", {"cohort_id": r.cohort_id, "response_id": r.response_id})
            for r in rows}


def _allocations(ids: set[int]):
    return db.session.execute(
        select(ReviewAllocation.id, ReviewAllocation.cohort_id, ReviewAllocation.exercise_id, Exercise.title,
               Exercise.feedback_due_days, CohortSession.day)
        .join(Exercise, Exercise.id == ReviewAllocation.exercise_id)
        .outerjoin(CohortSession, and_(CohortSession.cohort_id == ReviewAllocation.cohort_id,
                                       CohortSession.course_session_id == Exercise.course_session_id))
        .where(ReviewAllocation.id.in_(ids))).all()


def _due(row):
    return row.day + timedelta(days=row.feedback_due_days) if row.day is not None else None


def describe_allocations(ids: set[int]) -> dict[int, About]:
    found = {}
    for r in _allocations(ids):
        due = _due(r)
        found[r.id] = About(r.title, None, "exercises.show", {"cohort_id": r.cohort_id, "exercise_id": r.exercise_id},
                            when=f" by {human_day(due)}" if due else "")
    return found


def describe_overdue(ids: set[int]) -> dict[int, About]:
    found = {}
    for r in _allocations(ids):
        due = _due(r)
        found[r.id] = About(r.title, None, "exercises.overview", {"cohort_id": r.cohort_id},
                            when=f" (it was due {human_day(due)})" if due else "")
    return found


# action -> what the author reads: calm, plain, and never who did it or why (the page shows them any note)
OUTCOMES = {"item.hidden": "A facilitator has hidden your {noun} {prep} “{title}” for now, with a note for you",
            "item.restored": "Your {noun} {prep} “{title}” is showing again",
            "flag.dismissed": "Your {noun} {prep} “{title}” is showing again",
            "item.edited": "A facilitator has edited your {noun} {prep} “{title}”",
            "released": "Your {noun} {prep} “{title}” is now shared with your cohort",
            "kept": "A facilitator has read your {noun} {prep} “{title}” and will be in touch"}
NOUNS = {"posts": ("post", "in"), "exercise_responses": ("response", "to"), "feedback": ("feedback", "on")}


def outcome_words(action: str, subject_type: str, title: str) -> str:
    noun, prep = NOUNS.get(subject_type, ("post", "in"))
    key = action if action in OUTCOMES else action.rpartition(".")[2]
    return OUTCOMES.get(key, "A facilitator has looked at your {noun} {prep} “{title}”").format(
        noun=noun, prep=prep, title=title)


def describe_moderation(ids: set[int]) -> dict[int, About]:
    response_id = case((AuditEvent.subject_type == "feedback", Feedback.response_id), else_=AuditEvent.subject_id)
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.cohort_id, AuditEvent.action, AuditEvent.subject_type,
               AuditEvent.subject_id, Thread.title, Exercise.title.label("exercise"), response_id.label("response_id"))
        .outerjoin(Post, and_(AuditEvent.subject_type == "posts", Post.id == AuditEvent.subject_id))
        .outerjoin(Thread, Thread.id == Post.thread_id)
        .outerjoin(Feedback, and_(AuditEvent.subject_type == "feedback", Feedback.id == AuditEvent.subject_id))
        .outerjoin(ExerciseResponse, and_(AuditEvent.subject_type.in_(("exercise_responses", "feedback")),
                                          ExerciseResponse.id == response_id))
        .outerjoin(Exercise, Exercise.id == ExerciseResponse.exercise_id)
        .where(AuditEvent.id.in_(ids))).all()
    found = {}
    for r in rows:
        if r.subject_type == "posts":
            endpoint, values = "discussions.permalink", {"cohort_id": r.cohort_id, "post_id": r.subject_id}
        else:
            endpoint, values = "exercises.response", {"cohort_id": r.cohort_id, "response_id": r.response_id}
        title = r.title if r.subject_type == "posts" else r.exercise
        found[r.id] = About(title or "", None, endpoint, values,
                            detail=outcome_words(r.action, r.subject_type, title or "your cohort"))
    return found


def describe_cohort_submissions(ids: set[int]) -> dict[int, About]:
    from portal.assignments.content import assignment

    rows = db.session.execute(select(Submission.id, Submission.cohort_id, Submission.assignment_slug,
                                     User.display_name).join(User, User.id == Submission.user_id)
                              .where(Submission.id.in_(ids)))
    found = {}
    for r in rows:
        item = assignment(r.assignment_slug)
        found[r.id] = About(item.title if item else "an assignment", r.display_name, "assignment_marking.mark",
                            {"cohort_id": r.cohort_id, "submission_id": r.id})
    return found


def describe_flags(ids: set[int]) -> dict[int, About]:
    rows = db.session.execute(select(Flag.id, Flag.cohort_id, Cohort.name).join(Cohort, Cohort.id == Flag.cohort_id)
                              .where(Flag.id.in_(ids)))
    return {r.id: About(r.name, None, "moderation.queue", {"cohort_id": r.cohort_id}) for r in rows}


def describe_assignment_dues(ids: set[int]) -> dict[int, About]:
    from portal.assignments.content import assignment

    rows = db.session.execute(select(AssignmentDue.id, AssignmentDue.cohort_id, AssignmentDue.assignment_slug,
                                     AssignmentDue.due_at).where(AssignmentDue.id.in_(ids)))
    found = {}
    for r in rows:
        item = assignment(r.assignment_slug)
        found[r.id] = About(item.title if item else "your assignment", None, "assignments.show",
                            {"cohort_id": r.cohort_id, "slug": r.assignment_slug},
                            when=f" on {human_date(r.due_at)}")
    return found


EVENT_SUBJECTS = {
    "feedback": Subject(feedback_visible_sql, _on_response),
    "landed": Subject(landed_visible_sql, _on_response),
    "allocation": Subject(allocation_visible_sql, describe_allocations),
    "overdue": Subject(overdue_visible_sql, describe_overdue),
    "moderation": Subject(moderation_visible_sql, describe_moderation),
    "cohort_submission": Subject(cohort_submission_visible_sql, describe_cohort_submissions),
    "flag": Subject(flag_visible_sql, describe_flags),
    "assignment_due": Subject(assignment_due_visible_sql, describe_assignment_dues),
}
