"""The demo's cohort A: an announcement from the facilitator at the top of the cohort home."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.announcements.models import Announcement
from portal.cohorts.models import Cohort
from portal.demo.seed import DEMO_PASSWORD
from tests.conftest import login


def test_demo_cohort_a_has_an_announcement_on_its_home(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 1
    client = app.test_client()
    assert login(client, "learner1@example.org", DEMO_PASSWORD).status_code == 302
    home = client.get(f"/cohorts/{a.id}/").get_data(as_text=True)
    assert "Next week we meet in Room 3" in home and "Close this announcement" in home
