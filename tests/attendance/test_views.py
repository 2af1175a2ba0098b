"""Attendance pages: the register, the overview and each learner's own record."""
from __future__ import annotations

import pytest
from sqlalchemy import delete

from portal.attendance import services
from portal.attendance.models import Attendance
from tests.attendance.conftest import membership_of, register, row_cells, url
from tests.conftest import csrf_token, login, post


@pytest.fixture
def lee(db, cohort, learner):
    return membership_of(db, learner, cohort)


@pytest.fixture
def sue(db, cohort, suspended):
    return membership_of(db, suspended, cohort)


# ---- who may use what ---------------------------------------------------------------------------

@pytest.mark.parametrize("path,method", [
    ("attendance", "GET"), ("attendance/1", "GET"), ("attendance/1", "POST"), ("my-attendance", "GET"),
])
def test_attendance_is_invisible_outside_the_cohort(cohort, facilitator, learner, assert_isolated, path, method):
    assert_isolated(url(cohort, path), method=method)


@pytest.mark.parametrize("path,method", [("attendance", "GET"), ("attendance/1", "GET"), ("attendance/1", "POST")])
def test_learners_get_404_on_the_facilitators_pages(client, auth, cohort, learner, lee, path, method, saved):
    auth.login(learner)
    if method == "GET":
        response = client.get(url(cohort, path))
    else:
        response = post(client, url(cohort, path), register({lee: "present"}))
    assert response.status_code == 404
    assert saved() == {}


def test_a_site_admin_can_record_without_joining(client, auth, site_admin, cohort, lee, timetable, saved, db):
    auth.login(site_admin)
    assert client.get(url(cohort)).status_code == 200
    response = post(client, url(cohort, "attendance/2"), register({lee: "apologies"}))
    assert response.status_code == 302
    assert saved() == {(timetable(cohort)[1].id, lee.id): "apologies"}
    # a member's own page: the gate offers the site admin an opening (403); opened, they have no record (404)
    assert client.get(url(cohort, "my-attendance")).status_code == 403


# ---- recording ----------------------------------------------------------------------------------

def test_the_register_lists_every_current_learner_with_a_radio_group(client, auth, facilitator, cohort, lee, sue,
                                                                     make_user, enrol):
    enrol(make_user(name="Rita Removed"), cohort, "learner", status="removed")
    auth.login(facilitator)
    body = client.get(url(cohort, "attendance/1")).get_data(as_text=True)
    assert '<legend class="fieldset__legend">Lee Learner</legend>' in body
    assert '<legend class="fieldset__legend">Sue Spended</legend>' in body
    assert "Their place is paused at the moment." in body
    assert "Rita Removed" not in body and "Fran Facilitator</legend>" not in body
    for value, label in (("present", "Present"), ("apologies", "Sent apologies"), ("absent", "Absent")):
        assert f'type="radio" id="status-{lee.id}-{value}" name="status-{lee.id}" value="{value}">' in body
        assert f'<label class="checkbox__label" for="status-{lee.id}-{value}">{label}</label>' in body
    assert body.count('type="submit" class="button">Save attendance</button>') == 1
    assert "checked" not in body


def test_saving_the_register_for_everyone_at_once(client, auth, facilitator, cohort, lee, sue, make_user, enrol,
                                                   timetable, saved):
    unanswered = enrol(make_user(), cohort, "learner")
    auth.login(facilitator)
    response = post(client, url(cohort, "attendance/1"), {**register({lee: "present", sue: "apologies"}),
                                                        f"status-{unanswered.id}": ""})
    assert response.status_code == 302 and response.headers["Location"] == url(cohort)
    first = timetable(cohort)[0].id
    assert saved() == {(first, lee.id): "present", (first, sue.id): "apologies"}
    page = client.get(url(cohort)).get_data(as_text=True)
    assert "Attendance for session 1 saved." in page


def test_the_register_is_prefilled_and_changes_replace_what_was_there(client, auth, facilitator, cohort, lee, sue,
                                                                      timetable, saved):
    auth.login(facilitator)
    post(client, url(cohort, "attendance/3"), register({lee: "present", sue: "absent"}))
    body = client.get(url(cohort, "attendance/3")).get_data(as_text=True)
    assert f'name="status-{lee.id}" value="present" checked>' in body
    assert f'name="status-{sue.id}" value="absent" checked>' in body
    assert body.count(" checked>") == 2
    assert post(client, url(cohort, "attendance/3"), register({lee: "apologies", sue: "absent"})).status_code == 302
    third = timetable(cohort)[2].id
    assert saved() == {(third, lee.id): "apologies", (third, sue.id): "absent"}


