"""Accepting invitations and joining with links: coming back after leaving, members told kindly, links that no
longer work, forged tokens, and nothing half-done when two tabs race."""
from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.enrolment import links, services
from portal.enrolment.models import Invitation
from portal.errors import InvalidInput, RuleViolation
from tests.conftest import csrf_token, login, post
from tests.enrolment.conftest import NEW_PASSWORD, c, invitation_path, new_account


@pytest.fixture
def invite(app, cohort, facilitator, outbox):
    """Invite someone through the service, as the invitations page does; returns (invitation, accept path)."""
    def send(email: str, role: str = "learner"):
        with app.test_request_context():
            invitation = services.invite_person(facilitator, cohort, email, None, role)
        return invitation, invitation_path(outbox()[-1])
    return send


def _memberships(db, user) -> list[Membership]:
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()


def _accept_signed_in(app, user, path):
    client = app.test_client()
    login(client, user.email)
    return client, client.post(path, data={"csrf_token": csrf_token(client, path)})


@pytest.mark.parametrize("status", ["left"])  # removed people are not: test_rejoining.py
def test_an_invitation_brings_back_someone_who_left(app, db, cohort, make_user, enrol, invite, status):
    person = make_user("back@example.org")
    enrol(person, cohort, status=status)
    _, path = invite("Back@Example.org")
    _, response = _accept_signed_in(app, person, path)
    assert response.status_code == 302 and response.headers["Location"] == c(cohort, "agreement")
    assert [(m.cohort_id, m.status) for m in _memberships(db, person)] == [(cohort.id, "active")]


@pytest.mark.parametrize("status", ["left"])  # removed people are not: test_rejoining.py
def test_an_invite_link_brings_back_someone_who_left(app, db, cohort, make_user, enrol, make_link, status):
    person = make_user("back@example.org")
    enrol(person, cohort, status=status)
    link = make_link(cohort)
    _, response = _accept_signed_in(app, person, f"/join/{link.code}")
    assert response.headers["Location"] == c(cohort, "agreement")
    assert [m.status for m in _memberships(db, person)] == ["active"]
    db.session.refresh(link)
    assert link.uses == 1


def test_a_current_member_is_told_kindly_and_uses_no_place(app, db, cohort, learner, make_link, make_invitation):
    link = make_link(cohort)
    client = app.test_client()
    login(client, learner.email)
    page = client.get(f"/join/{link.code}")
    assert page.status_code == 409 and "You are already a member of Cohort North" in page.get_data(as_text=True)
    response = client.post(f"/join/{link.code}", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert "already a member" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(link)
    assert link.uses == 0 and len(_memberships(db, learner)) == 1


def test_joining_twice_leaves_nothing_behind_for_the_next_commit(app, db, cohort, learner, make_link):
    link = make_link(cohort)
    with pytest.raises(RuleViolation, match="already a member"):
        links.join_by_link(link, learner)
    db.session.commit()  # whatever the caller does next
    db.session.refresh(link)
    assert link.uses == 0


def test_an_invitation_to_a_cohort_you_are_in_is_explained(app, db, cohort, learner, make_invitation):
    invitation = make_invitation(cohort, email=learner.email)  # sent before they joined another way
    with app.test_request_context():
        path = "/invitations/" + services.invitation_token(invitation)
    client = app.test_client()
    login(client, learner.email)
    page = client.get(path)
    assert page.status_code == 409 and "already a member" in page.get_data(as_text=True)
    client.post(path, data={"csrf_token": csrf_token(client, "/account")})
    assert len(_memberships(db, learner)) == 1


def test_signed_in_as_someone_else_offers_to_sign_out(app, cohort, outsider, invite):
    _, path = invite("someone@example.org")
    client, response = _accept_signed_in(app, outsider, path)
    body = client.get(path).get_data(as_text=True)
    assert "this invitation was sent to someone@example.org" in body and "Sign out" in body
    assert response.status_code == 200  # the POST changed nothing
    assert all(m.cohort_id != cohort.id for m in _memberships(services.db, outsider))


def test_an_invitation_works_once(app, db, cohort, invite):
    _, path = invite("once@example.org")
    first = app.test_client()
    assert new_account(first, path).headers["Location"] == c(cohort, "agreement")
    again = app.test_client()
    response = again.get(path)
    assert response.status_code == 410 and "already been used" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "once@example.org")) == 1


def test_a_new_account_is_signed_in_with_a_fresh_session(app, db, cohort, invite):
    _, path = invite("fresh@example.org")
    client = app.test_client()
    with client.session_transaction() as s:
        s["planted"] = "by someone else"
    new_account(client, path)
    with client.session_transaction() as s:
        assert "planted" not in s and s.get("_user_id")


def test_the_invitation_email_is_warm_plain_text(app, cohort, outbox, invite):
    invite("nia@example.org")
    mail = outbox()[-1]
    body = mail.get_content()
    assert mail.get_content_type() == "text/plain" and not mail.is_multipart()
    assert "Hello there" in body and "Cohort North" in body and "within 14 days" in body
    assert "ignore this email" in body


def test_an_expired_signature_says_expired(app, cohort, invite, monkeypatch):
    invitation, _ = invite("late@example.org")
    with app.test_request_context():
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(utcnow().timestamp()) - 15 * 86400)
        old = services.invitation_token(invitation)
        monkeypatch.undo()
    response = app.test_client().get(f"/invitations/{old}")
    assert response.status_code == 410 and "has expired" in response.get_data(as_text=True)


