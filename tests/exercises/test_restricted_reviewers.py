"""Muted and suspended members are never allocated reviews, and restricting someone moves their reviews not yet
given to others at once (same rules as the allocator, same transaction, audited); nobody free: it waits, and
facilitators see it waiting. Lifting a restriction takes nothing back."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.audit.models import AuditEvent
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.exercises import facilitation
from portal.exercises import feedback as feedback_service
from portal.exercises.allocating import rebalance_for_restriction
from portal.exercises.models import Exercise
from portal.exercises.response_models import ExerciseResponse
from portal.moderation.actions import restrict_member
from tests.conftest import login, post
from tests.exercises.factories import add_exercise, add_response
from tests.exercises.test_rebalance import (  # noqa: F401  (six people, an allocated exercise: the same fixtures)
    assert_even_among, begin, exercise, leave, membership, pairs, people)


def restrict(db, cohort, facilitator, person, what):
    return restrict_member(facilitator, cohort.id, person.id, what, 7, "Needs a pause")


def events(db, action="allocations.rebalanced"):
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("what", ["mute", "suspend"])
def test_restricting_moves_their_reviews_to_others_evenly(db, cohort, facilitator, people, exercise, what):
    them, rest = people[0], people[1:]
    before = pairs(db)
    assert any(r == them.id for r, _a in before)
    restrict(db, cohort, facilitator, them, what)
    after = pairs(db)
    assert not any(r == them.id for r, _a in after), "a restricted member keeps no review not yet begun"
    assert len([a for r, a in after if a == them.id]) == 2, "their own response keeps its reviewers"
    assert_even_among(after, [p.id for p in rest])  # loads count their own response's reviews too
    assert all(r != a for r, a in after)
    logged = events(db)
    assert len(logged) == 1 and logged[0].subject_id == them.id and logged[0].actor_id == facilitator.id
    assert exercise.title in logged[0].detail
    # One transaction: the restriction's own event and the re-balance were committed together.
    assert events(db, f"member.{'muted' if what == 'mute' else 'suspended'}")


def test_restricted_members_are_never_candidates(db, cohort, facilitator, people, course, opened):
    muted, suspended = people[0], people[1]
    db.session.execute(update(Membership).where(Membership.user_id == muted.id)
                       .values(muted_until=utcnow() + timedelta(days=3)))
    db.session.execute(update(Membership).where(Membership.user_id == suspended.id)
                       .values(suspended_until=utcnow() + timedelta(days=3)))
    db.session.commit()
    exercise = add_exercise(course, 1, mode="allocated")
    for n, person in enumerate(people):
        add_response(cohort, exercise, person, f"Words {n}")
    feedback_service.allocate_reviewers(cohort.id, exercise)
    after = pairs(db)
    assert not any(r in (muted.id, suspended.id) for r, _a in after)
    assert all(len([r for r, a in after if a == p.id]) == 2 for p in people), "everyone's response is reviewed"
    reviewers, _responses = facilitation.allocation_choices(cohort.id, exercise.id)
    assert {uid for uid, _name in reviewers} == {p.id for p in people[2:]}, "not offered to add by hand either"


def test_a_restriction_that_has_ended_makes_them_a_candidate_again(db, cohort, people, course, opened):
    db.session.execute(update(Membership).where(Membership.user_id == people[0].id)
                       .values(muted_until=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    exercise = add_exercise(course, 1, mode="allocated")
    for person in people:
        add_response(cohort, exercise, person)
    feedback_service.allocate_reviewers(cohort.id, exercise)
    assert any(r == people[0].id for r, _a in pairs(db))


def test_begun_and_given_feedback_stays_with_them(db, cohort, facilitator, people, exercise):
    them = people[0]
    by_id = {p.id: p for p in people}
    theirs = sorted(a for r, a in pairs(db) if r == them.id)
    begin(db, cohort, exercise, them, by_id[theirs[0]])  # a draft: kept, the author gets someone present too
    begin(db, cohort, exercise, them, by_id[theirs[1]], given=True)
    restrict(db, cohort, facilitator, them, "mute")
    after = pairs(db)
    assert (them.id, theirs[0]) in after and (them.id, theirs[1]) in after
    assert len([r for r, a in after if a == theirs[0] and r != them.id]) == 2
    assert len([r for r, a in after if a == theirs[1]]) == 2, "given feedback counts towards its author's k"


def test_restricting_twice_or_rebalancing_again_changes_nothing(db, cohort, facilitator, people, exercise):
    them = people[0]
    restrict(db, cohort, facilitator, them, "mute")
    once = pairs(db)
    restrict(db, cohort, facilitator, them, "suspend")
    assert rebalance_for_restriction(facilitator, membership(db, cohort, them)) == 0
    db.session.commit()
    assert pairs(db) == once
    assert len(events(db)) == 1, "nothing changed, so nothing more is logged"


def test_lifting_takes_nothing_back(db, cohort, facilitator, people, exercise):
    them = people[0]
    restrict(db, cohort, facilitator, them, "mute")
    once = pairs(db)
    restrict_member(facilitator, cohort.id, them.id, "unmute", None, None)
    assert pairs(db) == once


def test_when_nobody_is_free_the_review_waits_and_facilitators_see_it(app, db, cohort, facilitator, make_user,
                                                                     enrol, course, opened):
    trio = [make_user(name=n) for n in ("Ada Lamb", "Bea Moss", "Cyd Reed")]
    for person in trio:
        enrol(person, cohort)
    exercise = add_exercise(course, 1, mode="allocated")
    for person in trio:
        add_response(cohort, exercise, person)
    feedback_service.allocate_reviewers(cohort.id, exercise)
    assert len(pairs(db)) == 6  # everyone reviews both others
    restrict(db, cohort, facilitator, trio[2], "suspend")
    after = pairs(db)
    assert after == {(trio[0].id, trio[1].id), (trio[1].id, trio[0].id),
                     (trio[0].id, trio[2].id), (trio[1].id, trio[2].id)}
    assert "waiting for a reviewer" in events(db)[0].detail
    client = app.test_client()
    assert login(client, facilitator.email).status_code == 302
    page = client.get(f"/cohorts/{cohort.id}/exercises/{exercise.id}").get_data(as_text=True)
    assert 'id="waiting-for-reviewers"' in page
    waiting = page.split('id="waiting-for-reviewers"')[1].split("</div>")[0]
    assert "Ada Lamb's response: 1 more reviewer" in waiting and "Bea Moss's response" in waiting
    assert "Cyd Reed" not in waiting, "their own response still has both its reviewers"


@pytest.mark.parametrize("how", ["leave", "suspend", "remove"])
def test_a_leavers_reviews_never_go_to_a_muted_member(db, cohort, facilitator, people, exercise, how):
    muted, leaver = people[1], people[0]
    restrict(db, cohort, facilitator, muted, "mute")
    leave(db, cohort, facilitator, leaver, how)
    after = pairs(db)
    assert not any(r in (muted.id, leaver.id) for r, _a in after)
    assert_even_among(after, [p.id for p in people[2:]])  # loads count the muted member's response too
    assert len([r for r, a in after if a == muted.id]) == 2


def test_adding_a_restricted_reviewer_by_hand_is_refused(app, db, cohort, facilitator, people, exercise):
    them = people[0]
    restrict(db, cohort, facilitator, them, "mute")
    client = app.test_client()
    assert login(client, facilitator.email).status_code == 302
    target = next(a for r, a in pairs(db) if a != them.id)
    rid = db.session.scalar(select(ExerciseResponse.id).where(ExerciseResponse.author_id == target))
    before = pairs(db)
    reply = post(client, f"/cohorts/{cohort.id}/exercises/{exercise.id}/allocations",
                 {"action": "add", "reviewer": str(them.id), "response": str(rid)})
    assert reply.status_code in (302, 303, 409, 422)
    assert pairs(db) == before


def test_the_new_allocation_keeps_reviewers_anonymous(app, db, cohort, facilitator, people, exercise):
    db.session.execute(update(Exercise).where(Exercise.id == exercise.id).values(anonymous_reviewers=True))
    db.session.commit()
    them = people[0]
    restrict(db, cohort, facilitator, them, "mute")
    added = pairs(db)
    names = {p.id: p.display_name for p in people}
    for event in events(db):
        assert not any(name in (event.detail or "") for name in names.values()), "counts only, never names"
    author = next(a for r, a in added if a != them.id)
    client = app.test_client()
    assert login(client, next(p for p in people if p.id == author).email).status_code == 302
    rid = db.session.scalar(select(ExerciseResponse.id).where(ExerciseResponse.author_id == author))
    page = client.get(f"/cohorts/{cohort.id}/responses/{rid}").get_data(as_text=True)
    for r, a in added:
        if a == author:
            assert names[r] not in page
