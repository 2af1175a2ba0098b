"""Who may come back: removing or pausing someone is a safeguarding action that only a facilitator undoes.
And finished or archived cohorts admit nobody, while their links and invitations can always be switched off."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.cohorts.models import Membership
from portal.enrolment import links, services
from portal.enrolment.models import Invitation, InviteLink
from portal.errors import RuleViolation
from tests.conftest import csrf_token, login, post
from tests.enrolment.conftest import c

KIND = "contact the facilitators"


def _statuses(db, user):
    db.session.expire_all()
    return [(m.status, m.left_while_paused) for m in
            db.session.scalars(select(Membership).where(Membership.user_id == user.id))]


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _invitation_path(app, invitation):
    with app.test_request_context():
        return "/invitations/" + services.invitation_token(invitation)


def test_a_removed_member_can_not_rejoin_by_link(app, db, cohort, make_user, enrol, make_link):
    person = make_user("gone@example.org")
    enrol(person, cohort, status="removed")
    link = make_link(cohort)
    client = _signed_in(app, person)
    response = client.post(f"/join/{link.code}", data={"csrf_token": csrf_token(client, "/account")},
                           follow_redirects=True)
    assert KIND in response.get_data(as_text=True)
    assert _statuses(db, person) == [("removed", False)]
    db.session.refresh(link)
    assert link.uses == 0


def test_a_removed_member_can_not_use_an_old_invitation(app, db, cohort, make_user, enrol, make_invitation):
    person = make_user("gone@example.org")
    invitation = make_invitation(cohort, email=person.email)  # sent before the removal, never used
    enrol(person, cohort, status="removed")
    with pytest.raises(RuleViolation, match=KIND):
        services.accept_invitation(invitation, person)
    path = _invitation_path(app, invitation)
    client = _signed_in(app, person)
    page = client.post(path, data={"csrf_token": csrf_token(client, path)}, follow_redirects=True)
    assert KIND in page.get_data(as_text=True)
    assert _statuses(db, person) == [("removed", False)]
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_at is None


def test_a_paused_member_can_not_leave_and_come_back_active(app, db, cohort, suspended, make_link):
    client = _signed_in(app, suspended)
    assert post(client, c(cohort, "leave")).status_code == 302
    assert _statuses(db, suspended) == [("left", True)]
    with pytest.raises(RuleViolation, match=KIND):
        links.join_by_link(make_link(cohort), suspended)
    assert _statuses(db, suspended) == [("left", True)]


def test_someone_who_left_by_choice_may_come_back_with_a_link(app, db, cohort, learner, make_link):
    client = _signed_in(app, learner)
    post(client, c(cohort, "leave"))
    links.join_by_link(make_link(cohort), learner)
    assert _statuses(db, learner) == [("active", False)]


def test_a_facilitator_can_let_someone_who_left_while_paused_come_back(app, client, auth, db, cohort, facilitator,
                                                                       suspended, make_link):
    post(_signed_in(app, suspended), c(cohort, "leave"))
    membership = db.session.scalars(select(Membership).where(Membership.user_id == suspended.id)).one()
    auth.login(facilitator)
    assert "Left while paused" in client.get(c(cohort, "members")).get_data(as_text=True)
    post(client, c(cohort, f"manage/members/{membership.id}"), {"action": "restore"})
    assert _statuses(db, suspended) == [("left", False)]  # not put back without their say: they may rejoin
    links.join_by_link(make_link(cohort), suspended)
    assert _statuses(db, suspended) == [("active", False)]


def test_a_removed_member_restored_by_a_facilitator_is_back(app, client, auth, db, cohort, facilitator, make_user,
                                                            enrol):
    person = make_user("back@example.org")
    membership = enrol(person, cohort, status="removed")
    auth.login(facilitator)
    post(client, c(cohort, f"manage/members/{membership.id}"), {"action": "restore"})
    assert _statuses(db, person) == [("active", False)]


@pytest.mark.parametrize("status", ["finished", "archived"])
def test_nobody_joins_a_closed_cohort(app, db, make_cohort, loner, make_link, make_invitation, status):
    closed = make_cohort("Closed cohort", status=status)
    link = make_link(closed)
    page = app.test_client().get(f"/join/{link.code}")
    assert page.status_code == 410 and "has finished" in page.get_data(as_text=True)
    with pytest.raises(RuleViolation, match="has finished"):
        links.join_by_link(link, loner)
    invitation = make_invitation(closed, email=loner.email)
    page = app.test_client().get(_invitation_path(app, invitation))
    assert page.status_code == 410 and "has finished" in page.get_data(as_text=True)
    with pytest.raises(RuleViolation, match="has finished"):
        services.accept_invitation(invitation, loner)
    assert _statuses(db, loner) == []


def test_a_finished_cohort_sends_no_new_invitations(app, make_cohort, facilitator):
    closed = make_cohort("Closed cohort", status="finished")
    with pytest.raises(RuleViolation, match="has finished"):
        with app.test_request_context():
            services.invite_person(facilitator, closed, "late@example.org", None)
    with pytest.raises(RuleViolation, match="has finished"):
        links.create_invite_link(facilitator, closed, 7, 5)


@pytest.mark.parametrize("who", ["facilitator", "site_admin"])
def test_links_and_invitations_can_be_switched_off_in_an_archived_cohort(app, client, auth, db, cohort, facilitator,
                                                                         site_admin, make_link, make_invitation,
                                                                         who):
    link, invitation = make_link(cohort), make_invitation(cohort)
    cohort.status = "archived"
    db.session.commit()
    auth.login(facilitator if who == "facilitator" else site_admin)
    assert "Switch off" in client.get(c(cohort, "invite-links")).get_data(as_text=True)
    assert "Withdraw" in client.get(c(cohort, "invitations")).get_data(as_text=True)
    assert post(client, c(cohort, f"invite-links/{link.id}/revoke")).status_code == 302
    assert post(client, c(cohort, f"invitations/{invitation.id}/revoke")).status_code == 302
    db.session.expire_all()
    assert db.session.get(InviteLink, link.id).revoked_at is not None
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    # making or sending stays read-only
    assert post(client, c(cohort, "invite-links"), {"days": 7, "max_uses": 2}).status_code == 403
    assert post(client, c(cohort, f"invitations/{invitation.id}/resend")).status_code == 403


def test_a_finished_cohorts_pages_explain_instead_of_sending(app, client, auth, db, cohort, facilitator, outbox):
    cohort.status = "finished"
    db.session.commit()
    auth.login(facilitator)
    for path, data in [("invitations", {"email": "late@example.org"}), ("invite-links", {"days": 7, "max_uses": 2})]:
        response = post(client, c(cohort, path), data)
        assert response.status_code == 422 and "has finished" in response.get_data(as_text=True), path
    assert outbox() == []
