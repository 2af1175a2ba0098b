"""The demo's cohort A has enough session-2 evaluations for its facilitator to see results."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.evaluation.models import EvaluationForm, EvaluationReceipt
from tests.conftest import login


def test_demo_cohort_a_shows_session_2_results(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    form = db.session.scalars(select(EvaluationForm).filter_by(slug="after-each-session")).one()
    assert db.session.scalar(select(func.count()).select_from(EvaluationReceipt)) == 5
    from tests.conftest import fresh_totp_code  # noqa: F401  (login completes the second step)
    facilitator = db.session.scalars(select(User).filter_by(email="facilitator@example.org")).one()
    facilitator.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the tests' authenticator
    db.session.commit()
    client = app.test_client()
    login(client, facilitator.email, "peer-support-demo")
    page = client.get(f"/cohorts/{a.id}/evaluation/sessions/2/forms/{form.id}/results").get_data(as_text=True)
    assert "5 people answered" in page and "The quiet minute at the start" in page and 'role="img"' in page
