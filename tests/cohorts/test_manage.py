"""Facilitators' tools: timetable, early release, members' places."""
from __future__ import annotations

from datetime import date

import pytest

from portal.cohorts.models import CohortSession, Membership
from portal.dates import to_local
from tests.conftest import post


def url(cohort, path):
    return f"/cohorts/{cohort.id}/manage/{path}"


def _timetable_form(entries, days, times=None, places=None):
    data = {}
    for i, entry in enumerate(entries):
        data[f"rows-{i}-entry_id"] = entry.id
        data[f"rows-{i}-day"] = days[i] if i < len(days) else ""
        data[f"rows-{i}-at"] = (times or {}).get(i, "18:00")
        data[f"rows-{i}-location"] = (places or {}).get(i, "")
    return data


@pytest.mark.parametrize("path,method", [
    ("timetable", "GET"), ("timetable", "POST"), ("sessions/1/release", "POST"),
    ("sessions/1/withdraw-release", "POST"), ("members/1", "POST"),
])
def test_facilitator_tools_are_invisible_outside_the_cohort(cohort, facilitator, learner, assert_isolated, path,
                                                          method):
    assert_isolated(url(cohort, path), method=method)


@pytest.mark.parametrize("path,method", [("timetable", "GET"), ("sessions/1/release", "POST")])
def test_learners_of_the_cohort_get_404_on_facilitator_tools(client, auth, learner, cohort, path, method):
    auth.login(learner)
    response = client.get(url(cohort, path)) if method == "GET" else post(client, url(cohort, path))
    assert response.status_code == 404


def test_site_admin_can_use_facilitator_tools_without_joining(client, auth, site_admin, cohort):
    auth.login(site_admin)
    assert client.get(url(cohort, "timetable")).status_code == 200


def test_saving_the_timetable(client, auth, facilitator, cohort, timetable, db):
    auth.login(facilitator)
    entries = timetable(cohort)
    form = _timetable_form(entries, ["2027-03-02", "2027-03-09", "2027-03-16"], places={0: "Room 4"})
    response = post(client, url(cohort, "timetable"), form)
    assert response.status_code == 302
    db.session.expire_all()
    first = db.session.get(CohortSession, entries[0].id)
    local = to_local(first.starts_at)
    assert (local.date(), local.hour, first.location) == (date(2027, 3, 2), 18, "Room 4")
    assert "Timetable saved." in client.get(url(cohort, "timetable")).get_data(as_text=True)


def test_gaps_and_dates_out_of_order_are_warnings_not_blocks(client, auth, facilitator, cohort, timetable, db):
    auth.login(facilitator)
    entries = timetable(cohort)
    response = post(client, url(cohort, "timetable"), _timetable_form(entries, ["2027-03-09", "2027-03-02"]))
    assert response.status_code == 302
    body = client.get(url(cohort, "timetable")).get_data(as_text=True)
    assert "No date yet for session 3." in body
    assert "Session 2 is dated on or before session 1" in body
    db.session.expire_all()
    assert db.session.get(CohortSession, entries[1].id).starts_at is not None


def test_a_bad_date_is_explained_and_the_rest_kept(client, auth, facilitator, cohort, timetable, db):
    auth.login(facilitator)
    entries = timetable(cohort)
    form = _timetable_form(entries, ["2027-03-02", "not a date"], places={0: "Kept place"})
    response = post(client, url(cohort, "timetable"), form)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Not a valid date value" in body and 'value="Kept place"' in body
    db.session.expire_all()
    assert db.session.get(CohortSession, entries[0].id).starts_at is None  # nothing half-saved


def test_a_forged_timetable_row_changes_nothing(client, auth, facilitator, cohort, other_cohort, timetable, db):
    auth.login(facilitator)
    theirs = timetable(other_cohort)
    ours = timetable(cohort)
    form = _timetable_form([ours[0], theirs[1]], ["2027-03-02", "2027-03-09"])
    assert post(client, url(cohort, "timetable"), form).status_code == 404
    db.session.expire_all()
    assert db.session.get(CohortSession, theirs[1].id).starts_at is None
    assert db.session.get(CohortSession, ours[0].id).starts_at is None


