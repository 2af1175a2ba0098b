"""flask demo seed"""
from __future__ import annotations

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.demo.seed import DEMO_PASSWORD
from tests.conftest import REPO, login


def test_seed_is_idempotent_and_makes_the_promised_accounts(app, db, client):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
        assert f"Demo password: {DEMO_PASSWORD}" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 12
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 2
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 11
    admin = db.session.scalars(User.select_by_email("admin@example.org")).one()
    assert admin.is_site_admin

    def cohort_of(email):
        return db.session.execute(
            select(Cohort.name, Membership.role).join(Membership).join(User)
            .where(User.email == email)).all()

    assert cohort_of("facilitator@example.org") == [("Demo cohort A", "facilitator")]
    assert cohort_of("facilitator2@example.org") == [("Demo cohort B", "facilitator")]
    assert cohort_of("learner1@example.org") == [("Demo cohort A", "learner")]
    assert cohort_of("learner9@example.org") == [("Demo cohort B", "learner")]
    assert login(client, "learner1@example.org", DEMO_PASSWORD).status_code == 302
    assert "Demo cohort A" in client.get("/home").get_data(as_text=True)


def test_readme_states_the_demo_password():
    assert f"Demo password: `{DEMO_PASSWORD}`" in (REPO / "README.md").read_text()
