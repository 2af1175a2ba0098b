"""The demo's cohort A: resources on sessions 1-4, the course's own and the facilitator's, some new to learner1."""
from __future__ import annotations

from sqlalchemy import select

from portal.cohorts.models import Cohort
from portal.course.models import CourseSession
from portal.demo.seed import DEMO_PASSWORD
from portal.resources.models import Resource
from tests.conftest import login


def test_demo_cohort_a_has_course_and_facilitator_resources_on_sessions_1_to_4(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    numbers = dict(db.session.execute(select(CourseSession.id, CourseSession.number)).all())
    own = db.session.scalars(select(Resource).where(Resource.cohort_id == a.id)).all()
    course = db.session.scalars(select(Resource).where(Resource.cohort_id.is_(None))).all()
    assert sorted(numbers[r.course_session_id] for r in own) == [1, 2, 3, 4]
    assert {1, 2, 3, 4} <= {numbers[r.course_session_id] for r in course}
    assert {r.kind for r in own} == {"link", "file"}
    client = app.test_client()
    assert login(client, "learner1@example.org", DEMO_PASSWORD).status_code == 302
    page = client.get(f"/cohorts/{a.id}/sessions/1/resources").get_data(as_text=True)
    assert "Finding our room" in page and "The course at a glance" in page and "Getting started together" in page
    assert "New to you" not in page  # learner1 opened all of session 1's
    page = client.get(f"/cohorts/{a.id}/sessions/2/resources").get_data(as_text=True)
    assert "Our session 2 notes" in page and "New to you" in page
    handout = next(r for r in own if r.title == "Our session 2 notes")
    got = client.get(f"/cohorts/{a.id}/resources/{handout.id}")
    assert got.status_code == 200 and got.data.startswith(b"%PDF-")
