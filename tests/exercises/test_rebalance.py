"""Allocated mode re-balances when a member leaves, is paused or is removed (issue 12): in the same unit of work
as the change of their place, without taking away feedback already begun, keeping a facilitator's pairs."""
from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cohorts import services as cohorts
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.exercises import feedback as feedback_service
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.models import CohortExerciseSetting
from portal.exercises.response_models import ExerciseResponse
from tests.conftest import login, post
from tests.exercises.factories import add_exercise, add_response


@pytest.fixture
def people(make_user, enrol, cohort):
    members = [make_user(name=f"Member {n}") for n in range(6)]
    for person in members:
        enrol(person, cohort)
    return members


@pytest.fixture
def exercise(db, course, opened, cohort, people):
    exercise = add_exercise(course, 1, mode="allocated")
    for n, person in enumerate(people):
        add_response(cohort, exercise, person, f"Words {n}")
    feedback_service.allocate_reviewers(cohort.id, exercise)
    return exercise


def pairs(db, exercise_id=None) -> set[tuple[int, int]]:
    db.session.expire_all()
    query = select(ReviewAllocation.reviewer_id, ReviewAllocation.author_id)
    if exercise_id is not None:
        query = query.where(ReviewAllocation.exercise_id == exercise_id)
    return {tuple(p) for p in db.session.execute(query)}


def membership(db, cohort, user) -> Membership:
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.cohort_id == cohort.id,
                                                       Membership.user_id == user.id)).one()


def response_of(db, exercise, user) -> ExerciseResponse:
    return db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.exercise_id == exercise.id,
                                                             ExerciseResponse.author_id == user.id)).one()


def begin(db, cohort, exercise, reviewer, author, *, given=False) -> None:
    """Feedback begun (a saved draft) or given by `reviewer` on `author`'s response."""
    db.session.add(Feedback(cohort_id=cohort.id, response_id=response_of(db, exercise, author).id,
                            reviewer_id=reviewer.id, what_worked="Kind words", what_worked_html="<p>Kind words</p>",
                            ratings={}, status="given" if given else "draft", given_at=utcnow() if given else None))
    db.session.commit()


def assert_even_among(result_pairs, present_ids, k=2, aside=()):
    """Every present author has k present reviewers, loads within one, nobody reviews themselves."""
    counted = set(result_pairs) - set(aside)
    by_author, load = defaultdict(set), defaultdict(int)
    for r, a in counted:
        assert r != a
        by_author[a].add(r)
        load[r] += 1
    for a in present_ids:
        assert len(by_author[a] & set(present_ids)) == k, f"author {a}: {by_author[a]}"
    loads = [load[r] for r in present_ids]
    assert max(loads) - min(loads) <= 1, loads


def leave(db, cohort, facilitator, person, how):
    """Take `person` out of active by each path there is."""
    m = membership(db, cohort, person)
    if how == "leave":
        cohorts.leave_cohort(m)
    elif how == "leave while paused":
        cohorts.change_member_status(facilitator, m, "suspend")
        cohorts.leave_cohort(membership(db, cohort, person))
    else:
        cohorts.change_member_status(facilitator, m, how)


PATHS = ["leave", "suspend", "remove", "leave while paused"]


@pytest.mark.parametrize("how", PATHS)
def test_their_reviews_go_to_others_and_their_response_leaves_the_lists(db, cohort, facilitator, people, exercise,
                                                                       how):
    leaver, rest = people[0], people[1:]
    assert any(leaver.id in p for p in pairs(db))
    leave(db, cohort, facilitator, leaver, how)
    after = pairs(db)
    assert not any(leaver.id in p for p in after), "nothing unbegun is left with the person who went"
    assert_even_among(after, [p.id for p in rest])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "allocations.rebalanced")).all()
    assert events and all(e.cohort_id == cohort.id and e.subject_id == leaver.id for e in events)
    actor = leaver.id if how == "leave" else facilitator.id
    assert events[0].actor_id == actor and exercise.title in events[0].detail


@pytest.mark.parametrize("how", ["leave", "suspend", "remove"])
def test_feedback_already_begun_is_never_taken_away(db, cohort, facilitator, people, exercise, how):
    leaver = people[0]
    before = pairs(db)
    theirs = sorted(a for r, a in before if r == leaver.id)  # responses the leaver reviews
    on_theirs = sorted(r for r, a in before if a == leaver.id)  # who reviews the leaver's response
    by_id = {p.id: p for p in people}
    begin(db, cohort, exercise, leaver, by_id[theirs[0]])  # the leaver's own draft
    begin(db, cohort, exercise, leaver, by_id[theirs[1]], given=True)  # given by the leaver
    begin(db, cohort, exercise, by_id[on_theirs[0]], leaver)  # a draft on the leaver's response
    begin(db, cohort, exercise, by_id[on_theirs[1]], leaver, given=True)  # given on it
    kept = {(leaver.id, theirs[0]), (leaver.id, theirs[1]), (on_theirs[0], leaver.id), (on_theirs[1], leaver.id)}
    leave(db, cohort, facilitator, leaver, how)
    after = pairs(db)
    assert kept <= after
    assert len(db.session.scalars(select(Feedback)).all()) == 4
    assert {p for p in after if leaver.id in p} == kept
    # The response whose reviewer left with only a draft gets someone present as well; given feedback counts.
    present = {p.id for p in people[1:]}
    assert len({r for r, a in after if a == theirs[0] and r in present}) == 2
    assert len({r for r, a in after if a == theirs[1]}) == 2


