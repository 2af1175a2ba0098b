"""Demo responses to exercises of Demo cohort A's open sessions (open, facilitator-only and allocated mode,
one of them anonymous): several shared, one draft; then their feedback (portal/demo/feedback.py)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortSession
from portal.demo.feedback import seed_feedback
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse, SelfCheck
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
        ("learner4@example.org", "Peer support is when the person supporting you has lived through something "
         "like it too. A nurse or a counsellor is trained to help; a peer is trained as well, but they also "
         "*get it* from the inside. It's two people on the same level, working things out together.", True),
    ],
    "a-turning-point": [
        ("learner2@example.org", "The turning point was small: a day I said yes to a walk I would usually have "
         "made an excuse about. Nothing dramatic happened. I just noticed that I had chosen something.\n\nIt "
         "brings *having some control* to mind, because for a long time things had mostly happened to me.",
         True),
    ],
    "sharing-power": [
        ("learner1@example.org", "\"Hi Ray, I'm Alex. Before anything else: what would be useful for you to get "
         "out of meeting up? We can meet wherever and whenever suits you, and we can change that as we go.\"\n\n"
         "I took out the file and the fixed plan, so Ray starts from what he wants, not from what's been decided "
         "for him.", True),
        ("learner2@example.org", "\"Hi Ray. I haven't read much about you, because I'd rather hear it from you, "
         "if and when you want to tell me. Shall we talk about how these meetings could work for you?\"\n\n"
         "I changed who decides the pace and the topics.", True),
        ("learner3@example.org", "\"Hi Ray. I'm a peer supporter, which means I've had my own struggles and "
         "I'm here as an equal, not an expert. What's on your mind at the moment?\"\n\nI explained what peer "
         "support is and then handed the conversation to Ray.", True),
        ("learner4@example.org", "\"Hi Ray, thanks for coming. Where would you like to start? Some people like "
         "to plan a bit, some people just like to talk. Both are fine.\"\n\nI offered choices instead of a "
         "timetable.", True),
        ("learner5@example.org", "\"Hi Ray. These meetings are yours. Is Tuesday good, or would another day "
         "work better? And is there anything you'd like me to know, or not to ask about?\"\n\nI gave Ray say "
         "over when we meet and what we talk about.", True),
    ],
}
# The private answers before sharing a response about one's own experience: read by its author only.
SELF_CHECK = {("a-turning-point", "learner2@example.org"): [
    "Mine, mostly, and I think that's all right here: it's for my facilitators.",
    "Because it's a good memory now, not a raw one.", "Enough to say what shifted; the rest can stay with me."]}


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
            response = ExerciseResponse(
                cohort_id=cohort.id, exercise_id=exercise.id, author_id=users[email].id, body_source=body,
                body_html=render_markdown(body), status="submitted" if shared else "draft", version=1,
                created_at=when, updated_at=when, submitted_at=when if shared else None)
            db.session.add(response)
            if (slug, email) in SELF_CHECK:
                db.session.flush()
                questions = exercise.self_check_questions
                db.session.add(SelfCheck(response_id=response.id, author_id=users[email].id, updated_at=when,
                                         answers=[{"question": q, "answer": a}
                                                  for q, a in zip(questions, SELF_CHECK[(slug, email)])]))
            count += 1
    db.session.flush()
    seed_feedback(cohort, users)
    return count
