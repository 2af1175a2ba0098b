"""The benchmark's dashboard data, in the assignment cohort (30 learners, 11 sessions, all held): 3,000 posts
in threads of every session, attendance for everyone at every session (every seventh mark an apology), a
response to each exercise from 25 learners and one piece of feedback from each of them on each exercise."""
from __future__ import annotations

from sqlalchemy import insert, select

from bench.cohort_data import learner_places

from portal.attendance.models import Attendance
from portal.cohorts.models import CohortSession
from portal.dates import utcnow
from portal.exercises.feedback_models import Feedback
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db

POSTS, THREADS_PER_SESSION, RESPONDING = 3_000, 3, 25


def build_dashboard(info: dict, html: list[str]) -> dict:
    from bench.make_dataset import _thread  # the dataset's own thread builder

    now, cohort = utcnow(), info["assignment_cohort"]
    learners = info["assignment_learners"]
    entries = db.session.execute(select(CohortSession.id, CohortSession.course_session_id)
                                 .where(CohortSession.cohort_id == cohort)).all()
    threads = len(entries) * THREADS_PER_SESSION
    base, extra = divmod(POSTS, threads)
    sizes = iter([base + 1] * extra + [base] * (threads - extra))
    for n, (_entry, session_id) in enumerate(entries * THREADS_PER_SESSION):
        _thread(cohort, session_id, learners[n % len(learners):] + learners[:n % len(learners)], next(sizes), html,
                now, f"Dashboard thread {n + 1}")
    places = learner_places(cohort)
    db.session.execute(insert(Attendance), [
        {"cohort_session_id": entry, "membership_id": places[uid],
         "status": "apologies" if (i + k) % 7 == 0 else "present", "recorded_at": now}
        for i, (entry, _s) in enumerate(entries) for k, uid in enumerate(learners)])
    sessions = [s for _e, s in entries]
    exercises = db.session.scalars(select(Exercise.id).where(Exercise.course_session_id.in_(sessions),
                                                             Exercise.retired_at.is_(None))).all()
    responders = learners[:RESPONDING]
    db.session.execute(insert(ExerciseResponse), [
        {"cohort_id": cohort, "exercise_id": ex, "author_id": uid, "body_source": "Words", "body_html": "<p>Words</p>",
         "status": "submitted", "created_at": now, "submitted_at": now, "updated_at": now, "version": 1}
        for ex in exercises for uid in responders])
    responses = {(ex, uid): rid for rid, ex, uid in db.session.execute(
        select(ExerciseResponse.id, ExerciseResponse.exercise_id, ExerciseResponse.author_id)
        .where(ExerciseResponse.cohort_id == cohort))}
    db.session.execute(insert(Feedback), [
        {"cohort_id": cohort, "response_id": responses[(ex, responders[(k + 1) % len(responders)])],
         "reviewer_id": uid, "status": "given", "what_worked": "Kind words", "what_worked_html": "<p>Kind words</p>",
         "ratings": {}, "created_at": now, "updated_at": now, "given_at": now}
        for ex in exercises for k, uid in enumerate(responders)])
    db.session.commit()
    return {"dashboard_cohort": cohort, "dashboard_facilitator": info["assignment_facilitators"][0]}
