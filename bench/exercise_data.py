"""The benchmark's exercise data: one cohort of 20 learners and 2 facilitators with every session open,
responses to each of the course's exercises from 17 learners (2 more keep drafts, 1 has not started),
and feedback on them as each exercise's mode asks (allocated pairs, open feedback, facilitators')."""
from __future__ import annotations

from sqlalchemy import insert, select

from bench.cohort_data import build_cohort
from portal.dates import utcnow
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.markdown import render_markdown

LEARNERS, SHARED, DRAFTS = 20, 17, 2  # learner 0 reads the 16 others' responses
WORKED = ("You started from what you noticed in yourself, and stayed curious about the other person's "
          "view. The line about *walking alongside* rather than leading stayed with me.")
CONSIDER = "Perhaps say a little less about your own story, so there is more room for theirs."


def build_exercises(admin, course, hashed: str, bodies: list[str], html: list[str]) -> dict:
    now = utcnow()
    cohort = build_cohort(admin, course, "Bench exercises cohort", "ex", "Exercise", LEARNERS, hashed)
    learners, facilitators = cohort.learners, cohort.facilitators
    exercises = db.session.scalars(select(Exercise).where(Exercise.course_id == course.id,
                                                          Exercise.retired_at.is_(None))).all()
    for exercise in exercises:
        _responses_and_feedback(cohort.id, exercise, learners, facilitators, bodies, html, now)
    db.session.commit()
    page = next(e for e in exercises if e.mode == "open" and not e.give_before_get)
    allocated = next(e for e in exercises if e.mode == "allocated")
    return {"exercise_cohort": cohort.id, "exercise_learners": learners, "exercise_facilitators": facilitators,
            "open_exercise": page.id, "allocated_exercise": allocated.id}


def _responses_and_feedback(cohort_id, exercise, learners, facilitators, bodies, html, now) -> None:
    """Learner 0 (the measured one) shares first; the last one hasn't started; two before them keep drafts."""
    writers = learners[:SHARED + DRAFTS]
    db.session.execute(insert(ExerciseResponse), [
        {"cohort_id": cohort_id, "exercise_id": exercise.id, "author_id": uid, "body_source": bodies[n % len(bodies)],
         "body_html": html[n % len(html)], "status": "submitted" if n < SHARED else "draft",
         "submitted_at": now if n < SHARED else None, "created_at": now, "updated_at": now, "version": 1,
         "reopened": False} for n, uid in enumerate(writers)])
    shared = db.session.execute(select(ExerciseResponse.id, ExerciseResponse.author_id).where(
        ExerciseResponse.exercise_id == exercise.id, ExerciseResponse.cohort_id == cohort_id,
        ExerciseResponse.status == "submitted").order_by(ExerciseResponse.author_id)).all()
    ratings = {c["key"]: c["steps"][2]["label"] for c in exercise.criteria}
    authors = [a for _r, a in shared]
    pairs = []  # (response, reviewer, author)
    if exercise.mode == "facilitator-only":
        pairs = [(r, facilitators[n % 2], a) for n, (r, a) in enumerate(shared)]
    else:
        k = exercise.reviewers_per_response or 2
        pairs = [(r, authors[(n + step) % len(authors)], a) for n, (r, a) in enumerate(shared)
                 for step in range(1, k + 1)]
    if exercise.mode == "allocated":
        db.session.execute(insert(ReviewAllocation), [
            {"cohort_id": cohort_id, "exercise_id": exercise.id, "response_id": r, "reviewer_id": v, "author_id": a,
             "manual": False, "created_at": now} for r, v, a in pairs])
    worked, consider = render_markdown(WORKED), render_markdown(CONSIDER)
    db.session.execute(insert(Feedback), [  # every fourth pair still to give: a draft
        {"cohort_id": cohort_id, "response_id": r, "reviewer_id": v, "what_worked": WORKED, "what_worked_html": worked,
         "ratings": ratings, "to_consider": CONSIDER, "to_consider_html": consider,
         "status": "draft" if n % 4 == 3 else "given", "given_at": None if n % 4 == 3 else now,
         "created_at": now, "updated_at": now} for n, (r, v, _a) in enumerate(pairs)])
