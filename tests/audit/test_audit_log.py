"""The audit log: written inside the caller's unit of work, never changed, read newest first a page at a time."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AppendOnly, AuditEvent
from portal.audit.services import record, recent_events
from portal.dates import utcnow


def test_record_does_not_commit(db, site_admin, learner, cohort):
    record(site_admin, "account.deactivated", subject=learner, cohort=cohort, detail="Why")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    record(site_admin, "account.deactivated", subject=learner, cohort=cohort, detail="Why")
    db.session.commit()
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.actor_id, event.cohort_id, event.subject_type, event.subject_id, event.detail) == \
        (site_admin.id, cohort.id, "users", learner.id, "Why")


def test_events_are_never_changed_or_deleted(db, site_admin):
    event = record(site_admin, "account.reactivated", detail="First")
    db.session.commit()
    event.detail = "Rewritten"
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()


def test_the_log_page_is_paged_newest_first_for_site_admins_only(client, auth, db, site_admin, facilitator, learner):
    start = utcnow() - timedelta(days=1)
    for n in range(55):
        db.session.add(AuditEvent(at=start + timedelta(minutes=n), actor_id=site_admin.id, action="test.thing",
                                  detail=f"event number {n:02d}"))
    record(site_admin, "account.deactivated", subject=learner, detail="newest")
    db.session.commit()
    rows, older = recent_events(1)
    assert rows[0].event.detail == "newest" and rows[0].subject_name == "Lee Learner" and older
    auth.login(site_admin)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert "Account deactivated" in first and "Lee Learner" in first and "event number 54" in first
    assert "event number 04" not in first and "Older events" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "event number 04" in second and "event number 54" not in second and "Newer events" in second
    for odd in ("0", "-1", "abc", "\u0663", "99999999999999999999"):
        assert client.get(f"/admin/audit?page={odd}").status_code == 200
    auth.logout()
    auth.login(facilitator)
    assert client.get("/admin/audit").status_code == 404