def test_the_overview_summarises_each_session_and_each_learner(client, auth, facilitator, cohort, lee, sue, timetable,
                                                               db):
    services.record_attendance(facilitator, cohort, timetable(cohort)[0], {lee.id: "present", sue.id: "apologies"})
    services.record_attendance(facilitator, cohort, timetable(cohort)[1], {lee.id: "absent"})
    auth.login(facilitator)
    body = client.get(url(cohort)).get_data(as_text=True)
    assert "<caption" in body and '<th scope="col">Not recorded</th>' in body
    # present, apologies, absent, not recorded, link
    assert row_cells(body, "1. Getting started")[1:] == ["1", "1", "0", "0", "Change attendance for session 1"]
    assert row_cells(body, "2. What is recovery?")[1:] == ["0", "0", "1", "1", "Change attendance for session 2"]
    assert row_cells(body, "3. Peer support")[1:] == ["0", "0", "0", "2", "Record attendance for session 3"]
    assert f'href="{url(cohort, "attendance/3")}"' in body
    assert row_cells(body, "Lee Learner") == ["1", "0", "1"]
    assert row_cells(body, "Sue Spended") == ["0", "1", "0"]


def test_an_empty_cohort_invites_rather_than_shows_an_empty_table(client, auth, facilitator, cohort):
    auth.login(facilitator)
    body = client.get(url(cohort)).get_data(as_text=True)
    assert "There are no learners in this cohort yet." in body
    assert "Each learner" not in body


# ---- refused input ------------------------------------------------------------------------------

