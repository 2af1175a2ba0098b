"""Activity counted per learner and session, in one aggregated query (GROUP BY), whatever the cohort's size.

Only activity is counted: attended, posted, shared a response, gave feedback. Nothing private is read
(drafts, journal, self-checks, safeguarding notes are never touched here)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Integer, bindparam, cast, func, literal, null, select, union_all

from portal.attendance.models import Attendance
from portal.cohorts.models import CohortSession, Membership
from portal.discussions.models import Post, Thread
from portal.exercises.feedback_models import Feedback
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.moderation.held_models import not_held_sql

KINDS = ("attended", "posted", "responded", "feedback")
RECENT = "recent"  # activity since the quiet-days cut-off (posts, responses, feedback), per learner


@dataclass(slots=True)
class Counts:
    """One learner in one session: attended (0/1), posts, responses shared, feedback given."""
    attended: int = 0
    posted: int = 0
    responded: int = 0
    feedback: int = 0
    received: int = 0  # feedback received on shared responses (one person's progress only)

    def any(self) -> bool:
        return bool(self.attended or self.posted or self.responded or self.feedback)


@dataclass
class Activity:
    cells: dict[tuple[int, int | None], Counts] = field(default_factory=dict)  # (user, course session) -> counts
    recent: dict[int, int] = field(default_factory=dict)  # user -> activity since the cut-off

    def cell(self, user_id: int, session_id: int | None) -> Counts:
        return self.cells.get((user_id, session_id)) or Counts()

    def totals(self, user_id: int) -> Counts:
        total = Counts()
        for (uid, _sid), c in self.cells.items():
            if uid == user_id:
                total.attended += c.attended
                total.posted += c.posted
                total.responded += c.responded
                total.feedback += c.feedback
                total.received += c.received
        return total


def _per_session(kind: str, user_col, session_col, count_col, *joins_and_filters):
    statement = select(literal(kind).label("kind"), user_col.label("user_id"), session_col.label("session_id"),
                       func.count(count_col).label("n"))
    for join in joins_and_filters[0]:
        statement = statement.join(*join)
    return statement.where(*joins_and_filters[1]).group_by(user_col, session_col)


def _recent(user_col, when_col, *filters):
    since = bindparam("since_day" if when_col is CohortSession.day else "since")
    return (select(literal(RECENT).label("kind"), user_col.label("user_id"), cast(null(), Integer).label("session_id"),
                   func.count().label("n")).where(when_col >= since, *filters).group_by(user_col))


@lru_cache(maxsize=2)
def _statement(one_person: bool):
    """The whole cohort's activity (or one person's), built once and run with each request's values."""
    cohort = bindparam("cohort")
    posts_where = [Post.cohort_id == cohort, Post.withdrawn_at.is_(None)]
    responses_where = [ExerciseResponse.cohort_id == cohort, ExerciseResponse.status == "submitted"]
    feedback_where = [Feedback.cohort_id == cohort, Feedback.status == "given"]
    attended_where = [CohortSession.cohort_id == cohort, Attendance.status == "present"]
    if one_person:
        user = bindparam("user")
        posts_where.append(Post.author_id == user)
        responses_where.append(ExerciseResponse.author_id == user)
        feedback_where.append(Feedback.reviewer_id == user)
        attended_where.append(Membership.user_id == user)
    parts = [
        _per_session("attended", Membership.user_id, CohortSession.course_session_id, Attendance.id,
                     [(Membership, Membership.id == Attendance.membership_id),
                      (CohortSession, CohortSession.id == Attendance.cohort_session_id)], attended_where),
        _per_session("posted", Post.author_id, Thread.course_session_id, Post.id,
                     [(Thread, Thread.id == Post.thread_id)], posts_where),
        _per_session("responded", ExerciseResponse.author_id, Exercise.course_session_id, ExerciseResponse.id,
                     [(Exercise, Exercise.id == ExerciseResponse.exercise_id)], responses_where),
        _per_session("feedback", Feedback.reviewer_id, Exercise.course_session_id, Feedback.id,
                     [(ExerciseResponse, ExerciseResponse.id == Feedback.response_id),
                      (Exercise, Exercise.id == ExerciseResponse.exercise_id)], feedback_where),
    ]
    if one_person:  # feedback others gave on this person's responses, as they can see it
        parts.append(_per_session("received", ExerciseResponse.author_id, Exercise.course_session_id, Feedback.id,
                                  [(ExerciseResponse, ExerciseResponse.id == Feedback.response_id),
                                   (Exercise, Exercise.id == ExerciseResponse.exercise_id)],
                                  [Feedback.cohort_id == cohort, Feedback.status == "given",
                                   Feedback.hidden_at.is_(None), not_held_sql(Feedback),
                                   ExerciseResponse.author_id == bindparam("user")]))
    else:
        parts += [_recent(Post.author_id, Post.created_at, *posts_where),
                  _recent(ExerciseResponse.author_id, ExerciseResponse.submitted_at, *responses_where),
                  _recent(Feedback.reviewer_id, Feedback.given_at, *feedback_where),
                  # Coming to a session is activity too (its day, not when the register was saved).
                  _recent(Membership.user_id, CohortSession.day, *attended_where).select_from(Attendance).join(
                      Membership, Membership.id == Attendance.membership_id).join(
                      CohortSession, CohortSession.id == Attendance.cohort_session_id)]
    return union_all(*parts)


def load_activity(cohort_id: int, since: datetime | None = None, since_day: date | None = None,
                  user_id: int | None = None) -> Activity:
    """Counts per (learner, course session); with `user_id`, that person's only. One query."""
    params = {"cohort": cohort_id}
    if user_id is not None:
        params["user"] = user_id
    else:
        params["since"], params["since_day"] = since, since_day
    found = Activity()
    recent: dict[int, int] = defaultdict(int)
    for kind, uid, sid, n in db.session.execute(_statement(user_id is not None), params):
        if uid is None:
            continue
        if kind == RECENT:
            recent[uid] += n
            continue
        cell = found.cells.get((uid, sid))
        if cell is None:
            cell = found.cells[(uid, sid)] = Counts()
        setattr(cell, kind, getattr(cell, kind) + n)
    found.recent = dict(recent)
    return found
