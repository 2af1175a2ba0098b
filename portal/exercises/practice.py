"""Practising on an exercise's example before one's first feedback (issue 12).

A learner rates the made-up example response in the feedback form's shape, once per exercise, then reads
their ratings beside the reference feedback criterion by criterion: in words, never marks or scores.
Facilitators are never asked to, and nor is anyone who gave feedback on the exercise before it had an example.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal.discussions.models import Draft

from portal.exercises.feedback import check_ratings, checked_text
from portal.exercises.feedback_models import ExamplePractice, Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.markdown import render_markdown


@dataclass(frozen=True)
class Compared:
    name: str
    description: str
    yours: str | None
    reference: str
    why: str

    @property
    def agreed(self) -> bool:
        return self.yours == self.reference

    @property
    def in_words(self) -> str:
        if self.agreed:
            return f"You and the reference both chose ‘{self.reference}’."
        return f"You chose ‘{self.yours}’; the reference chose ‘{self.reference}’."


def draft_key(exercise_id: int) -> str:
    """The key of the practice's autosaved "What worked well" (the discussions' draft machinery)."""
    return f"practice:{exercise_id}"


def practice_draft_spent(user_id: int, cohort_id: int, exercise_id: int) -> bool:
    """For the autosave: once the practice is kept, a late autosave never brings its words back."""
    return own_practice(user_id, cohort_id, exercise_id) is not None


def own_practice(user_id: int, cohort_id: int, exercise_id: int) -> ExamplePractice | None:
    return db.session.scalars(select(ExamplePractice).where(
        ExamplePractice.cohort_id == cohort_id, ExamplePractice.exercise_id == exercise_id,
        ExamplePractice.user_id == user_id)).first()


def must_practise(user_id: int, cohort_id: int, exercise: Exercise, *, facilitating: bool) -> bool:
    """Whether this person is asked to practise on the example before giving feedback in this exercise."""
    if facilitating or not exercise.has_example:
        return False
    practised, given = db.session.execute(select(
        select(func.count()).select_from(ExamplePractice).where(
            ExamplePractice.cohort_id == cohort_id, ExamplePractice.exercise_id == exercise.id,
            ExamplePractice.user_id == user_id).scalar_subquery(),
        select(func.count()).select_from(Feedback).join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
        .where(ExerciseResponse.cohort_id == cohort_id, ExerciseResponse.exercise_id == exercise.id,
               Feedback.reviewer_id == user_id, Feedback.status == "given").scalar_subquery())).one()
    return not practised and not given  # feedback given before the example existed counts as practice


def allocated_any(user_id: int, cohort_id: int, exercise_id: int) -> bool:
    return db.session.scalar(select(ReviewAllocation.id).where(
        ReviewAllocation.cohort_id == cohort_id, ReviewAllocation.exercise_id == exercise_id,
        ReviewAllocation.reviewer_id == user_id).limit(1)) is not None


def save_practice(user_id: int, cohort_id: int, exercise: Exercise, what_worked: str | None,
                  ratings: dict[str, str], to_consider: str | None) -> ExamplePractice:
    """Keep the learner's practice, checked like feedback being given. A second submit (a double click, or
    another tab) changes nothing: the first practice is the one compared."""
    worked, consider = checked_text(what_worked, to_consider, give=True)
    chosen = check_ratings(exercise, ratings, complete=True)
    existing = own_practice(user_id, cohort_id, exercise.id)
    if existing is not None:
        return existing
    practice = ExamplePractice(cohort_id=cohort_id, exercise_id=exercise.id, user_id=user_id, ratings=chosen,
                               what_worked=worked, what_worked_html=render_markdown(worked),
                               to_consider=consider or None,
                               to_consider_html=render_markdown(consider) if consider else None)
    db.session.execute(delete(Draft).where(Draft.user_id == user_id, Draft.cohort_id == cohort_id,
                                           Draft.key == draft_key(exercise.id)))  # kept now: one commit for both
    db.session.add(practice)
    try:
        db.session.commit()
    except IntegrityError:  # the same form arrived twice at once: the other request kept it
        db.session.rollback()
        existing = own_practice(user_id, cohort_id, exercise.id)
        if existing is None:
            raise
        return existing
    return practice


def compare(exercise: Exercise, practice: ExamplePractice) -> list[Compared]:
    """The learner's step beside the reference's, with the reference's one-line why, criterion by criterion."""
    reference = exercise.example_feedback or {}
    return [Compared(c["name"], c["description"], practice.ratings.get(c["key"]),
                     reference.get("ratings", {}).get(c["key"], ""), reference.get("why", {}).get(c["key"], ""))
            for c in exercise.criteria]


def is_response_of(cohort_id: int, exercise_id: int, response_id: int | None) -> bool:
    """Whether the response to continue to after practising is one of this exercise's in this cohort."""
    return response_id is not None and db.session.scalar(select(ExerciseResponse.id).where(
        ExerciseResponse.id == response_id, ExerciseResponse.cohort_id == cohort_id,
        ExerciseResponse.exercise_id == exercise_id)) is not None