def test_release_and_withdraw(client, auth, facilitator, cohort, timetable, db):
    auth.login(facilitator)
    assert post(client, url(cohort, "sessions/2/release")).status_code == 302
    db.session.expire_all()
    assert timetable(cohort)[1].released_at is not None
    assert post(client, url(cohort, "sessions/2/withdraw-release")).status_code == 302
    db.session.expire_all()
    assert timetable(cohort)[1].released_at is None
    assert post(client, url(cohort, "sessions/42/release")).status_code == 404


class TestMemberActions:
    def _membership(self, db, user):
        db.session.expire_all()
        return db.session.query(Membership).filter_by(user_id=user.id).one()

    def test_pause_remove_restore(self, client, auth, facilitator, learner, cohort, db, app):
        from tests.conftest import login
        learner_client = app.test_client()
        login(learner_client, learner.email)
        m = self._membership(db, learner)
        auth.login(facilitator)
        post(client, url(cohort, f"members/{m.id}"), {"action": "suspend"})
        assert self._membership(db, learner).status == "suspended"
        assert learner_client.get(f"/cohorts/{cohort.id}/").status_code == 200
        assert post(learner_client, f"/cohorts/{cohort.id}/manage/timetable").status_code == 404
        post(client, url(cohort, f"members/{m.id}"), {"action": "remove"})
        assert self._membership(db, learner).status == "removed"
        assert learner_client.get(f"/cohorts/{cohort.id}/").status_code == 404
        post(client, url(cohort, f"members/{m.id}"), {"action": "restore"})
        assert self._membership(db, learner).status == "active"
        assert learner_client.get(f"/cohorts/{cohort.id}/").status_code == 200

    def test_nobody_changes_their_own_place(self, client, auth, facilitator, cohort, db):
        m = self._membership(db, facilitator)
        auth.login(facilitator)
        post(client, url(cohort, f"members/{m.id}"), {"action": "remove"})
        assert self._membership(db, facilitator).status == "active"

    def test_unknown_action_and_forged_ids(self, client, auth, facilitator, learner, outsider, cohort, db):
        auth.login(facilitator)
        m = self._membership(db, learner)
        post(client, url(cohort, f"members/{m.id}"), {"action": "promote"})
        assert self._membership(db, learner).status == "active"
        theirs = self._membership(db, outsider)
        assert post(client, url(cohort, f"members/{theirs.id}"), {"action": "remove"}).status_code == 404
        assert self._membership(db, outsider).status == "active"
        assert post(client, url(cohort, "members/999999"), {"action": "remove"}).status_code == 404


class TestRemoving:
    def test_remove_asks_first_naming_the_person_and_the_notice_names_them(self, client, auth, facilitator,
                                                                            learner, cohort, db):
        m = db.session.query(Membership).filter_by(user_id=learner.id).one()
        auth.login(facilitator)
        members = client.get(f"/cohorts/{cohort.id}/members").get_data(as_text=True)
        assert 'value="remove"' not in members  # no one-click removal beside Pause
        page = client.get(url(cohort, f"members/{m.id}/remove"))
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "Remove Lee Learner from Cohort North?" in body
        assert 'name="action" value="remove"' in body and "No, keep Lee Learner" in body
        done = post(client, url(cohort, f"members/{m.id}"), {"action": "remove"}, follow_redirects=True)
        assert "Lee Learner has been removed from the cohort." in done.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Membership, m.id).status == "removed"

    def test_the_confirmation_is_invisible_outside_the_cohort(self, cohort, facilitator, learner, db,
                                                             assert_isolated):
        m = db.session.query(Membership).filter_by(user_id=learner.id).one()
        assert_isolated(url(cohort, f"members/{m.id}/remove"))


def test_sessions_without_a_date_are_named_in_plain_words(client, auth, facilitator, cohort, timetable):
    auth.login(facilitator)
    entries = timetable(cohort)
    post(client, url(cohort, "timetable"), _timetable_form(entries, ["2027-03-02"]))
    assert "No date yet for sessions 2 and 3." in client.get(url(cohort, "timetable")).get_data(as_text=True)
