"""Reading exercises and responses for pages: each a fixed number of queries, whatever the cohort's size."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import aliased, load_only

from portal.auth.models import User
from portal.cohorts.timetable import Slot
from portal.discussions.visibility import Viewer
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse, ResponseRevision
from portal.exercises.responses import Dues, due_dates, is_overdue
from portal.exercises.visibility import effective_mode_sql, response_is_visible
from portal.extensions import db


@dataclass(frozen=True)
class ExerciseRow:
    exercise: Exercise
    slot: Slot
    dues: Dues
    own: ExerciseResponse | None

    @property
    def overdue(self) -> bool:
        return is_overdue(self.dues.responses)


def live_exercises(slots: list[Slot]) -> list[tuple[Exercise, Slot]]:
    """The live exercises of these sessions, in session then file order: one query."""
    by_session = {s.session.id: s for s in slots}
    if not by_session:
        return []
    rows = db.session.scalars(select(Exercise).where(Exercise.course_session_id.in_(sorted(by_session)),
                                                     Exercise.retired_at.is_(None))
                              .order_by(Exercise.position, Exercise.id)).all()
    return sorted(((e, by_session[e.course_session_id]) for e in rows), key=lambda r: (r[1].number, r[0].position))


def own_responses(user_id: int, cohort_id: int) -> dict[int, ExerciseResponse]:
    rows = db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.cohort_id == cohort_id,
                                                             ExerciseResponse.author_id == user_id))
    return {r.exercise_id: r for r in rows}


def exercise_rows(user_id: int, cohort_id: int, slots: list[Slot]) -> list[ExerciseRow]:
    exercises = live_exercises(slots)
    own = own_responses(user_id, cohort_id) if exercises else {}
    return [ExerciseRow(e, s, due_dates(e, s.entry.day), own.get(e.id)) for e, s in exercises]


def responses_due(user_id: int, cohort_id: int, open_slots: list[Slot]) -> list[ExerciseRow]:
    """What a learner still has to submit in open sessions, soonest due first (undated last): one query."""
    by_session = {s.session.id: s for s in open_slots}
    if not by_session:
        return []
    found = db.session.execute(_due_statement(), {"user": user_id, "cohort": cohort_id,
                                                  "sessions": sorted(by_session)}).all()
    exercises = sorted(((e, own, by_session[e.course_session_id]) for e, own in found),
                       key=lambda r: (r[2].number, r[0].position))
    rows = [ExerciseRow(e, s, due_dates(e, s.entry.day), own) for e, own, s in exercises]
    return sorted(rows, key=lambda r: (r.dues.responses is None, r.dues.responses or date.max, r.slot.number))


@lru_cache(maxsize=1)
def _due_statement():
    """Live exercises of the open sessions with the learner's unsubmitted response, if any. Built once and
    loading only what the lists show: building it and reading whole exercises cost more than running it
    (make bench, cohort home)."""
    own = aliased(ExerciseResponse, name="own")
    return (select(Exercise, own)
            .outerjoin(own, and_(own.exercise_id == Exercise.id, own.cohort_id == bindparam("cohort"),
                                 own.author_id == bindparam("user")))
            .where(Exercise.course_session_id.in_(bindparam("sessions", expanding=True)),
                   Exercise.retired_at.is_(None), or_(own.id.is_(None), own.status != "submitted"))
            .options(load_only(Exercise.id, Exercise.course_session_id, Exercise.title, Exercise.position,
                               Exercise.responses_due_days, Exercise.feedback_due_days),
                     load_only(own.id, own.exercise_id, own.status))
            .order_by(Exercise.position, Exercise.id))


def find_exercise(cohort_id: int, course_id: int, exercise_id: int) -> tuple[Exercise, str] | None:
    """The live exercise of this cohort's course, with the cohort's effective feedback mode."""
    row = db.session.execute(_find_exercise_statement(), {"cohort": cohort_id, "course": course_id,
                                                          "exercise": exercise_id}).first()
    return (row[0], row[1]) if row else None


@lru_cache(maxsize=1)
def _find_exercise_statement():
    # Built once, like the hot statements of discussions: building cost more than running (make bench).
    return select(Exercise, effective_mode_sql(bindparam("cohort")).label("mode")).where(
        Exercise.id == bindparam("exercise"), Exercise.course_id == bindparam("course"), Exercise.retired_at.is_(None))


def visible_responses(viewer: Viewer, exercise_id: int) -> list[tuple[ExerciseResponse, str]]:
    """Submitted responses to one exercise the viewer may see (never their own), with author names."""
    if not viewer.open_session_ids:
        return []
    return [tuple(r) for r in db.session.execute(_visible_statement(viewer.sees_everything),
                                                 {**viewer.params, "exercise": exercise_id})]


@lru_cache(maxsize=2)
def _visible_statement(sees_everything: bool):
    viewer = Viewer.bound(sees_everything)
    return (select(ExerciseResponse, User.display_name)
            .join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
            .join(User, User.id == ExerciseResponse.author_id)
            .where(ExerciseResponse.exercise_id == bindparam("exercise"), ExerciseResponse.author_id != viewer.user_id,
                   response_is_visible(viewer))
            .order_by(ExerciseResponse.submitted_at, ExerciseResponse.id))


def find_response(cohort_id: int, response_id: int) -> tuple[ExerciseResponse, Exercise, str, str] | None:
    """A response of this cohort with its exercise, effective mode and author's name (visibility: the caller)."""
    row = db.session.execute(
        select(ExerciseResponse, Exercise, effective_mode_sql(cohort_id).label("mode"), User.display_name)
        .join(Exercise, Exercise.id == ExerciseResponse.exercise_id)
        .join(User, User.id == ExerciseResponse.author_id)
        .where(ExerciseResponse.id == response_id, ExerciseResponse.cohort_id == cohort_id)).first()
    return tuple(row) if row else None


def revisions_of(response_id: int) -> list[ResponseRevision]:
    return list(db.session.scalars(select(ResponseRevision).where(ResponseRevision.response_id == response_id)
                                   .order_by(ResponseRevision.version.desc())))
