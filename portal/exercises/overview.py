"""The facilitators' members × exercises overview: for each learner and exercise, in words, where they are.

Four queries whatever the cohort's size (exercises, learners, responses with feedback received, feedback
given and allocated), on top of the timetable the view already read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import bindparam, func, literal, select, union_all

from portal.auth.models import User
from portal.cohorts.models import CURRENT_STATUSES, Membership
from portal.cohorts.timetable import Slot
from portal.dates import local_today
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.exercises.responses import Dues, due_dates, is_overdue
from portal.exercises.visibility import effective_mode_sql
from portal.extensions import db


@dataclass(frozen=True)
class Column:
    id: int
    title: str
    session_number: int
    is_open: bool
    mode: str
    dues: Dues


@dataclass(slots=True)  # not frozen: hundreds are made per page, and frozen ones cost more to make
class Cell:
    """One learner and one exercise, in words (built here once: the page has hundreds of cells)."""
    response_id: int | None  # set only for a shared response (drafts are the author's alone)
    response: str  # "shared", "draft, not shared yet" or "not yet"
    lines: tuple[str, ...] = ()  # feedback given and received
    overdue: tuple[str, ...] = ()  # what is past its due date
    opens_with: int | None = None  # the session it opens with, while nothing is written yet


@dataclass(frozen=True)
class Row:
    user_id: int
    name: str
    paused: bool
    cells: list[tuple[Column, Cell]]  # in the columns' order


@dataclass(frozen=True)
class Overview:
    columns: list[Column]
    rows: list[Row]


def _columns(cohort_id: int, slots: list[Slot]) -> list[Column]:
    """The live exercises of the cohort's sessions in session then file order, with their effective mode."""
    by_session = {s.session.id: s for s in slots}
    if not by_session:
        return []
    rows = db.session.execute(_statements()[0], {"cohort": cohort_id, "sessions": sorted(by_session)}).all()
    rows = sorted(rows, key=lambda r: (by_session[r.course_session_id].number, r.position, r.id))
    return [Column(r.id, r.title, by_session[r.course_session_id].number, by_session[r.course_session_id].is_open,
                   r.mode, due_dates(r, by_session[r.course_session_id].entry.day)) for r in rows]


def _learners(cohort_id: int) -> list[tuple[int, str, bool]]:
    """(user id, name, paused) of the cohort's current learners, by name."""
    return [(uid, name, status == "suspended")
            for uid, name, status in db.session.execute(_statements()[1], {"cohort": cohort_id})]


def _responses(cohort_id: int) -> dict[tuple[int, int], tuple[int, str, int]]:
    """(author, exercise) -> (response id, status, feedback given on it and not hidden)."""
    return {(a, e): (rid, status, n) for a, e, rid, status, n in db.session.execute(_statements()[2],
                                                                                    {"cohort": cohort_id})}


def _given_and_allocated(cohort_id: int) -> dict[tuple[str, int, int], int]:
    """("given" or "allocated", reviewer, exercise) -> how many."""
    return {(kind, r, e): n for kind, r, e, n in db.session.execute(_statements()[3], {"cohort": cohort_id})}


@lru_cache(maxsize=1)
def _statements():
    """The page's four statements, built once and run with each request's values (make bench)."""
    cohort = bindparam("cohort")
    columns = (select(Exercise.id, Exercise.title, Exercise.course_session_id, Exercise.position,
                      Exercise.responses_due_days, Exercise.feedback_due_days, effective_mode_sql(cohort).label("mode"))
               .where(Exercise.course_session_id.in_(bindparam("sessions", expanding=True)),
                      Exercise.retired_at.is_(None)))
    learners = (select(User.id, User.display_name, Membership.status).join(Membership, Membership.user_id == User.id)
                .where(Membership.cohort_id == cohort, Membership.role == "learner",
                       Membership.status.in_(CURRENT_STATUSES))
                .order_by(User.display_name, User.id))
    received = (select(func.count(Feedback.id)).where(Feedback.response_id == ExerciseResponse.id,
                                                      Feedback.status == "given", Feedback.hidden_at.is_(None))
                .scalar_subquery())
    responses = select(ExerciseResponse.author_id, ExerciseResponse.exercise_id, ExerciseResponse.id,
                       ExerciseResponse.status, received).where(ExerciseResponse.cohort_id == cohort)
    given = (select(literal("given").label("kind"), Feedback.reviewer_id, ExerciseResponse.exercise_id,
                    func.count(Feedback.id))
             .join(ExerciseResponse, ExerciseResponse.id == Feedback.response_id)
             .where(Feedback.cohort_id == cohort, Feedback.status == "given")
             .group_by(Feedback.reviewer_id, ExerciseResponse.exercise_id))
    allocated = (select(literal("allocated").label("kind"), ReviewAllocation.reviewer_id,
                        ReviewAllocation.exercise_id, func.count(ReviewAllocation.id))
                 .where(ReviewAllocation.cohort_id == cohort)
                 .group_by(ReviewAllocation.reviewer_id, ReviewAllocation.exercise_id))
    return columns, learners, responses, union_all(given, allocated)


def load_overview(cohort_id: int, slots: list[Slot], today: date | None = None) -> Overview:
    columns = _columns(cohort_id, slots)
    learners = _learners(cohort_id)
    if not columns or not learners:
        return Overview(columns, [Row(uid, name, paused, []) for uid, name, paused in learners])
    responses, counts = _responses(cohort_id), _given_and_allocated(cohort_id)
    today = today or local_today()
    past = {c.id: (is_overdue(c.dues.responses, today), is_overdue(c.dues.feedback, today)) for c in columns}
    rows = []
    for uid, name, paused in learners:
        cells = []
        for col in columns:
            rid, status, received = responses.get((uid, col.id), (None, "none", 0))
            if not col.is_open and status == "none":
                cells.append((col, Cell(None, "not yet", opens_with=col.session_number)))
                continue
            given = counts.get(("given", uid, col.id), 0)
            allocated = counts.get(("allocated", uid, col.id), 0)
            if col.mode == "allocated":
                giving = f"Feedback given: {given} of {allocated} asked"
            elif col.mode == "open":
                giving = f"Feedback given: {given}"
            else:
                giving = "Feedback given: not asked (facilitators only)"
            overdue = []
            if status != "submitted" and past[col.id][0]:
                overdue.append("Response past its due date")
            if col.mode == "allocated" and given < allocated and past[col.id][1]:
                overdue.append("Feedback past its due date")
            cells.append((col, Cell(rid if status == "submitted" else None, WORDS[status],
                                    (giving, f"Feedback received: {received}"), tuple(overdue))))
        rows.append(Row(uid, name, paused, cells))
    return Overview(columns, rows)


WORDS = {"submitted": "shared", "draft": "draft, not shared yet", "none": "not yet"}


# The read side's pieces other pages reuse (the cohort dashboard counts overdue reviews with them).
exercise_columns = _columns
given_and_allocated = _given_and_allocated
