"""Sharing an entry with the cohort's facilitators, revoking it, and their one reply; all audited."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.journal import services
from tests.conftest import login, post


def j(cohort, path: str = "") -> str:
    return f"/cohorts/{cohort.id}/journal{path}"


def test_share_reply_once_and_revoke(app, db, cohort, learner, facilitator, other_facilitator):
    entry = services.write_entry(learner, cohort, None, "Hard day", "It was a hard day.", None)
    author, fac = app.test_client(), app.test_client()
    login(author, learner.email)
    login(fac, facilitator.email)
    assert fac.get(j(cohort, f"/shared/{entry.id}")).status_code == 404  # not shared yet
    assert "Share this entry" in author.get(j(cohort, f"/{entry.id}/share")).get_data(as_text=True)
    assert post(author, j(cohort, f"/{entry.id}/share")).status_code == 302
    assert "Hard day" in fac.get(j(cohort, "/shared")).get_data(as_text=True)
    r = post(fac, j(cohort, f"/shared/{entry.id}"), {"body": "Thank you for **sharing** this."})
    assert r.status_code == 302
    r = post(fac, j(cohort, f"/shared/{entry.id}"), {"body": "A second reply"})
    assert r.status_code == 422 and "already replied" in r.get_data(as_text=True)
    assert "<strong>sharing</strong>" in author.get(j(cohort, f"/{entry.id}")).get_data(as_text=True)
    assert post(author, j(cohort, f"/{entry.id}/revoke")).status_code == 302
    assert "Hard day" not in fac.get(j(cohort, "/shared")).get_data(as_text=True)
    assert fac.get(j(cohort, f"/shared/{entry.id}")).status_code == 404
    assert "<strong>sharing</strong>" in author.get(j(cohort, f"/{entry.id}")).get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert [a for a in actions if a.startswith("journal.")] == ["journal.share", "journal.revoke"]


def test_facilitators_of_another_cohort_and_site_admins_never_see_a_share(app, db, cohort, learner,
                                                                         other_facilitator, site_admin):
    entry = services.share_entry(learner, cohort, services.write_entry(learner, cohort, None, None, "W", None).id)
    from portal.cohorts.openings import open_cohort

    admin = app.test_client()
    login(admin, site_admin.email)
    assert admin.get(j(cohort, f"/shared/{entry.id}")).status_code == 403  # not opened: offered an opening
    assert admin.get(j(cohort, "/shared")).status_code == 403
    open_cohort(site_admin, cohort.id, "Reading the cohort", 30)  # opened: still not shared journal entries
    for user in (other_facilitator, site_admin):
        client = app.test_client()
        login(client, user.email)
        assert client.get(j(cohort, f"/shared/{entry.id}")).status_code == 404
        assert client.get(j(cohort, "/shared")).status_code == 404


def test_empty_and_over_long_replies_are_refused(app, db, cohort, learner, facilitator):
    entry = services.share_entry(learner, cohort, services.write_entry(learner, cohort, None, None, "W", None).id)
    fac = app.test_client()
    login(fac, facilitator.email)
    assert post(fac, j(cohort, f"/shared/{entry.id}"), {"body": " "}).status_code == 422
    r = post(fac, j(cohort, f"/shared/{entry.id}"), {"body": "y" * 20_001})
    assert r.status_code == 422 and "y" * 100 in r.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.reply_source is None


def test_a_facilitators_own_entry_is_not_theirs_to_reply_to(db, cohort, facilitator):
    import pytest
    from portal.errors import NotFound
    entry = services.share_entry(facilitator, cohort,
                                 services.write_entry(facilitator, cohort, None, None, "W", None).id)
    with pytest.raises(NotFound):
        services.reply_to_entry(facilitator, cohort, entry.id, "Me")
