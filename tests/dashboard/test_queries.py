"""The dashboard and a learner's progress run a fixed number of queries, however much the cohort has done."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from portal.attendance.models import Attendance
from portal.cohorts.models import CohortSession, Membership
from portal.dates import utcnow
from portal.discussions.models import Post, Thread
from portal.exercises.feedback_models import Feedback
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from tests.conftest import login

LIMIT = 10


def _grow(db, known, make_user, enrol, learners: int, posts_each: int) -> None:
    """More learners, each with attendance, posts in every session, a response and feedback."""
    now = utcnow()
    cohort = known.cohort
    entries = db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id)).all()
    exercises = db.session.scalars(select(Exercise)).all()
    target = db.session.scalars(select(ExerciseResponse)).first()
    for _ in range(learners):
        person = make_user()
        place = enrol(person, cohort)
        place.created_at = now - timedelta(days=40)
        for entry in entries:
            db.session.add(Attendance(cohort_session_id=entry.id, membership_id=place.id, status="present"))
            thread = Thread(cohort_id=cohort.id, course_session_id=entry.course_session_id, title="T",
                            author_id=person.id)
            db.session.add(thread)
            db.session.flush()
            db.session.execute(insert(Post), [
                {"cohort_id": cohort.id, "thread_id": thread.id, "number": n + 1, "author_id": person.id,
                 "body_source": "x", "body_html": "x", "created_at": now} for n in range(posts_each)])
        for exercise in exercises:
            db.session.add(ExerciseResponse(cohort_id=cohort.id, exercise_id=exercise.id, author_id=person.id,
                                            body_source="x", body_html="x", status="submitted", submitted_at=now))
        db.session.add(Feedback(cohort_id=cohort.id, response_id=target.id, reviewer_id=person.id, status="given",
                                given_at=now))
    db.session.commit()


def _count(client, count_queries, url) -> int:
    client.get(url)  # warm: a first visit may move read marks
    with count_queries() as n:
        response = client.get(url)
    assert response.status_code == 200, url
    return n()


def test_the_dashboard_and_progress_pages_cost_the_same_however_big(app, db, known, make_user, enrol, count_queries):
    facilitator, learner = app.test_client(), app.test_client()
    login(facilitator, known.facilitator.email)
    login(learner, known.lee.email)
    c = f"/cohorts/{known.cohort.id}"
    pages = [(facilitator, f"{c}/dashboard"), (learner, f"{c}/my-progress"),
             (facilitator, f"{c}/progress/{known.pat.id}")]
    small = [_count(client, count_queries, url) for client, url in pages]
    _grow(db, known, make_user, enrol, learners=12, posts_each=20)
    assert db.session.scalar(select(Membership.id).where(Membership.cohort_id == known.cohort.id)
                             .order_by(Membership.id.desc())) is not None
    big = [_count(client, count_queries, url) for client, url in pages]
    print(f"queries: {small} small, {big} big")
    assert small == big
    assert max(big) <= LIMIT


def test_the_downloads_cost_the_same_however_big(app, db, known, make_user, enrol, count_queries):
    client = app.test_client()
    login(client, known.facilitator.email)
    c = f"/cohorts/{known.cohort.id}/dashboard"
    urls = [f"{c}/attendance.csv", f"{c}/participation.csv", f"{c}/assignments.csv"]
    small = [_count(client, count_queries, url) for url in urls]
    _grow(db, known, make_user, enrol, learners=8, posts_each=5)
    assert [_count(client, count_queries, url) for url in urls] == small
