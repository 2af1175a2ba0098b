"""What is waiting for a learner about feedback: reviews allocated to them and feedback not yet read.

Two queries whatever the cohort's size, for the cohort home and the session page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import and_, exists, func, select, update

from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.moderation.held_models import not_held_sql


@dataclass(frozen=True)
class Waiting:
    reviews: list[tuple[int, str]] = field(default_factory=list)  # (response id, exercise title) to review
    unread: list[tuple[int, str, int]] = field(default_factory=list)  # (my response id, title, new feedback)

    def __bool__(self) -> bool:
        return bool(self.reviews or self.unread)


def feedback_waiting(user_id: int, cohort_id: int, open_session_ids: list[int]) -> Waiting:
    if not open_session_ids:
        return Waiting()
    in_open = and_(Exercise.retired_at.is_(None), Exercise.course_session_id.in_(sorted(open_session_ids)))
    given_by_me = exists().where(Feedback.response_id == ReviewAllocation.response_id,
                                 Feedback.reviewer_id == user_id, Feedback.status == "given")
    reviews = db.session.execute(
        select(ReviewAllocation.response_id, Exercise.title)
        .join(Exercise, Exercise.id == ReviewAllocation.exercise_id)
        .join(ExerciseResponse, ExerciseResponse.id == ReviewAllocation.response_id)
        .where(ReviewAllocation.cohort_id == cohort_id, ReviewAllocation.reviewer_id == user_id, in_open,
               ExerciseResponse.status == "submitted", not_held_sql(ExerciseResponse), ~given_by_me)
        .order_by(Exercise.position, ReviewAllocation.id)).all()
    unread = db.session.execute(
        select(ExerciseResponse.id, Exercise.title, func.count(Feedback.id))
        .join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
        .join(Feedback, Feedback.response_id == ExerciseResponse.id)
        .where(ExerciseResponse.cohort_id == cohort_id, ExerciseResponse.author_id == user_id, in_open,
               Feedback.status == "given", Feedback.hidden_at.is_(None), not_held_sql(Feedback),
               Feedback.given_at > func.coalesce(ExerciseResponse.feedback_read_at, datetime(1970, 1, 1, tzinfo=timezone.utc)))
        .group_by(ExerciseResponse.id, Exercise.title, Exercise.position)
        .order_by(Exercise.position, ExerciseResponse.id)).all()
    return Waiting([tuple(r) for r in reviews], [tuple(r) for r in unread])


def mark_feedback_read(response: ExerciseResponse, up_to: datetime) -> None:
    """The author has read the feedback given up to `up_to`: it is no longer waiting (moves forward only)."""
    db.session.execute(update(ExerciseResponse).where(
        ExerciseResponse.id == response.id,
        (ExerciseResponse.feedback_read_at.is_(None)) | (ExerciseResponse.feedback_read_at < up_to))
        .values(feedback_read_at=up_to))
    db.session.commit()
