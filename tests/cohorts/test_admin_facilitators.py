"""Site administrators repair a cohort's facilitators and facilitator invitations; each repair is recorded."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.enrolment.models import Invitation
from tests.conftest import post


def events(db, action=None):
    db.session.expire_all()
    statement = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return db.session.scalars(statement).all()


def test_adding_an_existing_facilitator_again_says_already(client, auth, site_admin, facilitator, cohort, db):
    auth.login(site_admin)
    response = post(client, f"/admin/cohorts/{cohort.id}/facilitators", {"email": facilitator.email},
                    follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "already facilitates" in body and "now facilitates" not in body
    assert events(db, "facilitator.added") == []


def test_adding_a_facilitator_is_recorded(client, auth, site_admin, cohort, make_user, db):
    person = make_user("new-fac@example.org", name="New Fac")
    auth.login(site_admin)
    body = post(client, f"/admin/cohorts/{cohort.id}/facilitators", {"email": person.email},
                follow_redirects=True).get_data(as_text=True)
    assert "New Fac now facilitates" in body
    [event] = events(db, "facilitator.added")
    assert (event.actor_id, event.subject_type, event.subject_id, event.cohort_id) == \
        (site_admin.id, "users", person.id, cohort.id)


def test_removing_a_facilitator_asks_first_names_them_and_records_it(client, auth, site_admin, facilitator, cohort,
                                                                      make_user, enrol, db):
    second = make_user(name="Sam Second", two_factor=True)
    enrol(second, cohort, "facilitator")
    auth.login(site_admin)
    url = f"/admin/cohorts/{cohort.id}/facilitators/{second.id}/remove"
    page = client.get(url)
    assert page.status_code == 200 and "Remove Sam Second as facilitator" in page.get_data(as_text=True)
    assert db.session.get(Membership, _membership(db, cohort, second).id).status == "active"  # a GET changes nothing
    assert "Remove" in client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    response = post(client, url, {"reason": "Added by mistake"})
    assert response.status_code == 302
    assert _membership(db, cohort, second).status == "removed"
    [event] = events(db, "facilitator.removed")
    assert (event.subject_id, event.cohort_id, event.detail) == (second.id, cohort.id, "Added by mistake")
    client.get(f"/admin/cohorts/{cohort.id}")  # shows the flash message, which names them
    assert "Sam Second" not in client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)


def test_the_last_facilitator_of_a_running_cohort_stays(client, auth, site_admin, facilitator, cohort, db):
    auth.login(site_admin)
    url = f"/admin/cohorts/{cohort.id}/facilitators/{facilitator.id}/remove"
    assert "only facilitator" in client.get(url).get_data(as_text=True)
    response = post(client, url, follow_redirects=True)
    assert "only facilitator" in response.get_data(as_text=True)
    assert _membership(db, cohort, facilitator).status == "active"
    assert events(db, "facilitator.removed") == []


def test_removing_someone_who_does_not_facilitate_is_404(client, auth, site_admin, learner, cohort, other_cohort,
                                                         other_facilitator):
    auth.login(site_admin)
    assert client.get(f"/admin/cohorts/{cohort.id}/facilitators/{learner.id}/remove").status_code == 404
    assert client.get(f"/admin/cohorts/{cohort.id}/facilitators/{other_facilitator.id}/remove").status_code == 404
    assert client.get(f"/admin/cohorts/{cohort.id}/facilitators/999999/remove").status_code == 404


def _membership(db, cohort, user):
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.cohort_id == cohort.id,
                                                       Membership.user_id == user.id)).one()


def _invite(db, cohort, email="future-fac@example.org", **extra):
    invitation = Invitation(cohort_id=cohort.id, email=email, role="facilitator", nonce="first",
                            expires_at=utcnow() + timedelta(days=3), **extra)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_pending_facilitator_invitations_are_listed_and_can_be_sent_again(client, auth, site_admin, cohort, db,
                                                                         outbox):
    invitation = _invite(db, cohort)
    auth.login(site_admin)
    page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert "future-fac@example.org" in page and "Send again" in page and "Withdraw" in page
    url = f"/admin/cohorts/{cohort.id}/invitations/{invitation.id}/resend"
    assert "future-fac@example.org" in client.get(url).get_data(as_text=True)
    assert outbox() == []
    assert post(client, url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).nonce != "first"
    assert [m["To"] for m in outbox()] == ["future-fac@example.org"]
    [event] = events(db, "invitation.resent")
    assert (event.subject_type, event.subject_id, event.cohort_id) == ("invitations", invitation.id, cohort.id)


def test_withdrawing_a_facilitator_invitation_asks_first_and_records_it(client, auth, site_admin, cohort, db):
    invitation = _invite(db, cohort)
    auth.login(site_admin)
    url = f"/admin/cohorts/{cohort.id}/invitations/{invitation.id}/withdraw"
    assert "Withdraw the invitation to future-fac@example.org" in client.get(url).get_data(as_text=True)
    assert post(client, url, {"reason": "Wrong address"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    [event] = events(db, "invitation.withdrawn")
    assert "Wrong address" in event.detail
    client.get(f"/admin/cohorts/{cohort.id}")  # the flash message
    assert "future-fac@example.org" not in client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    # A second withdrawal is refused kindly and records nothing more.
    assert "already been withdrawn" in post(client, url, follow_redirects=True).get_data(as_text=True)
    assert len(events(db, "invitation.withdrawn")) == 1


def test_another_cohorts_invitation_is_404(client, auth, site_admin, cohort, other_cohort, db):
    theirs = _invite(db, other_cohort)
    auth.login(site_admin)
    for action in ("resend", "withdraw"):
        assert client.get(f"/admin/cohorts/{cohort.id}/invitations/{theirs.id}/{action}").status_code == 404
        assert post(client, f"/admin/cohorts/{cohort.id}/invitations/{theirs.id}/{action}").status_code == 404


def test_inviting_a_new_facilitator_is_recorded(client, auth, site_admin, cohort, db, outbox):
    auth.login(site_admin)
    post(client, f"/admin/cohorts/{cohort.id}/facilitators", {"email": "brand-new@example.org"})
    [event] = events(db, "invitation.sent")
    assert (event.cohort_id, event.detail) == (cohort.id, "brand-new@example.org")
    assert [m["To"] for m in outbox()] == ["brand-new@example.org"]


def test_the_last_facilitator_stays_even_if_the_count_changed_after_it_was_read(app, db, cohort, facilitator,
                                                                                 make_user, enrol, site_admin,
                                                                                 monkeypatch):
    """Two admins removing the last two facilitators at once: the second finds one left when it writes."""
    from portal.cohorts import admin_services
    from portal.errors import RuleViolation

    second = make_user("second-facilitator@example.org", name="Sam Second")
    enrol(second, cohort, "facilitator")
    cohort.status = "running"
    db.session.commit()
    admin_services.remove_facilitator(site_admin, cohort, second)
    # As if this request had counted two facilitators before the other one committed:
    monkeypatch.setattr(admin_services, "active_facilitators", lambda cohort_id: [facilitator, second])
    with pytest.raises(RuleViolation):
        admin_services.remove_facilitator(site_admin, cohort, facilitator)
    db.session.expire_all()
    still = db.session.scalars(select(Membership.user_id).where(
        Membership.cohort_id == cohort.id, Membership.role == "facilitator", Membership.status == "active")).all()
    assert still == [facilitator.id]
    assert len(events(db, "facilitator.removed")) == 1  # one action recorded, not two
