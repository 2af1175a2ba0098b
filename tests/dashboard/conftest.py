"""A known cohort for the dashboard's figures: three sessions, three learners, activity with exact counts.

Session 1 was 20 days ago, session 2 five days ago, session 3 is in ten days.
- Lee: session 1 attended, 2 posts (a third withdrawn); session 2 attended, 1 post, responded, gave feedback
  on Pat's response; 1 post in the general space; a draft feedback (not counted); an allocated review of
  Pat's session-1 response not given (overdue); an essay handed in, not marked yet.
- Pat: session 1 absent, 1 post and a response (all 20 days ago); session 2 apologies, a response and feedback
  on Lee's response (20 days ago, so Pat has gone quiet); an essay marked and released.
- Quinn: joined 40 days ago, nothing since, hasn't accepted the agreement; quiet.
Waiting: one held post, one open flag, one safeguarding follow-up due yesterday."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.assignments.models import Marking, Submission
from portal.attendance.models import Attendance
from portal.cohorts.models import Membership
from portal.dates import local_today, utcnow
from portal.discussions.models import Post, Thread
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.response_models import ExerciseResponse
from portal.moderation.flag_models import Flag
from portal.moderation.models import ModerationAlert
from portal.safeguarding.models import Concern
from tests.exercises.factories import add_exercise


@dataclass
class Known:
    cohort: object
    facilitator: object
    lee: object
    pat: object
    quinn: object
    sessions: list  # course session ids, in order
    lee_post: int


def _thread(db, cohort, session_id, author, posts):
    """posts: (author, created_at, withdrawn)"""
    thread = Thread(cohort_id=cohort.id, course_session_id=session_id, title="A thread", author_id=author.id)
    db.session.add(thread)
    db.session.flush()
    made = []
    for n, (who, at, withdrawn) in enumerate(posts, start=1):
        post = Post(cohort_id=cohort.id, thread_id=thread.id, number=n, author_id=who.id, body_source="Words",
                    body_html="<p>Words</p>", created_at=at, withdrawn_at=at if withdrawn else None)
        db.session.add(post)
        made.append(post)
    db.session.flush()
    return made


@pytest.fixture
def known(db, course, cohort, timetable, facilitator, learner, peer, make_user, enrol):
    today, now = local_today(), utcnow()
    long_ago = now - timedelta(days=20)
    first, second, third = timetable(cohort)
    first.day, second.day, third.day = today - timedelta(days=20), today - timedelta(days=5), today + timedelta(days=10)
    quinn = make_user("quinn@example.org", name="Quinn Quiet")
    quinn_place = enrol(quinn, cohort, accepted=False)
    places = {m.user_id: m for m in db.session.scalars(select(Membership).where(Membership.cohort_id == cohort.id))}
    for place in places.values():
        place.created_at = now - timedelta(days=40)
    quinn_place.created_at = now - timedelta(days=40)
    lee, pat = learner, peer
    s1, s2, s3 = first.course_session_id, second.course_session_id, third.course_session_id
    for entry, who, status in ((first, lee, "present"), (first, pat, "absent"), (second, lee, "present"),
                               (second, pat, "apologies")):
        db.session.add(Attendance(cohort_session_id=entry.id, membership_id=places[who.id].id, status=status))
    posts = _thread(db, cohort, s1, lee, [(lee, now, False), (lee, now, False), (lee, now, True),
                                          (pat, long_ago, False)])
    _thread(db, cohort, s2, lee, [(lee, now, False)])
    _thread(db, cohort, None, lee, [(lee, now, False)])
    _thread(db, cohort, s2, facilitator, [(facilitator, now, False)])  # facilitators are not rows
    ex1 = add_exercise(course, 1, mode="allocated", due_days=0)  # feedback due 7 days after session 1: past
    ex2 = add_exercise(course, 2)
    pat_ex1 = ExerciseResponse(cohort_id=cohort.id, exercise_id=ex1.id, author_id=pat.id, body_source="x",
                               body_html="x", status="submitted", submitted_at=long_ago)
    lee_ex2 = ExerciseResponse(cohort_id=cohort.id, exercise_id=ex2.id, author_id=lee.id, body_source="x",
                               body_html="x", status="submitted", submitted_at=now)
    pat_ex2 = ExerciseResponse(cohort_id=cohort.id, exercise_id=ex2.id, author_id=pat.id, body_source="x",
                               body_html="x", status="submitted", submitted_at=long_ago)
    db.session.add_all([pat_ex1, lee_ex2, pat_ex2])
    db.session.flush()
    db.session.add_all([
        Feedback(cohort_id=cohort.id, response_id=pat_ex2.id, reviewer_id=lee.id, status="given", given_at=now),
        Feedback(cohort_id=cohort.id, response_id=lee_ex2.id, reviewer_id=pat.id, status="given", given_at=long_ago),
        Feedback(cohort_id=cohort.id, response_id=pat_ex1.id, reviewer_id=lee.id, status="draft"),
        ReviewAllocation(cohort_id=cohort.id, exercise_id=ex1.id, response_id=pat_ex1.id, reviewer_id=lee.id,
                         author_id=pat.id),
    ])
    held = posts[1]
    held.held_at, held.held_reason = now, "safety_words"
    db.session.add_all([
        ModerationAlert(cohort_id=cohort.id, reason="safety_words", subject_kind="post", subject_id=held.id,
                        author_id=lee.id),
        Flag(cohort_id=cohort.id, subject_kind="post", subject_id=posts[0].id, flagger_id=pat.id, author_id=lee.id,
             reason="boundary"),
        Concern(cohort_id=cohort.id, member_id=pat.id, opened_by_id=facilitator.id, summary="A private worry",
                details="Private details", follow_up_on=today - timedelta(days=1)),
    ])
    lee_essay = Submission(cohort_id=cohort.id, assignment_slug="essay", user_id=lee.id, version=1, text="t",
                           text_sha256="0" * 64)
    pat_essay = Submission(cohort_id=cohort.id, assignment_slug="essay", user_id=pat.id, version=1, text="t",
                           text_sha256="0" * 64)
    db.session.add_all([lee_essay, pat_essay])
    db.session.flush()
    db.session.add(Marking(submission_id=pat_essay.id, outcome="Meets the criteria", state="released",
                           released_at=now, feedback="Well done"))
    db.session.commit()
    return Known(cohort, facilitator, lee, pat, quinn, [s1, s2, s3], posts[0].id)
