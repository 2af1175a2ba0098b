"""Attendance is for sessions that have happened, and a mark made by mistake can be taken back."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.attendance import services
from portal.dates import local_today
from tests.attendance.conftest import membership_of, register, row_cells, url
from tests.conftest import post


@pytest.fixture
def lee(db, cohort, learner):
    return membership_of(db, learner, cohort)


@pytest.fixture
def future(db, cohort, timetable):
    """Session 2 is next week."""
    entry = timetable(cohort)[1]
    entry.day = local_today() + timedelta(days=7)
    db.session.commit()
    return entry


def test_a_future_session_cannot_be_recorded(db, cohort, facilitator, lee, future, saved):
    with pytest.raises(services.AttendanceRefused) as refused:
        services.record_attendance(facilitator, cohort, future, {lee.id: "present"})
    assert "has not happened yet" in refused.value.message
    assert saved() == {}


def test_the_register_of_a_future_session_explains_rather_than_offers_a_form(client, auth, facilitator, cohort,
                                                                             lee, future, saved):
    auth.login(facilitator)
    page = client.get(url(cohort, "attendance/2")).get_data(as_text=True)
    assert "has not happened yet" in page and "Save attendance" not in page
    response = post(client, url(cohort, "attendance/2"), register({lee: "present"}))
    assert response.status_code == 422 and "has not happened yet" in response.get_data(as_text=True)
    assert saved() == {}
    overview = client.get(url(cohort)).get_data(as_text=True)
    assert f'href="{url(cohort, "attendance/2")}"' not in overview


def test_today_and_undated_sessions_can_be_recorded(db, cohort, facilitator, lee, timetable, saved):
    first, _, third = timetable(cohort)
    first.day = local_today()
    db.session.commit()
    services.record_attendance(facilitator, cohort, first, {lee.id: "present"})
    services.record_attendance(facilitator, cohort, third, {lee.id: "absent"})
    assert saved() == {(first.id, lee.id): "present", (third.id, lee.id): "absent"}


def test_a_mark_can_be_cleared_back_to_not_recorded(db, cohort, facilitator, lee, timetable, saved):
    first = timetable(cohort)[0]
    services.record_attendance(facilitator, cohort, first, {lee.id: "present"})
    assert services.record_attendance(facilitator, cohort, first, {lee.id: services.NOT_RECORDED}) == 1
    assert saved() == {}


def test_the_register_offers_not_recorded_to_people_with_a_mark(client, auth, facilitator, cohort, lee, timetable,
                                                                 saved, make_user, enrol):
    other = enrol(make_user(name="Ola Other"), cohort, "learner")
    services.record_attendance(facilitator, cohort, timetable(cohort)[0], {lee.id: "present"})
    auth.login(facilitator)
    body = client.get(url(cohort, "attendance/1")).get_data(as_text=True)
    assert f'name="status-{lee.id}" value="unrecorded">' in body
    assert f'name="status-{other.id}" value="unrecorded"' not in body  # nothing to clear
    assert post(client, url(cohort, "attendance/1"), register({lee: "unrecorded"})).status_code == 302
    assert saved() == {}
    overview = client.get(url(cohort)).get_data(as_text=True)
    assert row_cells(overview, "1. Getting started")[1:5] == ["0", "0", "0", "2"]
