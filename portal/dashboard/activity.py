"""Activity counted per learner and session, in one aggregated query (GROUP BY), whatever the cohort's size.

Only activity is counted: attended, posted, shared a response, gave feedback. Nothing private is read
(drafts, journal, self-checks, safeguarding notes are never touched here)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import bindparam, case, func, literal, select, union_all

from portal.attendance.models import Attendance
from portal.cohorts.models import CohortSession, Membership
from portal.discussions.models import Post, Thread
from portal.exercises.feedback_models import Feedback
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.moderation.held_models import not_held_sql

KINDS = ("attended", "posted", "responded", "feedback")


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


COLUMNS = ("attended", "posted", "responded", "feedback", "received")


def _per_session(kind: str, user_col, session_col, count_col, when_col, joins, filters):
    """Counts per (person, session) in the column of `kind` (zeros in the others), with how many of them came
    since the quiet-days cut-off, in one pass over the rows."""
    since = bindparam("since_day" if when_col is CohortSession.day else "since")
    recent = func.sum(case((when_col >= since, 1), else_=0)) if when_col is not None else literal(0)
    counts = [(func.count(count_col) if c == kind else literal(0)).label(c) for c in COLUMNS]
    statement = select(user_col.label("user_id"), session_col.label("session_id"), *counts, recent.label("recent"))
    for join in joins:
        statement = statement.join(*join)
    return statement.where(*filters).group_by(user_col, session_col)


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
    on_exercise = [(ExerciseResponse, ExerciseResponse.id == Feedback.response_id),
                   (Exercise, Exercise.id == ExerciseResponse.exercise_id)]
    when = (lambda column: None) if one_person else (lambda column: column)  # "recent" only for the dashboard
    parts = [
        # Coming to a session is activity too (its day, not when the register was saved).
        _per_session("attended", Membership.user_id, CohortSession.course_session_id, Attendance.id,
                     when(CohortSession.day), [(Membership, Membership.id == Attendance.membership_id),
                                               (CohortSession, CohortSession.id == Attendance.cohort_session_id)],
                     attended_where),
        _per_session("posted", Post.author_id, Thread.course_session_id, Post.id, when(Post.created_at),
                     [(Thread, Thread.id == Post.thread_id)], posts_where),
        _per_session("responded", ExerciseResponse.author_id, Exercise.course_session_id, ExerciseResponse.id,
                     when(ExerciseResponse.submitted_at), [(Exercise, Exercise.id == ExerciseResponse.exercise_id)],
                     responses_where),
        _per_session("feedback", Feedback.reviewer_id, Exercise.course_session_id, Feedback.id,
                     when(Feedback.given_at), on_exercise, feedback_where),
    ]
    if one_person:  # feedback others gave on this person's responses, as they can see it
        parts.append(_per_session("received", ExerciseResponse.author_id, Exercise.course_session_id, Feedback.id,
                                  None, on_exercise,
                                  [Feedback.cohort_id == cohort, Feedback.status == "given",
                                   Feedback.hidden_at.is_(None), not_held_sql(Feedback),
                                   ExerciseResponse.author_id == bindparam("user")]))
    both = union_all(*parts).subquery("activity")
    # One row per (person, session): the four kinds side by side, so the page reads a third of the rows.
    return (select(both.c.user_id, both.c.session_id, *(func.sum(both.c[c]) for c in COLUMNS), func.sum(both.c.recent))
            .group_by(both.c.user_id, both.c.session_id))


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
    for uid, sid, attended, posted, responded, feedback, received, since_n in db.session.execute(
            _statement(user_id is not None), params):
        if uid is None:
            continue
        recent[uid] += since_n or 0
        found.cells[(uid, sid)] = Counts(attended or 0, posted or 0, responded or 0, feedback or 0, received or 0)
    found.recent = dict(recent)
    return found
