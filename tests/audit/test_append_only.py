"""The audit log can't be changed or deleted: no route of the portal offers it, the ORM refuses it, and on
PostgreSQL the database itself refuses it (migration 0019), while erasing an account or cohort still works."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from portal.audit.models import AuditEvent
from portal.audit.services import record
from tests.conftest import REPO

SAFE = {"GET", "HEAD", "OPTIONS"}


def test_no_route_changes_or_deletes_an_event(app):
    audit_routes = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("audit", "cohort_audit")]
    assert {r.endpoint for r in audit_routes} == {"audit.events", "cohort_audit.events"}
    assert all(set(r.methods) <= SAFE for r in audit_routes)
    # and no code of the portal writes an UPDATE or DELETE of events (reading them is fine), except erasure
    # (issue 16), which replaces an event's text with one fixed marker: the only change migration 0028 lets
    # through (tests/privacy/test_erasure.py checks PostgreSQL refuses any other)
    writes = re.compile(r"(update|delete)\(\s*(AuditEvent|audit_events)|(UPDATE|DELETE FROM|TRUNCATE)\s+audit_events")
    touching = [str(path.relative_to(REPO)) for path in (REPO / "portal").rglob("*.py")
                if "migrations" not in path.parts and writes.search(path.read_text(encoding="utf-8"))]
    assert touching == ["portal/privacy/erasure.py"]


def _postgres(db) -> bool:
    return db.engine.dialect.name == "postgresql"


def test_a_cohorts_facilitators_see_its_events_and_no_others(app, db, cohort, other_cohort, facilitator, learner,
                                                              site_admin):
    from tests.conftest import login
    record(site_admin, "account.deactivated", subject=learner, cohort=cohort, detail="Here")
    record(site_admin, "account.deactivated", subject=learner, cohort=other_cohort, detail="Elsewhere")
    db.session.commit()
    client = app.test_client()
    login(client, facilitator.email)
    body = client.get(f"/cohorts/{cohort.id}/manage/audit").get_data(as_text=True)
    assert "Here" in body and "Elsewhere" not in body
    assert client.get(f"/cohorts/{other_cohort.id}/manage/audit").status_code == 404
    learner_client = app.test_client()
    login(learner_client, learner.email)
    assert learner_client.get(f"/cohorts/{cohort.id}/manage/audit").status_code == 404


@pytest.fixture
def event(db, site_admin, cohort):
    made = record(site_admin, "account.reactivated", subject=site_admin, cohort=cohort, detail="First")
    db.session.commit()
    return made


def test_the_database_refuses_update_delete_and_truncate(db, event):
    """PostgreSQL: the trigger of migration 0019. SQLite has no such trigger, so there the ORM guard is what
    refuses (it does on both); the run on each database checks what that database relies on."""
    if not _postgres(db):
        from portal.audit.models import AppendOnly

        event.detail = "Rewritten"
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, event.id))
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(AuditEvent, event.id).detail == "First"
        return
    for statement in (f"UPDATE audit_events SET detail = 'Rewritten' WHERE id = {event.id}",
                      f"UPDATE audit_events SET actor_id = NULL, detail = 'Sneaky' WHERE id = {event.id}",
                      f"UPDATE audit_events SET cohort_id = cohort_id + 0, action = 'x' WHERE id = {event.id}",
                      f"DELETE FROM audit_events WHERE id = {event.id}",
                      "TRUNCATE audit_events"):
        with db.engine.connect() as conn:
            with pytest.raises(DBAPIError, match="append-only"):
                conn.execute(text(statement))
            conn.rollback()
    with db.engine.connect() as conn:
        assert conn.execute(text(f"SELECT detail FROM audit_events WHERE id = {event.id}")).scalar() == "First"


def test_erasing_an_account_or_a_cohort_still_empties_the_links(db, event, site_admin, cohort):
    # Deleting rows that events point at: ON DELETE SET NULL must pass the trigger (the only UPDATE allowed).
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM memberships WHERE cohort_id = :c"), {"c": cohort.id})
        conn.execute(text("DELETE FROM cohorts WHERE id = :c"), {"c": cohort.id})
        conn.execute(text("DELETE FROM users WHERE id = :u"), {"u": site_admin.id})
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT actor_id, cohort_id, detail, action FROM audit_events WHERE id = :i"),
                           {"i": event.id}).one()
    assert tuple(row) == (None, None, "First", "account.reactivated")
