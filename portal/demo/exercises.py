"""Demo responses to two exercises of Demo cohort A's open sessions: several shared, one draft."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.extensions import db
from portal.markdown import render_markdown

# exercise slug -> [(author email, response, shared)]
COHORT_A = {
    "something-that-helped": [
        ("learner1@example.org", "A neighbour who kept knocking on my door every Sunday, even when I didn't "
         "answer. She never asked what was wrong. She just said she'd made too much soup.\n\nWhat helped was "
         "that she **kept coming back** without needing anything from me.", True),
        ("learner2@example.org", "Walking groups. Nobody expects you to talk while you walk, and somehow "
         "that made talking easier.", True),
        ("learner3@example.org", "A support worker who said \"I don't know, let's find out together\" instead "
         "of pretending to have the answer. It made me feel like we were on the same side.", True),
        ("learner4@example.org", "Writing things down at night so they weren't only in my head. Later I "
         "showed some of it to my GP, which I could never have said out loud.", True),
        ("learner5@example.org", "Still thinking about this one. Maybe the helpline, maybe my sister...",
         False),
    ],
    "explaining-peer-support": [
        ("learner2@example.org", "I'd say: it's support from someone who has been through something similar, "
         "who won't tell you what to do but will sit with you while you work out what you want.", True),
        ("learner3@example.org", "It's like the difference between a map and a fellow traveller. A peer "
         "supporter doesn't know your road, but they know what it is to be on one.", True),
        ("learner5@example.org", "Someone who has been there, offering company rather than advice, and who "
         "believes you can get where you want to go.", True),
    ],
}


def seed_responses(cohort: Cohort, users: dict[str, User]) -> int:
    """Add the demo responses once; a cohort that already has responses is left alone."""
    if cohort.name != "Demo cohort A" or db.session.scalar(select(func.count()).select_from(ExerciseResponse).where(
            ExerciseResponse.cohort_id == cohort.id)):
        return 0
    days = {e.course_session_id: e.starts_at for e, _s in db.session.execute(CohortSession.select_timetable(cohort.id))}
    count = 0
    for slug, rows in COHORT_A.items():
        exercise = db.session.scalars(select(Exercise).where(Exercise.course_id == cohort.course_id,
                                                             Exercise.slug == slug)).first()
        if exercise is None or days.get(exercise.course_session_id) is None:
            continue
        for n, (email, body, shared) in enumerate(rows):
            when = days[exercise.course_session_id] + timedelta(days=1, hours=n * 2)
            db.session.add(ExerciseResponse(
                cohort_id=cohort.id, exercise_id=exercise.id, author_id=users[email].id, body_source=body,
                body_html=render_markdown(body), status="submitted" if shared else "draft", version=1,
                created_at=when, updated_at=when, submitted_at=when if shared else None))
            count += 1
    return count
