"""Who the events of exercises, moderation and assignments are for: {user id: notification kind}.

Fan-out checks each recipient against the subject's visibility rule (event_subjects.py) as well, so these
functions only choose people; they never have to decide what someone may see."""
from __future__ import annotations

from sqlalchemy import select

from portal.assignments.models import AssignmentDue, AssignmentExtension, Submission
from portal.audit.models import AuditEvent
from portal.discussions.models import Post
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.moderation.flag_models import Flag
from portal.notifications.recipients import active_members, facilitators


def for_feedback(event) -> dict[int, str]:
    author = db.session.scalar(select(ExerciseResponse.author_id).join(
        Feedback, Feedback.response_id == ExerciseResponse.id).where(Feedback.id == event.subject_id))
    return {author: "feedback_received"} if author else {}


def for_landed(event) -> dict[int, str]:
    reviewer = db.session.scalar(select(Feedback.reviewer_id).where(Feedback.id == event.subject_id))
    return {reviewer: "feedback_rated"} if reviewer else {}


def _for_reviewer(kind: str):
    def recipients(event) -> dict[int, str]:
        reviewer = db.session.scalar(select(ReviewAllocation.reviewer_id)
                                     .where(ReviewAllocation.id == event.subject_id))
        return {reviewer: kind} if reviewer else {}
    return recipients


def for_moderation(event) -> dict[int, str]:
    """The author of what was acted on, and nobody else."""
    row = db.session.execute(select(AuditEvent.subject_type, AuditEvent.subject_id)
                             .where(AuditEvent.id == event.subject_id)).first()
    authors = {"posts": (Post, Post.author_id), "exercise_responses": (ExerciseResponse, ExerciseResponse.author_id),
               "feedback": (Feedback, Feedback.reviewer_id)}
    model, column = authors.get(row.subject_type if row else "", (None, None))
    if model is None:
        return {}
    author = db.session.scalar(select(column).where(model.id == row.subject_id))
    return {author: "moderation_outcome"} if author else {}


def for_submission(event) -> dict[int, str]:
    return facilitators(event.cohort_id, "new_submission")


def for_flag(event) -> dict[int, str]:
    """The cohort's facilitators, except the author of what was flagged (a facilitator's own post)."""
    author = db.session.scalar(select(Flag.author_id).where(Flag.id == event.subject_id))
    return facilitators(event.cohort_id, "new_flag", besides=author)


def for_overdue(event) -> dict[int, str]:
    return facilitators(event.cohort_id, "overdue_feedback")


def for_assignment_due(event) -> dict[int, str]:
    """Learners who have not handed it in and have no later date of their own."""
    due = db.session.get(AssignmentDue, event.subject_id)
    if due is None:
        return {}
    done = select(Submission.user_id).where(Submission.cohort_id == due.cohort_id,
                                            Submission.assignment_slug == due.assignment_slug)
    extended = select(AssignmentExtension.user_id).where(AssignmentExtension.cohort_id == due.cohort_id,
                                                         AssignmentExtension.assignment_slug == due.assignment_slug)
    skip = set(db.session.scalars(done)) | set(db.session.scalars(extended))
    return {m.user_id: "assignment_due" for m in db.session.execute(active_members(due.cohort_id))
            if m.role == "learner" and m.user_id not in skip}


# Event kind -> recipients (fanout.HANDLERS takes these in).
HANDLERS = {"feedback_received": for_feedback, "feedback_rated": for_landed,
            "review_allocated": _for_reviewer("review_allocated"), "review_due": _for_reviewer("review_due"),
            "moderation_outcome": for_moderation, "new_submission": for_submission, "new_flag": for_flag,
            "overdue_feedback": for_overdue, "assignment_due": for_assignment_due}