def test_forged_tokens_are_refused(app, db, cohort, invite):
    invitation, _ = invite("real@example.org")
    other_key = URLSafeTimedSerializer("not-our-secret-key-0123456789abcdef", salt="portal.invitation")
    forged = other_key.dumps({"i": invitation.id, "n": invitation.nonce})
    with app.test_request_context():
        missing = services.invitation_token(Invitation(id=999999, nonce="x"))
    for token in (forged, missing, "", "x" * 3000, "%00", "..%2f..%2fetc"):
        response = app.test_client().get(f"/invitations/{token}")
        assert response.status_code in (404, 410), token
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_at is None


def test_a_revoked_invitation_can_not_be_revived(app, client, auth, db, cohort, facilitator, invite, outbox):
    invitation, path = invite("gone@example.org")
    auth.login(facilitator)
    post(client, c(cohort, f"invitations/{invitation.id}/revoke"))
    response = post(client, c(cohort, f"invitations/{invitation.id}/resend"), follow_redirects=True)
    assert "used or withdrawn" in response.get_data(as_text=True)
    page = app.test_client().get(path)
    assert page.status_code == 410 and "withdrawn" in page.get_data(as_text=True)
    assert len(outbox()) == 1


def test_an_accepted_invitation_can_not_be_withdrawn(app, client, auth, db, cohort, facilitator, invite):
    invitation, path = invite("kept@example.org")
    new_account(app.test_client(), path)
    auth.login(facilitator)
    response = post(client, c(cohort, f"invitations/{invitation.id}/revoke"), follow_redirects=True)
    assert "already accepted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_the_new_account_form_keeps_what_was_typed(app, db, invite):
    _, path = invite("typed@example.org")
    client = app.test_client()
    response = new_account(client, path, name="Nia " + "x" * 90, confirm="something else entirely")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in body
    assert "80 characters or fewer" in body and "do not match" in body and 'value="Nia xxx' in body
    short = client.post(path, data={"display_name": "Nia", "password": "short", "confirm": "short",
                                    "csrf_token": csrf_token(client, path)})
    assert short.status_code == 422 and "between 10" in short.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "typed@example.org")) == 0


def test_site_admins_invite_facilitators(app, client, auth, db, cohort, site_admin, outbox):
    auth.login(site_admin)
    assert 'name="role"' in client.get(c(cohort, "invitations")).get_data(as_text=True)
    post(client, c(cohort, "invitations"), {"email": "fac@example.org", "role": "facilitator"})
    new_account(app.test_client(), invitation_path(outbox()[-1]))
    person = db.session.scalars(select(User).where(User.email == "fac@example.org")).one()
    assert [(m.role, m.status) for m in _memberships(db, person)] == [("facilitator", "active")]
    forged = post(client, c(cohort, "invitations"), {"email": "x@example.org", "role": "owner"})
    assert forged.status_code == 422


def test_the_service_refuses_a_role_no_form_offers(app, cohort, facilitator):
    with pytest.raises(InvalidInput):
        services.invite_person(facilitator, cohort, "x@example.org", None, "owner")


def test_a_used_invitation_can_not_bring_back_someone_removed_since(app, db, cohort, make_user, invite):
    person = make_user("two-tabs@example.org")
    invitation, _ = invite(person.email)
    membership = services.accept_invitation(invitation, person)
    membership.status = "removed"
    db.session.commit()
    with pytest.raises(RuleViolation, match="contact the facilitators"):  # removal is said before "used"
        services.accept_invitation(invitation, person)  # the page was still open in another tab
    assert [m.status for m in _memberships(db, person)] == ["removed"]


def test_a_link_that_filled_up_meanwhile_makes_no_account(app, db, cohort, make_link):
    link = make_link(cohort, max_uses=1, uses=1)
    with pytest.raises(RuleViolation, match="used as many times"):
        links.join_with_new_account(link, "late@example.org", "Late", NEW_PASSWORD)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "late@example.org")) == 0


def test_an_expired_link_can_not_be_used_even_by_a_stale_page(app, db, cohort, make_link, loner):
    link = make_link(cohort, expires_at=utcnow() - timedelta(seconds=1))
    with pytest.raises(RuleViolation, match="expired"):
        links.join_by_link(link, loner)
    assert _memberships(db, loner) == []
    db.session.refresh(link)
    assert link.uses == 0


@pytest.mark.parametrize("days,uses", [(0, 5), (61, 5), (5, 0), (5, 101)])
def test_the_service_refuses_link_settings_no_form_allows(app, cohort, facilitator, days, uses):
    with pytest.raises(InvalidInput):
        links.create_invite_link(facilitator, cohort, days, uses)


def test_a_link_shows_its_full_address_and_state(client, auth, db, cohort, facilitator, make_link):
    make_link(cohort, code="shared-code", max_uses=3, uses=1)
    make_link(cohort, code="spent-code", max_uses=1, uses=1)
    auth.login(facilitator)
    body = client.get(c(cohort, "invite-links")).get_data(as_text=True)
    assert 'value="http://localhost/join/shared-code"' in body and "Used 1 of 3" in body
    assert "Working" in body and "Not working: This invite link has been used as many times" in body
