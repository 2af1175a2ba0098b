"""Members' pages of a cohort: isolation, the agreement gate, session release, reading and leaving."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.cohorts.models import Membership
from portal.dates import utcnow
from tests.conftest import post


def url(cohort, path=""):
    return f"/cohorts/{cohort.id}/{path}"


@pytest.mark.parametrize("path", ["", "sessions/1", "members", "leave", "agreement"])
def test_cohort_pages_are_invisible_outside_the_cohort(cohort, learner, assert_isolated, path):
    assert_isolated(url(cohort, path))


@pytest.mark.parametrize("path", ["leave", "agreement"])
def test_cohort_forms_are_invisible_outside_the_cohort(cohort, learner, assert_isolated, path):
    assert_isolated(url(cohort, path), method="POST")


def test_unknown_and_forbidden_cohorts_answer_alike(client, auth, learner, other_cohort):
    auth.login(learner)
    forbidden = client.get(url(other_cohort))
    unknown = client.get("/cohorts/999999/")
    assert forbidden.status_code == unknown.status_code == 404
    assert forbidden.get_data(as_text=True) == unknown.get_data(as_text=True)


def test_member_sees_the_cohort_home_with_its_timetable(client, auth, learner, cohort, timetable, db):
    first = timetable(cohort)[0]
    first.starts_at = utcnow() + timedelta(days=2)
    first.location = "Room 4, Community Centre"
    db.session.commit()
    auth.login(learner)
    body = client.get(url(cohort)).get_data(as_text=True)
    assert "<h1>Cohort North</h1>" in body
    assert "Next session" in body and "Room 4, Community Centre" in body
    assert body.count('class="timetable__item"') == 3


def test_home_shows_the_next_session_for_each_cohort(client, auth, learner, cohort, timetable, db, count_queries,
                                                     enrol, make_cohort):
    first = timetable(cohort)[0]
    first.starts_at = utcnow() + timedelta(days=1)
    db.session.commit()
    auth.login(learner)
    assert "Next session:" in client.get("/home").get_data(as_text=True)
    with count_queries() as n:
        client.get("/home")
    few = n()
    for i in range(4):
        enrol(learner, make_cohort(f"More {i}"))
    with count_queries() as n:
        client.get("/home")
    assert n() == few


class TestAgreementGate:
    def test_member_who_has_not_agreed_is_sent_to_the_agreement_first(self, client, auth, make_user, enrol, cohort):
        user = make_user("new@example.org")
        enrol(user, cohort, accepted=False)
        auth.login(user)
        for path in ("", "sessions/1", "members"):
            response = client.get(url(cohort, path))
            assert response.status_code == 302
            assert response.headers["Location"].startswith(url(cohort, "agreement"))

    def test_agreeing_opens_the_cohort_and_returns_to_where_they_were_going(self, client, auth, make_user, enrol,
                                                                          cohort, db):
        user = make_user("new@example.org")
        enrol(user, cohort, accepted=False)
        auth.login(user)
        page = client.get(url(cohort, "agreement") + f"?next=/cohorts/{cohort.id}/members")
        assert "What is said here stays here." in page.get_data(as_text=True)
        version_id = db.session.scalars(
            __import__("portal.agreements.models", fromlist=["x"]).AgreementVersion.select_current(cohort.id)).one().id
        response = post(client, url(cohort, "agreement") + f"?next=/cohorts/{cohort.id}/members",
                        {"version_id": version_id, "agree": "y"})
        assert response.status_code == 302 and response.headers["Location"] == f"/cohorts/{cohort.id}/members"
        assert client.get(url(cohort)).status_code == 200

    def test_not_ticking_the_box_is_explained(self, client, auth, make_user, enrol, cohort, db):
        from portal.agreements.models import AgreementVersion
        user = make_user("new@example.org")
        enrol(user, cohort, accepted=False)
        auth.login(user)
        version = db.session.scalars(AgreementVersion.select_current(cohort.id)).one()
        response = post(client, url(cohort, "agreement"), {"version_id": version.id})
        assert response.status_code == 422
        assert "Tick the box" in response.get_data(as_text=True)
        assert client.get(url(cohort)).status_code == 302

    def test_next_cannot_leave_the_cohort(self, client, auth, make_user, enrol, cohort, db):
        from portal.agreements.models import AgreementVersion
        user = make_user("new@example.org")
        enrol(user, cohort, accepted=False)
        auth.login(user)
        version = db.session.scalars(AgreementVersion.select_current(cohort.id)).one()
        response = post(client, url(cohort, "agreement") + "?next=https://evil.example/",
                        {"version_id": version.id, "agree": "y"})
        assert response.headers["Location"] == url(cohort)


class TestSessionRelease:
    def test_learners_get_404_for_a_session_before_its_date(self, client, auth, learner, cohort, timetable, db):
        timetable(cohort)[1].starts_at = utcnow() + timedelta(days=3)
        db.session.commit()
        auth.login(learner)
        assert client.get(url(cohort, "sessions/2")).status_code == 404
        assert client.get(url(cohort, "sessions/3")).status_code == 404  # no date at all
        assert client.get(url(cohort, "sessions/99")).status_code == 404

    def test_a_session_opens_on_its_date(self, client, auth, learner, cohort, timetable, db):
        timetable(cohort)[0].starts_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
        auth.login(learner)
        body = client.get(url(cohort, "sessions/1")).get_data(as_text=True)
        assert "Body of session 1." in body and "Aim of session 1" in body

    def test_facilitators_see_every_session(self, client, auth, facilitator, cohort):
        auth.login(facilitator)
        response = client.get(url(cohort, "sessions/3"))
        assert response.status_code == 200
        assert "Learners can" in response.get_data(as_text=True)

    def test_early_release_opens_it_and_shows_as_new(self, client, auth, learner, facilitator, cohort, app):
        auth.login(learner)
        client.get(url(cohort))  # first visit
        fac = app.test_client()
        from tests.conftest import login
        login(fac, facilitator.email)
        assert post(fac, url(cohort, "manage/sessions/2/release")).status_code == 302
        assert client.get(url(cohort, "sessions/2")).status_code == 200
        body = client.get(url(cohort)).get_data(as_text=True)
        assert "New since your last visit" in body and "is now open" in body
        assert "New since your last visit" not in client.get(url(cohort)).get_data(as_text=True)


class TestMembershipStates:
    def test_suspended_member_can_read_but_not_write(self, client, auth, suspended, cohort):
        auth.login(suspended)
        body = client.get(url(cohort)).get_data(as_text=True)
        assert "paused for now" in body

    def test_removed_or_departed_members_lose_access(self, client, auth, learner, cohort, db):
        auth.login(learner)
        assert client.get(url(cohort)).status_code == 200
        m = db.session.query(Membership).filter_by(user_id=learner.id).one()
        m.status = "removed"
        db.session.commit()
        assert client.get(url(cohort)).status_code == 404
        home = client.get("/home").get_data(as_text=True)  # issue 11: a kind, true note, with no way in
        assert f'href="{url(cohort)}"' not in home and "Your place in Cohort North has ended" in home

    def test_a_learner_can_leave(self, client, auth, learner, cohort, db):
        auth.login(learner)
        assert "Leave Cohort North?" in client.get(url(cohort, "leave")).get_data(as_text=True)
        assert post(client, url(cohort, "leave")).status_code == 302
        assert client.get(url(cohort)).status_code == 404
        db.session.expire_all()
        assert db.session.query(Membership).filter_by(user_id=learner.id).one().status == "left"

    def test_archived_cohort_is_readable_and_read_only(self, client, auth, facilitator, learner, cohort, db):
        cohort.status = "archived"
        db.session.commit()
        auth.login(facilitator)
        assert "has been archived" in client.get(url(cohort)).get_data(as_text=True)
        response = post(client, url(cohort, "manage/sessions/1/release"))
        assert response.status_code == 403
        assert "archived" in response.get_data(as_text=True)


def test_members_page_shows_current_members_to_learners_and_everyone_to_facilitators(
        client, auth, learner, facilitator, make_user, enrol, cohort, count_queries):
    gone = make_user(name="Gone Person")
    enrol(gone, cohort, status="removed")
    auth.login(learner)
    body = client.get(url(cohort, "members")).get_data(as_text=True)
    assert "Lee Learner" in body and "Fran Facilitator" in body and "Gone Person" not in body
    assert "Pause" not in body
    auth.logout()
    auth.login(facilitator)
    members_url = url(cohort, "members")  # outside the count: reading cohort.id may refresh it
    with count_queries() as n:
        body = client.get(members_url).get_data(as_text=True)
    assert "Gone Person" in body and "Removed" in body and "Pause" in body
    few = n()
    for i in range(10):
        enrol(make_user(), cohort)
    with count_queries() as n:
        client.get(members_url)
    assert n() == few == 3  # user, cohort with membership and agreement, roster