def test_a_facilitators_pairs_are_kept_and_the_leavers_unbegun_ones_go(app, db, cohort, facilitator, people,
                                                                      exercise):
    leaver, a, b = people[0], people[1], people[2]
    fac = app.test_client()
    login(fac, facilitator.email)
    url = f"/cohorts/{cohort.id}/exercises/{exercise.id}/allocations"
    for reviewer, author in ((a, b), (b, a), (leaver, a)):
        if (reviewer.id, author.id) not in pairs(db):
            assert post(fac, url, {"action": "add", "reviewer": reviewer.id,
                                   "response": response_of(db, exercise, author).id}).status_code == 302
        else:
            db.session.execute(ReviewAllocation.__table__.update().where(
                ReviewAllocation.reviewer_id == reviewer.id, ReviewAllocation.author_id == author.id)
                .values(manual=True))
            db.session.commit()
    leave(db, cohort, facilitator, leaver, "suspend")
    after = pairs(db)
    assert {(a.id, b.id), (b.id, a.id)} <= after
    assert (leaver.id, a.id) not in after
    manual = {(r.reviewer_id, r.author_id) for r in db.session.scalars(
        select(ReviewAllocation).where(ReviewAllocation.manual.is_(True)))}
    assert manual == {(a.id, b.id), (b.id, a.id)}


def test_one_unit_of_work_a_failure_changes_neither(db, cohort, facilitator, people, exercise, monkeypatch):
    from portal.exercises import allocating

    def broken(*args, **kwargs):
        raise RuntimeError("allocation failed")

    monkeypatch.setattr(allocating, "rebalance_after_leaving", broken)
    before = pairs(db)
    for how in ("leave", "suspend", "remove"):
        with pytest.raises(RuntimeError):
            leave(db, cohort, facilitator, people[0], how)
        db.session.rollback()
        assert membership(db, cohort, people[0]).status == "active"
        assert pairs(db) == before
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "allocations.rebalanced")).all() == []


def test_a_failed_commit_keeps_both_as_they_were(db, cohort, facilitator, people, exercise, monkeypatch):
    before = pairs(db)

    def refuse():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", refuse)
    with pytest.raises(RuntimeError):
        cohorts.change_member_status(facilitator, membership(db, cohort, people[0]), "remove")
    monkeypatch.undo()
    db.session.rollback()
    assert membership(db, cohort, people[0]).status == "active" and pairs(db) == before


def test_restoring_lets_them_be_allocated_again_later(db, cohort, facilitator, people, exercise):
    paused = people[0]
    leave(db, cohort, facilitator, paused, "suspend")
    cohorts.change_member_status(facilitator, membership(db, cohort, paused), "restore")
    assert not any(paused.id in p for p in pairs(db)), "restoring doesn't re-allocate by itself"
    feedback_service.allocate_reviewers(cohort.id, exercise)
    after = pairs(db)
    assert_even_among(after, [p.id for p in people])


def test_only_allocated_exercises_of_this_cohort_change(db, course, cohort, other_cohort, enrol, facilitator, people,
                                                        exercise, timetable):
    switched = add_exercise(course, 1, slug="switched-to-open", mode="allocated")
    for person in people:
        add_response(cohort, switched, person)
    feedback_service.allocate_reviewers(cohort.id, switched)
    db.session.add(CohortExerciseSetting(cohort_id=cohort.id, exercise_id=switched.id, mode="open"))
    # The same person in another cohort keeps their allocations there.
    elsewhere = add_exercise(course, 2, slug="elsewhere", mode="allocated")
    for person in people[:3]:
        enrol(person, other_cohort)
        add_response(other_cohort, elsewhere, person)
    feedback_service.allocate_reviewers(other_cohort.id, elsewhere)
    untouched = {e: pairs(db, e) for e in (switched.id, elsewhere.id)}
    leave(db, cohort, facilitator, people[0], "remove")
    assert {e: pairs(db, e) for e in untouched} == untouched
    assert not any(people[0].id in p for p in pairs(db, exercise.id))


def test_someone_without_allocations_changes_nothing_and_records_nothing(db, cohort, facilitator, make_user, enrol,
                                                                        people, exercise):
    newcomer = make_user(name="No response yet")
    enrol(newcomer, cohort)
    before = pairs(db)
    leave(db, cohort, facilitator, newcomer, "remove")
    assert pairs(db) == before
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "allocations.rebalanced")).all() == []


class TestThroughThePages:
    def test_a_facilitator_pausing_someone_rebalances(self, app, db, cohort, facilitator, people, exercise):
        fac = app.test_client()
        login(fac, facilitator.email)
        m = membership(db, cohort, people[1])
        answer = post(fac, f"/cohorts/{cohort.id}/manage/members/{m.id}", {"action": "suspend"})
        assert answer.status_code == 302
        assert membership(db, cohort, people[1]).status == "suspended"
        after = pairs(db)
        assert not any(people[1].id in p for p in after)
        assert_even_among(after, [p.id for p in people if p.id != people[1].id])

    def test_a_learner_leaving_rebalances(self, app, db, cohort, people, exercise):
        client = app.test_client()
        login(client, people[2].email)
        assert post(client, f"/cohorts/{cohort.id}/leave").status_code == 302
        assert membership(db, cohort, people[2]).status == "left"
        assert not any(people[2].id in p for p in pairs(db))

    def test_bad_actions_change_nothing(self, app, db, cohort, facilitator, people, exercise):
        fac = app.test_client()
        login(fac, facilitator.email)
        before = pairs(db)
        m = membership(db, cohort, people[1])
        for action in ("", "pause-everyone", "suspend\x00"):
            post(fac, f"/cohorts/{cohort.id}/manage/members/{m.id}", {"action": action})
        learner = app.test_client()
        login(learner, people[2].email)
        assert post(learner, f"/cohorts/{cohort.id}/manage/members/{m.id}", {"action": "suspend"}).status_code == 404
        assert membership(db, cohort, people[1]).status == "active" and pairs(db) == before
