"""Site admins manage cohorts but read members' words only as a facilitator or through a recorded,
time-limited "open as site administrator" (portal/cohorts/openings.py, portal/permissions.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cohorts import openings
from portal.cohorts.opening_models import CohortOpening
from portal.discussions import services as discussions
from portal.errors import InvalidInput
from tests.conftest import csrf_token, login

T0 = datetime(2026, 12, 1, 10, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock(monkeypatch):
    """A fixed clock for openings: set `clock.now`, every check reads it."""
    class Clock:
        now = T0
    monkeypatch.setattr(openings, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def words(db, cohort, learner, opened):
    return discussions.start_thread(learner, cohort, None, "A hard week", "I have been struggling a lot", None, None)


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _open(client, cohort_id, reason="A safeguarding call came in by phone", minutes="10", next_url=""):
    token = csrf_token(client, f"/admin/cohorts/{cohort_id}/open")
    return client.post(f"/admin/cohorts/{cohort_id}/open",
                       data={"csrf_token": token, "reason": reason, "minutes": minutes, "next": next_url})


def select_events(action):
    from portal.extensions import db
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_an_admin_asking_for_members_words_is_offered_an_opening(app, site_admin, cohort, words):
    client = _signed_in(app, site_admin)
    response = client.get(f"/cohorts/{cohort.id}/discussions")
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Open as site administrator" in body
    assert f"/admin/cohorts/{cohort.id}/open?next=" in body
    assert "A hard week" not in body and "struggling" not in body
    assert client.get(f"/cohorts/{cohort.id}/threads/{words.thread_id}").status_code == 403
    assert client.get("/cohorts/999999/discussions").status_code == 404  # unknown cohorts stay 404


def test_management_still_works_without_opening(app, site_admin, cohort, learner, words, timetable):
    client = _signed_in(app, site_admin)
    for path in ("/", "/members", "/manage/timetable", "/invitations", "/invite-links", "/manage/agreement",
                 "/manage/usual-hours", "/agreement"):
        response = client.get(f"/cohorts/{cohort.id}{path}")
        assert response.status_code in (200, 302), path
        assert "struggling" not in response.get_data(as_text=True), path
    token = csrf_token(client, f"/cohorts/{cohort.id}/manage/timetable")
    released = client.post(f"/cohorts/{cohort.id}/manage/sessions/3/release", data={"csrf_token": token})
    assert released.status_code == 302
    assert client.get(f"/admin/cohorts/{cohort.id}").status_code == 200


def test_opening_asks_a_reason(app, site_admin, cohort, words):
    client = _signed_in(app, site_admin)
    for reason in ("", "   ", "x" * 501):
        response = _open(client, cohort.id, reason=reason)
        assert response.status_code == 422
    assert "Please say why" in _open(client, cohort.id, reason="").get_data(as_text=True)
    assert select_events("cohort.opened") == []
    assert client.get(f"/cohorts/{cohort.id}/discussions").status_code == 403


@pytest.mark.parametrize("minutes", ["0", "4", "61", "600", "-5", "ten", "1e9", ""])
def test_duration_is_capped(app, site_admin, cohort, minutes):
    client = _signed_in(app, site_admin)
    response = _open(client, cohort.id, minutes=minutes)
    assert response.status_code == 422
    assert select_events("cohort.opened") == []


def test_the_service_refuses_what_the_form_would(db, site_admin, learner, cohort):
    with pytest.raises(InvalidInput):
        openings.open_cohort(site_admin, cohort.id, "Reason", 61)
    with pytest.raises(InvalidInput):
        openings.open_cohort(site_admin, cohort.id, "  ", 10)
    from portal.errors import NotFound
    with pytest.raises(NotFound):
        openings.open_cohort(learner, cohort.id, "Not an admin", 10)
    with pytest.raises(NotFound):
        openings.open_cohort(site_admin, 999999, "No such cohort", 10)


def test_opening_is_recorded_and_reads_until_the_second(app, clock, site_admin, cohort, words):
    client = _signed_in(app, site_admin)
    url = f"/cohorts/{cohort.id}/threads/{words.thread_id}"
    response = _open(client, cohort.id, next_url=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    opening = db_one(CohortOpening)
    assert opening.user_id == site_admin.id and opening.expires_at == T0 + timedelta(minutes=10)
    [event] = select_events("cohort.opened")
    assert event.actor_id == site_admin.id and event.cohort_id == cohort.id
    assert "A safeguarding call came in by phone" in event.detail
    page = client.get(url)
    assert page.status_code == 200 and "struggling" in page.get_data(as_text=True)
    assert "You are reading" in page.get_data(as_text=True)
    clock.now = T0 + timedelta(minutes=10) - timedelta(seconds=1)
    assert client.get(url).status_code == 200
    clock.now = T0 + timedelta(minutes=10)
    assert client.get(url).status_code == 403


def test_ending_early(app, clock, site_admin, cohort, words):
    client = _signed_in(app, site_admin)
    _open(client, cohort.id)
    assert client.get(f"/cohorts/{cohort.id}/discussions").status_code == 200
    clock.now = T0 + timedelta(minutes=3)
    token = csrf_token(client, f"/admin/cohorts/{cohort.id}/open")
    assert client.post(f"/admin/cohorts/{cohort.id}/open/end", data={"csrf_token": token}).status_code == 302
    assert client.get(f"/cohorts/{cohort.id}/discussions").status_code == 403
    assert db_one(CohortOpening).ended_at == T0 + timedelta(minutes=3)
    assert len(select_events("cohort.opening_ended")) == 1
    # Ending again: nothing open, nothing recorded.
    assert client.post(f"/admin/cohorts/{cohort.id}/open/end", data={"csrf_token": token}).status_code == 302
    assert len(select_events("cohort.opening_ended")) == 1


def test_double_submit_makes_one_opening(app, site_admin, cohort):
    client = _signed_in(app, site_admin)
    _open(client, cohort.id)
    _open(client, cohort.id)
    assert len(select_events("cohort.opened")) == 1
    _open(client, cohort.id, reason="A second, different reason")
    rows = all_rows(CohortOpening)
    assert len(rows) == 2 and sum(1 for r in rows if r.ended_at is None) == 1


def test_facilitators_see_who_opened_why_and_until_when(app, clock, site_admin, facilitator, cohort, words):
    _open(_signed_in(app, site_admin), cohort.id, reason="Checking a complaint about a post")
    fac = _signed_in(app, facilitator)
    timetable_page = fac.get(f"/cohorts/{cohort.id}/manage/timetable").get_data(as_text=True)
    assert "A site administrator has opened this cohort" in timetable_page
    audit = fac.get(f"/cohorts/{cohort.id}/manage/audit").get_data(as_text=True)
    assert "Ada Admin" in audit and "Checking a complaint about a post" in audit and "(open now)" in audit
    clock.now = T0 + timedelta(hours=1)
    assert "A site administrator has opened" not in fac.get(f"/cohorts/{cohort.id}/manage/timetable").get_data(
        as_text=True)
    audit = fac.get(f"/cohorts/{cohort.id}/manage/audit").get_data(as_text=True)
    assert "Checking a complaint about a post" in audit and "(open now)" not in audit


def test_forged_ids_and_other_cohorts(app, site_admin, make_user, cohort, other_cohort, words):
    client = _signed_in(app, site_admin)
    _open(client, other_cohort.id)  # open elsewhere: North stays closed
    assert client.get(f"/cohorts/{cohort.id}/discussions").status_code == 403
    assert _open(client, 999999).status_code == 404
    # Another admin's opening opens nothing for me.
    other_admin = make_user(admin=True)
    openings.open_cohort(other_admin, cohort.id, "Theirs", 30)
    assert client.get(f"/cohorts/{cohort.id}/discussions").status_code == 403
    # `next` never leaves the cohort that was opened.
    for target in ("https://evil.example/", f"/cohorts/{other_cohort.id}/discussions", "//evil.example/x"):
        response = _open(client, cohort.id, reason=f"Going to {target}", next_url=target)
        assert response.headers["Location"].endswith(f"/cohorts/{cohort.id}/"), target
    # Learners and facilitators can't open anything: the page is for site admins (404 to others).
    for user_path in ("/admin/cohorts/%d/open", "/admin/cohorts/%d/open/end"):
        assert _signed_in(app, make_user()).get(user_path % cohort.id).status_code in (404, 405)


def test_opening_needs_the_csrf_token(app, site_admin, cohort):
    client = _signed_in(app, site_admin)
    response = client.post(f"/admin/cohorts/{cohort.id}/open", data={"reason": "No token", "minutes": "10"})
    assert response.status_code == 400
    assert all_rows(CohortOpening) == []
    _open(client, cohort.id)
    assert client.post(f"/admin/cohorts/{cohort.id}/open/end").status_code == 400
    assert openings.active_opening(site_admin.id, cohort.id) is not None


def test_an_admin_who_facilitates_reads_without_opening(app, make_user, enrol, cohort, words):
    admin = make_user(admin=True)
    enrol(admin, cohort, "facilitator")
    client = _signed_in(app, admin)
    assert client.get(f"/cohorts/{cohort.id}/threads/{words.thread_id}").status_code == 200
    assert client.get(f"/cohorts/{cohort.id}/moderation").status_code == 200
    assert all_rows(CohortOpening) == []


def test_an_admin_who_is_a_learner_reads_as_a_learner(app, make_user, enrol, cohort, words):
    admin = make_user(admin=True)
    enrol(admin, cohort, "learner")
    client = _signed_in(app, admin)
    assert client.get(f"/cohorts/{cohort.id}/discussions").status_code == 200  # their own cohort, as a learner
    assert client.get(f"/cohorts/{cohort.id}/moderation").status_code == 403  # not as its facilitator


def db_one(model):
    from portal.extensions import db
    db.session.expire_all()
    return db.session.scalars(select(model)).one()


def all_rows(model):
    from portal.extensions import db
    db.session.expire_all()
    return db.session.scalars(select(model)).all()
