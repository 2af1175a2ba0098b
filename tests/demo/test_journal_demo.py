"""The demo's cohort A: learner1 has journal entries, one shared with a facilitator who replied."""
from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.journal.models import JournalEntry


def test_demo_cohort_a_has_learner1s_journal_with_one_shared_reply(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    learner1 = db.session.scalars(select(User).where(User.email == "learner1@example.org")).one()
    entries = db.session.scalars(select(JournalEntry)).all()
    assert len(entries) == 3 and all(e.cohort_id == a.id and e.author_id == learner1.id for e in entries)
    shared = [e for e in entries if e.shared_at is not None]
    assert len(shared) == 1 and shared[0].reply_html and shared[0].reply_author_id is not None
