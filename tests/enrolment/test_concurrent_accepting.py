"""Four people (or four tabs) accepting one invitation at the same moment: one wins, the others get a kind
page, never a 500. Runs on SQLite and on PostgreSQL (PORTAL_TEST_DATABASE_URL)."""
from __future__ import annotations


from sqlalchemy import func, select

from portal.auth.models import User
from portal.cohorts.models import Membership
from portal.enrolment import services
from portal.enrolment.models import Invitation
from tests.conftest import csrf_token, login, post_at_once
from tests.enrolment.conftest import NEW_PASSWORD

TABS = 4


def _at_once(app, path: str, forms: list[tuple[object, dict]]) -> list[tuple[int, str]]:
    """POST each (client, data) to path from its own thread, released together."""
    return [(r.status_code, r.get_data(as_text=True))
            for r in post_at_once([(client, path, data) for client, data in forms])]


def _path(app, invitation: Invitation) -> str:
    with app.test_request_context():
        return "/invitations/" + services.invitation_token(invitation)


def test_four_new_accounts_at_once_make_one_account_and_no_errors(app, db, cohort, make_invitation):
    path = _path(app, make_invitation(cohort, email="race@example.org"))
    forms = []
    for n in range(TABS):
        client = app.test_client()
        forms.append((client, {"display_name": f"Racer {n}", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                               "csrf_token": csrf_token(client, path)}))
    results = _at_once(app, path, forms)
    statuses = sorted(status for status, _ in results)
    assert statuses.count(302) == 1 and all(s in (302, 409) for s in statuses), statuses
    for status, body in results:
        if status == 409:
            assert "sign in" in body.lower()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "race@example.org")) == 1
    assert db.session.scalar(select(func.count()).select_from(Membership)
                             .where(Membership.cohort_id == cohort.id)) == 1


def test_four_tabs_of_one_account_at_once_join_once_and_no_errors(app, db, cohort, make_user, make_invitation):
    person = make_user("tabs@example.org")
    path = _path(app, make_invitation(cohort, email=person.email))
    client = app.test_client()
    login(client, person.email)
    token = csrf_token(client, "/account")
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name).value
    forms = []
    for _ in range(TABS):  # four tabs: the same signed-in session
        tab = app.test_client()
        tab.set_cookie(name, cookie)
        forms.append((tab, {"csrf_token": token}))
    results = _at_once(app, path, forms)
    statuses = [status for status, _ in results]
    assert 302 in statuses and set(statuses) <= {302, 410}, statuses  # a tab that comes second: "already used"
    assert all("already been used" in body for status, body in results if status == 410)
    db.session.expire_all()
    assert db.session.scalars(select(Membership.status).where(Membership.user_id == person.id)).all() == ["active"]
