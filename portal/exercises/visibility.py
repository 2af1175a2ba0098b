"""The one rule for who sees which exercise responses, as a per-item check and as the query lists use.

- The author always sees their own response, draft or submitted.
- Nobody else ever sees a draft.
- The cohort's facilitators (and site admins) see every submitted response of an open session.
- Learners, in open mode, see others' submitted responses once they have submitted their own.
- Learners, in allocated mode, see the submitted responses allocated to them for feedback.
  Facilitator-only mode shows learners none.
- Everything only inside the viewer's cohort and in sessions open to them.

Self-check answers are not responses: they are read only for their author and never by this module.
"""
from __future__ import annotations

from sqlalchemy import BindParameter, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import aliased

from portal.discussions.visibility import Viewer, space_is_open
from portal.exercises.feedback_models import ReviewAllocation
from portal.exercises.models import CohortExerciseSetting, Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.moderation.held_models import not_held_sql

_MINE = aliased(ExerciseResponse, name="mine")


def effective_mode_sql(cohort_id):
    """SQL: the cohort's own choice of feedback mode for the row's exercise, else the exercise file's."""
    chosen = (select(CohortExerciseSetting.mode)
              .where(CohortExerciseSetting.cohort_id == cohort_id, CohortExerciseSetting.exercise_id == Exercise.id)
              .scalar_subquery())
    return func.coalesce(chosen, Exercise.mode)


def has_submitted_sql(viewer: Viewer):
    """SQL: the viewer has submitted their own response to the row's exercise."""
    return exists().where(_MINE.exercise_id == ExerciseResponse.exercise_id, _MINE.cohort_id == viewer.cohort_id,
                          _MINE.author_id == viewer.user_id, _MINE.status == "submitted")


def response_is_visible(viewer: Viewer):
    """The SQL condition, for rows of ExerciseResponse joined with their Exercise."""
    open_ids = viewer.open_session_ids  # a set, or a bind parameter (Viewer.bound) in statements built once
    if not isinstance(open_ids, BindParameter) and not open_ids:
        return false()
    base = and_(ExerciseResponse.cohort_id == viewer.cohort_id,
                Exercise.course_session_id.in_(open_ids if isinstance(open_ids, BindParameter) else sorted(open_ids)))
    mine = ExerciseResponse.author_id == viewer.user_id
    submitted = ExerciseResponse.status == "submitted"
    if viewer.sees_everything:
        return and_(base, or_(mine, submitted))
    mode = effective_mode_sql(viewer.cohort_id)
    others = and_(submitted, mode == "open", has_submitted_sql(viewer))
    allocated = and_(submitted, mode == "allocated", exists().where(
        ReviewAllocation.response_id == ExerciseResponse.id, ReviewAllocation.reviewer_id == viewer.user_id))
    # Held for a facilitator: its author only (a separate condition, beside moderators' hiding).
    return and_(base, or_(mine, others, allocated), or_(mine, not_held_sql(ExerciseResponse)))


def select_visible_responses(viewer: Viewer) -> Select:
    return (select(ExerciseResponse, Exercise).join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
            .where(response_is_visible(viewer)))


def can_view_response(viewer: Viewer, response: ExerciseResponse, exercise: Exercise, mode: str,
                      own_submitted: bool, allocated: bool = False) -> bool:
    """The per-item form of the same rule. `mode` is the cohort's effective mode for the exercise;
    `own_submitted` whether the viewer has submitted their own response to it; `allocated` whether this
    response is allocated to the viewer for feedback."""
    if response.cohort_id != viewer.cohort_id or response.exercise_id != exercise.id:
        return False
    if not space_is_open(viewer, exercise.course_session_id):
        return False
    if response.author_id == viewer.user_id:
        return True
    if not response.is_submitted:
        return False
    if viewer.sees_everything:
        return True
    if response.is_held:
        return False
    return (mode == "open" and own_submitted) or (mode == "allocated" and allocated)


def waiting_to_submit(viewer: Viewer, mode: str, own_submitted: bool) -> bool:
    """True when others' responses are held back until this viewer submits their own."""
    return not viewer.sees_everything and mode == "open" and not own_submitted
