"""Attendance services, called without a request."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.attendance import services
from portal.attendance.models import Attendance
from portal.errors import NotFound, RuleViolation
from tests.attendance.conftest import membership_of


@pytest.fixture
def people(db, cohort, facilitator, learner, suspended):
    return membership_of(db, learner, cohort), membership_of(db, suspended, cohort)


def test_records_and_then_changes_a_register(db, cohort, facilitator, site_admin, people, timetable, saved):
    lee, sue = people
    first = timetable(cohort)[0]
    assert services.record_attendance(facilitator, cohort, first, {lee.id: "present", sue.id: "apologies"}) == 2
    assert saved() == {(first.id, lee.id): "present", (first.id, sue.id): "apologies"}
    assert services.record_attendance(site_admin, cohort, first, {lee.id: "absent", sue.id: "apologies"}) == 1
    assert saved() == {(first.id, lee.id): "absent", (first.id, sue.id): "apologies"}
    rows = services.recorded_statuses(first.id)
    assert rows == {lee.id: "absent", sue.id: "apologies"}


def test_who_changed_a_record_is_kept_and_an_unchanged_one_keeps_its_recorder(
        db, cohort, facilitator, site_admin, people, timetable):
    lee, sue = people
    first = timetable(cohort)[0]
    services.record_attendance(facilitator, cohort, first, {lee.id: "present", sue.id: "present"})
    before = {a.membership_id: a.recorded_at for a in db.session.scalars(select(Attendance))}
    services.record_attendance(site_admin, cohort, first, {lee.id: "absent", sue.id: "present"})
    db.session.expire_all()
    rows = {a.membership_id: a for a in db.session.scalars(select(Attendance))}
    assert {m: a.recorded_by_id for m, a in rows.items()} == {lee.id: site_admin.id, sue.id: facilitator.id}
    assert rows[lee.id].recorded_at > before[lee.id] and rows[sue.id].recorded_at == before[sue.id]


def test_someone_left_out_stays_as_they_were(db, cohort, facilitator, people, timetable, saved):
    lee, sue = people
    first = timetable(cohort)[0]
    services.record_attendance(facilitator, cohort, first, {lee.id: "present"})
    services.record_attendance(facilitator, cohort, first, {})
    assert saved() == {(first.id, lee.id): "present"}


@pytest.mark.parametrize("forged", ["other cohort", "unknown", "facilitator", "removed"])
def test_anyone_not_on_the_register_refuses_the_whole_save(db, cohort, other_cohort, facilitator, outsider, people,
                                                          make_user, enrol, timetable, saved, forged):
    lee, _ = people
    ids = {"other cohort": lambda: membership_of(db, outsider, other_cohort).id,
           "unknown": lambda: 999_999,
           "facilitator": lambda: membership_of(db, facilitator, cohort).id,
           "removed": lambda: enrol(make_user(), cohort, "learner", status="removed").id}
    answers = {lee.id: "present", ids[forged](): "present"}
    with pytest.raises(services.AttendanceRefused) as refused:
        services.record_attendance(facilitator, cohort, timetable(cohort)[0], answers)
    assert refused.value.status == 422 and "not learners in this cohort" in refused.value.message
    assert saved() == {}


def test_an_answer_that_is_not_a_choice_is_named_and_nothing_saved(db, cohort, facilitator, people, timetable, saved):
    lee, sue = people
    with pytest.raises(services.AttendanceRefused) as refused:
        services.record_attendance(facilitator, cohort, timetable(cohort)[0], {lee.id: "present", sue.id: "late"})
    assert refused.value.invalid == {sue.id}
    assert saved() == {}


def test_a_session_from_another_cohort_is_not_found(db, cohort, other_cohort, facilitator, people, timetable, saved):
    lee, _ = people
    with pytest.raises(NotFound):
        services.record_attendance(facilitator, cohort, timetable(other_cohort)[0], {lee.id: "present"})
    assert saved() == {}


def test_an_archived_cohort_keeps_its_register(db, cohort, facilitator, people, timetable, saved):
    lee, _ = people
    cohort.status = "archived"
    db.session.commit()
    with pytest.raises(RuleViolation):
        services.record_attendance(facilitator, cohort, timetable(cohort)[0], {lee.id: "present"})
    assert saved() == {}


def test_overview_counts_each_session_and_each_current_learner(
        db, cohort, facilitator, people, make_user, enrol, timetable):
    lee, sue = people
    gone = enrol(make_user(), cohort, "learner")
    first, second, _ = timetable(cohort)
    services.record_attendance(facilitator, cohort, first, {lee.id: "present", sue.id: "apologies", gone.id: "absent"})
    services.record_attendance(facilitator, cohort, second, {lee.id: "present"})
    gone.status = "removed"  # their history stays in the session totals (issue 11), not on the register
    db.session.commit()
    overview = services.load_overview(cohort.id)
    counts = {row.session.number: dict(row.counts) for row in overview.sessions}
    assert counts[1] == {"present": 1, "apologies": 1, "absent": 1, "unrecorded": 0}
    assert counts[2] == {"present": 1, "unrecorded": 1}
    assert counts[3] == {"unrecorded": 2}
    totals = {row.membership.id: dict(row.counts) for row in overview.learners}
    assert totals == {lee.id: {"present": 2}, sue.id: {"apologies": 1}}


def test_own_record_shows_only_that_member(db, cohort, facilitator, people, timetable):
    lee, sue = people
    first = timetable(cohort)[0]
    services.record_attendance(facilitator, cohort, first, {lee.id: "present", sue.id: "absent"})
    assert [(s.number, status) for _, s, status in services.load_own_record(sue)] == [
        (1, "absent"), (2, None), (3, None)]


def test_find_session_is_scoped_to_the_cohort(db, cohort, timetable):
    entry, session = services.find_session(cohort.id, 2)
    assert entry.id == timetable(cohort)[1].id and session.number == 2
    assert services.find_session(cohort.id, 42) is None