@pytest.mark.parametrize("forged", ["other cohort", "unknown", "facilitator", "not a number"])
def test_forged_people_are_refused_and_nothing_is_saved(client, auth, db, cohort, other_cohort, facilitator, outsider,
                                                        lee, sue, saved, forged):
    key = {"other cohort": lambda: f"status-{membership_of(db, outsider, other_cohort).id}",
           "unknown": lambda: "status-999999",
           "facilitator": lambda: f"status-{membership_of(db, facilitator, cohort).id}",
           "not a number": lambda: "status-1e3"}[forged]()
    auth.login(facilitator)
    response = post(client, url(cohort, "attendance/1"), {**register({lee: "present", sue: "absent"}), key: "present"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "nothing has been saved" in body
    assert "<title>Error: " in body
    assert f'name="status-{lee.id}" value="present" checked>' in body  # what was chosen is kept
    assert f'name="status-{sue.id}" value="absent" checked>' in body
    assert saved() == {}


def test_an_answer_that_is_not_a_choice_is_explained_beside_the_person(client, auth, facilitator, cohort, lee, sue,
                                                                       saved):
    auth.login(facilitator)
    response = post(client, url(cohort, "attendance/1"), register({lee: "present", sue: "late"}))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'<a href="#status-{sue.id}-present">Choose Present, Sent apologies or Absent for Sue Spended</a>' in body
    assert f'id="status-{sue.id}-error"><span class="visually-hidden">Error:</span> Choose' in body
    assert f'name="status-{lee.id}" value="present" checked>' in body
    assert saved() == {}


def test_two_answers_for_one_person_are_refused(client, auth, facilitator, cohort, lee, saved):
    auth.login(facilitator)
    token = csrf_token(client, "/account")
    response = client.post(url(cohort, "attendance/1"),
                           data={"csrf_token": token, f"status-{lee.id}": ["present", "absent"]})
    assert response.status_code == 422 and "nothing has been saved" in response.get_data(as_text=True)
    assert saved() == {}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_session_number_is_not_found(client, auth, facilitator, cohort, lee, method, saved):
    auth.login(facilitator)
    if method == "GET":
        response = client.get(url(cohort, "attendance/42"))
    else:
        response = post(client, url(cohort, "attendance/42"), register({lee: "present"}))
    assert response.status_code == 404
    assert saved() == {}


def test_a_missing_csrf_token_is_refused(client, auth, facilitator, cohort, lee, saved):
    auth.login(facilitator)
    response = client.post(url(cohort, "attendance/1"), data=register({lee: "present"}))
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert saved() == {}


def test_an_archived_cohort_can_be_read_but_not_recorded(client, auth, facilitator, cohort, lee, db, saved):
    auth.login(facilitator)
    token = csrf_token(client, url(cohort, "attendance/1"))
    cohort.status = "archived"
    db.session.commit()
    response = client.post(url(cohort, "attendance/1"), data={"csrf_token": token, **register({lee: "present"})})
    assert response.status_code == 403 and "archived" in response.get_data(as_text=True)
    assert saved() == {}
    assert client.get(url(cohort)).status_code == 200


# ---- my attendance ------------------------------------------------------------------------------

def test_learners_see_their_own_record_in_warm_words(client, auth, facilitator, learner, cohort, lee, sue, timetable):
    services.record_attendance(facilitator, cohort, timetable(cohort)[0], {lee.id: "present", sue.id: "absent"})
    services.record_attendance(facilitator, cohort, timetable(cohort)[1], {lee.id: "apologies", sue.id: "present"})
    auth.login(learner)
    body = client.get(url(cohort, "my-attendance")).get_data(as_text=True)
    assert row_cells(body, "1. Getting started")[1:] == ["You were there"]
    assert row_cells(body, "2. What is recovery?")[1:] == ["You sent apologies"]
    assert row_cells(body, "3. Peer support")[1:] == ["Nothing recorded yet"]
    assert "You have come to 1 session so far." in body
    assert "Sue Spended" not in body and "We missed you" not in body


def test_a_paused_member_can_still_see_their_record(app, facilitator, suspended, cohort, sue, timetable):
    services.record_attendance(facilitator, cohort, timetable(cohort)[0], {sue.id: "absent"})
    client = app.test_client()
    login(client, suspended.email)
    response = client.get(url(cohort, "my-attendance"))
    assert response.status_code == 200
    assert row_cells(response.get_data(as_text=True), "1. Getting started")[1:] == ["We missed you"]


def test_before_anything_is_recorded_the_page_says_so(client, auth, learner, cohort):
    auth.login(learner)
    body = client.get(url(cohort, "my-attendance")).get_data(as_text=True)
    assert "Nothing has been recorded yet." in body


def test_facilitators_are_pointed_to_the_overview(client, auth, facilitator, cohort):
    auth.login(facilitator)
    body = client.get(url(cohort, "my-attendance")).get_data(as_text=True)
    assert "Attendance is kept for learners" in body and f'href="{url(cohort)}"' in body


# ---- the cost of a page does not grow with the cohort -------------------------------------------

def _count(count_queries, client, path: str, data: dict | None = None) -> int:
    """Queries run by one request (a POST's CSRF token is fetched before counting starts)."""
    token = csrf_token(client, "/account") if data is not None else None
    with count_queries() as n:
        if data is None:
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code in (200, 302), path
    return n()


@pytest.mark.parametrize("page", ["overview", "register", "first save", "changes", "mine"])
def test_pages_run_the_same_number_of_queries_for_3_or_15_learners(
        app, client, auth, db, facilitator, learner, cohort, lee, add_learners, timetable, count_queries, page):
    learner_client = app.test_client()
    login(learner_client, learner.email)
    auth.login(facilitator)
    memberships, measured = [lee], []
    first, second, third = timetable(cohort)
    for more in (2, 12):  # 3 learners, then 15
        memberships += add_learners(cohort, more)
        for entry in (first, second):
            services.record_attendance(facilitator, cohort, entry, {m.id: "present" for m in memberships})
        db.session.execute(delete(Attendance).where(Attendance.cohort_session_id == third.id))
        db.session.commit()
        if page == "overview":
            measured.append(_count(count_queries, client, url(cohort)))
        elif page == "register":
            measured.append(_count(count_queries, client, url(cohort, "attendance/1")))
        elif page == "first save":  # every learner's record is new
            data = register({m: "present" for m in memberships})
            measured.append(_count(count_queries, client, url(cohort, "attendance/3"), data))
        elif page == "changes":  # every learner's record changes
            data = register({m: "absent" for m in memberships})
            measured.append(_count(count_queries, client, url(cohort, "attendance/2"), data))
        else:
            measured.append(_count(count_queries, learner_client, url(cohort, "my-attendance")))
    assert len(memberships) == 15
    print(f"{page}: {measured[0]} queries for 3 learners, {measured[1]} for 15")
    assert measured[0] == measured[1]
