"""The demo's assignments: in cohort A, an essay with feedback released, one late, one extension."""
from __future__ import annotations

from sqlalchemy import select

from portal.assignments.models import AssignmentExtension, Marking, Submission
from portal.cohorts.models import Cohort
from portal.demo.seed import DEMO_PASSWORD
from tests.conftest import login


def test_the_demo_has_released_feedback_a_late_essay_and_an_extension(app, db, client):
    runner = app.test_cli_runner()
    for _ in range(2):  # idempotent
        assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    rows = db.session.scalars(select(Submission).where(Submission.cohort_id == a.id)).all()
    assert len(rows) == 2 and sorted(r.is_late for r in rows) == [False, True]
    assert db.session.scalars(select(Marking)).one().state == "released"
    assert db.session.scalars(select(AssignmentExtension)).one().cohort_id == a.id
    on_time = next(r for r in rows if not r.is_late)
    assert login(client, "learner1@example.org", DEMO_PASSWORD).status_code == 302
    page = client.get(f"/cohorts/{a.id}/submissions/{on_time.id}").get_data(as_text=True)
    assert "meets the criteria" in page and "Thank you for sharing this so openly." in page
    late = next(r for r in rows if r.is_late)
    assert client.get(f"/cohorts/{a.id}/submissions/{late.id}").status_code == 404
