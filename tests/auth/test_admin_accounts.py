"""Site administrators deactivate and reactivate accounts and reset a lost second factor; each is recorded."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from tests.conftest import PASSWORD, csrf_token, login, post


def fresh(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def recorded(db, action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_people_pages_find_someone(client, auth, site_admin, learner):
    auth.login(site_admin)
    body = client.get("/admin/people?q=lee").get_data(as_text=True)
    assert "Lee Learner" in body and "learner@example.org" in body
    assert "Lee Learner" not in client.get("/admin/people?q=nobody-like-this").get_data(as_text=True)
    page = client.get(f"/admin/people/{learner.id}").get_data(as_text=True)
    assert "Cohort North" in page and "Deactivate the account" in page
    assert client.get("/admin/people/999999").status_code == 404


def test_deactivating_asks_first_ends_sessions_keeps_data_and_can_be_undone(app, client, auth, site_admin, learner,
                                                                            db):
    theirs = app.test_client()
    login(theirs, learner.email)
    assert theirs.get("/home").status_code == 200
    auth.login(site_admin)
    url = f"/admin/people/{learner.id}/deactivate"
    assert "Deactivate Lee Learner" in client.get(url).get_data(as_text=True)
    assert fresh(db, learner).active
    assert post(client, url, {"reason": "Asked to close"}).status_code == 302
    assert not fresh(db, learner).active
    assert theirs.get("/home").status_code == 302  # signed out at once
    assert login(app.test_client(), learner.email).status_code == 422  # and can't sign in
    [event] = recorded(db, "account.deactivated")
    assert (event.actor_id, event.subject_id, event.detail) == (site_admin.id, learner.id, "Asked to close")

    assert post(client, f"/admin/people/{learner.id}/reactivate").status_code == 302
    assert fresh(db, learner).active
    assert login(app.test_client(), learner.email, PASSWORD).status_code == 302
    assert len(recorded(db, "account.reactivated")) == 1


def test_an_admin_cannot_deactivate_themselves(client, auth, site_admin, db):
    auth.login(site_admin)
    url = f"/admin/people/{site_admin.id}/deactivate"
    assert "own account" in client.get(url).get_data(as_text=True)
    assert "own account" in post(client, url, follow_redirects=True).get_data(as_text=True)
    assert fresh(db, site_admin).active and recorded(db, "account.deactivated") == []


def test_resetting_two_factor_clears_it_ends_sessions_emails_and_records(app, client, auth, site_admin, facilitator,
                                                                         cohort, db, outbox):
    theirs = app.test_client()
    login(theirs, facilitator.email)
    assert theirs.get(f"/cohorts/{cohort.id}/").status_code == 200
    auth.login(site_admin)
    url = f"/admin/people/{facilitator.id}/reset-two-factor"
    assert "Reset Fran Facilitator" in client.get(url).get_data(as_text=True)
    assert post(client, url, {"reason": "Lost phone, confirmed by phone call"}).status_code == 302
    user = fresh(db, facilitator)
    assert (user.totp_secret, user.totp_enabled_at, user.recovery_codes) == (None, None, [])
    assert theirs.get(f"/cohorts/{cohort.id}/").status_code == 302  # signed out
    [mail] = outbox()
    assert mail["To"] == facilitator.email and "two-factor" in mail["Subject"]
    [event] = recorded(db, "account.two_factor_reset")
    assert (event.subject_id, event.detail) == (facilitator.id, "Lost phone, confirmed by phone call")
    # Next sign-in: the password alone, then straight to setting up a new authenticator.
    again = app.test_client()
    response = again.post("/login", data={"email": facilitator.email, "password": PASSWORD,
                                          "csrf_token": csrf_token(again)})
    assert response.status_code == 302 and not response.headers["Location"].startswith("/login/two-factor")
    response = again.get(f"/cohorts/{cohort.id}/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor")


def test_resetting_without_two_factor_is_refused_kindly(client, auth, site_admin, learner, db):
    auth.login(site_admin)
    url = f"/admin/people/{learner.id}/reset-two-factor"
    assert "nothing to reset" in client.get(url).get_data(as_text=True)
    assert "nothing to reset" in post(client, url, follow_redirects=True).get_data(as_text=True)
    assert recorded(db, "account.two_factor_reset") == []


def test_people_pages_are_404_for_everyone_else(client, auth, facilitator, learner):
    auth.login(facilitator)
    for url in ("/admin/people", f"/admin/people/{learner.id}", f"/admin/people/{learner.id}/deactivate"):
        assert client.get(url).status_code == 404
    assert post(client, f"/admin/people/{learner.id}/deactivate").status_code == 404


def test_deactivating_the_only_facilitator_of_a_running_cohort_warns(client, auth, site_admin, facilitator, cohort):
    auth.login(site_admin)
    body = client.get(f"/admin/people/{facilitator.id}/deactivate").get_data(as_text=True)
    assert "only facilitator of Cohort North" in body
