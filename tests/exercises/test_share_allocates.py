"""Sharing a response in allocated mode allocates reviewers in the same service call and the same commit."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from portal.exercises import allocating, responses
from portal.exercises.feedback import allocate_reviewers
from portal.exercises.feedback_models import ReviewAllocation
from portal.exercises.models import CohortExerciseSetting
from portal.exercises.response_models import ExerciseResponse
from tests.conftest import login, post
from tests.exercises.factories import add_exercise, add_response


@pytest.fixture
def others(make_user, enrol, cohort):
    people = [make_user(name=f"Member {n}") for n in range(3)]
    for person in people:
        enrol(person, cohort)
    return people


def allocations(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ReviewAllocation))


def own(db, user) -> ExerciseResponse | None:
    db.session.expire_all()
    return db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.author_id == user.id)).first()


def test_sharing_allocates_in_the_same_call(db, course, opened, cohort, learner, others):
    exercise = add_exercise(course, 1, mode="allocated")
    for person in others:
        add_response(cohort, exercise, person)
    assert allocations(db) == 0
    responses.save_response(learner.id, cohort.id, exercise, "My words", None, "0", submit=True, due=None)
    assert allocations(db) == 8  # four members, two reviewers each
    reviewers = db.session.scalars(select(ReviewAllocation.reviewer_id).where(
        ReviewAllocation.author_id == learner.id)).all()
    assert len(reviewers) == 2 and learner.id not in reviewers


def test_a_draft_or_another_mode_allocates_nothing(db, course, opened, cohort, learner, others):
    exercise = add_exercise(course, 1, mode="allocated")
    for person in others:
        add_response(cohort, exercise, person)
    responses.save_response(learner.id, cohort.id, exercise, "My words", None, "0", submit=False, due=None)
    assert allocations(db) == 0
    db.session.add(CohortExerciseSetting(cohort_id=cohort.id, exercise_id=exercise.id, mode="open"))
    db.session.commit()
    responses.save_response(learner.id, cohort.id, exercise, "My words", None, "1", submit=True, due=None)
    assert own(db, learner).is_submitted and allocations(db) == 0


def test_the_self_check_step_allocates_in_the_same_call(db, course, opened, cohort, learner, others):
    exercise = add_exercise(course, 1, mode="allocated", self_check=True)
    for person in others:
        add_response(cohort, exercise, person)
    saved = responses.save_response(learner.id, cohort.id, exercise, "Mine", None, "0", submit=False, due=None)
    responses.submit_with_self_check(learner.id, cohort.id, exercise, ["a", "b", "c"], str(saved.version))
    assert own(db, learner).is_submitted and allocations(db) == 8


@pytest.mark.parametrize("self_check", [False, True])
def test_one_commit_a_failed_allocation_shares_nothing(app, db, course, opened, cohort, learner, others, monkeypatch,
                                                       self_check):
    exercise = add_exercise(course, 1, mode="allocated", self_check=self_check)
    for person in others:
        add_response(cohort, exercise, person)
    if self_check:
        responses.save_response(learner.id, cohort.id, exercise, "Mine", None, "0", submit=False, due=None)

    def broken(*args, **kwargs):
        raise RuntimeError("allocation failed")

    monkeypatch.setattr(allocating, "place_reviewers", broken)
    with pytest.raises(RuntimeError):
        if self_check:
            responses.submit_with_self_check(learner.id, cohort.id, exercise, ["a"], "1")
        else:
            responses.save_response(learner.id, cohort.id, exercise, "Mine", None, "0", submit=True, due=None)
    db.session.rollback()
    mine = own(db, learner)
    assert (mine is None or not mine.is_submitted) and allocations(db) == 0


def test_through_the_page_a_failed_allocation_keeps_it_unshared(app, db, course, opened, cohort, learner, others,
                                                                monkeypatch):
    exercise = add_exercise(course, 1, mode="allocated")
    for person in others:
        add_response(cohort, exercise, person)
    client = app.test_client()
    login(client, learner.email)
    monkeypatch.setattr(allocating, "place_reviewers", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    refused = post(client, f"/cohorts/{cohort.id}/exercises/{exercise.id}",
                   {"body": "Mine", "intent": "submit", "version": "0"})
    assert refused.status_code == 500
    assert own(db, learner) is None and allocations(db) == 0
    monkeypatch.undo()
    answer = post(client, f"/cohorts/{cohort.id}/exercises/{exercise.id}",
                  {"body": "Mine", "intent": "submit", "version": "0"})
    assert answer.status_code == 302 and own(db, learner).is_submitted and allocations(db) == 8


def _at_once(calls) -> list[int]:
    from tests.conftest import post_at_once

    return [r.status_code for r in post_at_once(calls)]


def _sharers(app, db, course, cohort, make_user, enrol, count):
    from tests.conftest import csrf_token

    exercise = add_exercise(course, 1, mode="allocated")
    people = [make_user(name=f"Sharer {n}") for n in range(count)]
    for person in people:
        enrol(person, cohort)
    for person in people[:3]:
        add_response(cohort, exercise, person)
    url = f"/cohorts/{cohort.id}/exercises/{exercise.id}"
    calls = []
    for person in people[3:]:
        client = app.test_client()
        login(client, person.email)
        calls.append((client, url, {"body": "Mine", "intent": "submit", "version": "0",
                                    "csrf_token": csrf_token(client, "/account")}))
    return exercise, people, calls


def _even(db, present):
    from collections import Counter

    db.session.expire_all()
    pairs = db.session.execute(select(ReviewAllocation.reviewer_id, ReviewAllocation.author_id)).all()
    assert all(r != a for r, a in pairs) and len(set(pairs)) == len(pairs)
    assert Counter(a for _r, a in pairs) == {p.id: 2 for p in present}
    loads = Counter(r for r, _a in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1 and set(loads) == {p.id for p in present}


def test_four_people_sharing_at_once_are_allocated_evenly_without_errors(app, db, course, opened, cohort,
                                                                         make_user, enrol):
    """Runs on SQLite and on PostgreSQL (PORTAL_TEST_DATABASE_URL): allocations of one cohort take turns."""
    _exercise, people, calls = _sharers(app, db, course, cohort, make_user, enrol, 7)
    assert _at_once(calls) == [302] * 4
    _even(db, people)


def test_someone_leaving_while_others_share_leaves_an_even_allocation(app, db, course, opened, cohort, make_user,
                                                                      enrol):
    from tests.conftest import csrf_token

    exercise, people, calls = _sharers(app, db, course, cohort, make_user, enrol, 7)
    allocate_reviewers(cohort.id, exercise)  # the first three review each other
    leaver = people[0]
    client = app.test_client()
    login(client, leaver.email)
    calls.append((client, f"/cohorts/{cohort.id}/leave", {"csrf_token": csrf_token(client, "/account")}))
    assert sorted(_at_once(calls)) == [302] * 5
    _even(db, people[1:])
