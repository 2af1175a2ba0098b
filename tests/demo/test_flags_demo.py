"""The demo's cohort A has an open flag in its moderation queue and a few past actions in the audit log."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cohorts.models import Cohort
from portal.moderation.flag_models import Flag


def test_demo_cohort_a_has_an_open_flag_and_past_actions(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed"])
    runner.invoke(args=["demo", "seed"])  # idempotent
    a = db.session.scalars(select(Cohort).where(Cohort.name == "Demo cohort A")).one()
    flags = db.session.scalars(select(Flag).where(Flag.cohort_id == a.id)).all()
    assert len(flags) == 2 and sum(1 for f in flags if f.resolved_at is None) == 1
    actions = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.cohort_id == a.id, AuditEvent.action.in_(("flag.dismissed", "item.hidden", "item.restored"))))
    assert actions == 3
    with app.test_request_context():
        from portal.moderation.queue import load_queue
        items = load_queue([a.id])
    flagged = [i for i in items if i.flags]  # the queue also holds the demo's held post (portal/demo/held.py)
    assert len(flagged) == 1 and len(flagged[0].history) >= 3
    assert {i.kind for i in items if not i.flags} == {"post"} and all(i.alerts for i in items if not i.flags)
