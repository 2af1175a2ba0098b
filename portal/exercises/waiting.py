"""What is waiting for a learner about feedback: reviews allocated to them and feedback not yet read.

One query whatever the cohort's size, for the cohort home and the session page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, func, literal, select, union_all, update

from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.moderation.held_models import not_held_sql

NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)  # feedback_read_at before any reading


@dataclass(frozen=True)
class Waiting:
    reviews: list[tuple[int, str]] = field(default_factory=list)  # (response id, exercise title) to review
    unread: list[tuple[int, str, int]] = field(default_factory=list)  # (my response id, title, new feedback)

    def __bool__(self) -> bool:
        return bool(self.reviews or self.unread)


def feedback_waiting(user_id: int, cohort_id: int, open_session_ids: list[int]) -> Waiting:
    if not open_session_ids:
        return Waiting()
    rows = db.session.execute(_waiting_statement(), {"user": user_id, "cohort": cohort_id,
                                                     "sessions": sorted(open_session_ids)}).all()
    return Waiting([(rid, title) for kind, rid, title, _n, *_order in rows if kind == "review"],
                   [(rid, title, n) for kind, rid, title, n, *_order in rows if kind == "unread"])


@lru_cache(maxsize=1)
def _waiting_statement():
    """Reviews to give and unread feedback, in one query built once and run with each request's values:
    building it cost more than running it (make bench, cohort home)."""
    user, cohort = bindparam("user"), bindparam("cohort")
    in_open = and_(Exercise.retired_at.is_(None), Exercise.course_session_id.in_(bindparam("sessions", expanding=True)))
    given_by_me = exists().where(Feedback.response_id == ReviewAllocation.response_id,
                                 Feedback.reviewer_id == user, Feedback.status == "given")
    reviews = (select(literal("review").label("kind"), ReviewAllocation.response_id.label("id"),
                      Exercise.title.label("title"), literal(0).label("n"), Exercise.position.label("position"),
                      ReviewAllocation.id.label("tiebreak"))
               .join(Exercise, Exercise.id == ReviewAllocation.exercise_id)
               .join(ExerciseResponse, ExerciseResponse.id == ReviewAllocation.response_id)
               .where(ReviewAllocation.cohort_id == cohort, ReviewAllocation.reviewer_id == user, in_open,
                      ExerciseResponse.status == "submitted", not_held_sql(ExerciseResponse), ~given_by_me))
    unread = (select(literal("unread").label("kind"), ExerciseResponse.id, Exercise.title, func.count(Feedback.id),
                     Exercise.position, ExerciseResponse.id)
              .join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
              .join(Feedback, Feedback.response_id == ExerciseResponse.id)
              .where(ExerciseResponse.cohort_id == cohort, ExerciseResponse.author_id == user, in_open,
                     Feedback.status == "given", Feedback.hidden_at.is_(None), not_held_sql(Feedback),
                     Feedback.given_at > func.coalesce(ExerciseResponse.feedback_read_at, NEVER))
              .group_by(ExerciseResponse.id, Exercise.title, Exercise.position))
    both = union_all(reviews, unread).subquery("waiting")
    return select(both).order_by(both.c.kind, both.c.position, both.c.tiebreak)


def mark_feedback_read(response: ExerciseResponse, up_to: datetime) -> None:
    """The author has read the feedback given up to `up_to`: it is no longer waiting (moves forward only)."""
    db.session.execute(update(ExerciseResponse).where(
        ExerciseResponse.id == response.id,
        (ExerciseResponse.feedback_read_at.is_(None)) | (ExerciseResponse.feedback_read_at < up_to))
        .values(feedback_read_at=up_to))
    db.session.commit()
