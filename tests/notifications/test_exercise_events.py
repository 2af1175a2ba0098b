"""Exercise events: feedback on my response, reviews allocated to me (with their due date), how my feedback
landed. Right recipients only; an anonymous reviewer (or author) is never named in a notification, an email's
subject or body, or a digest; held feedback tells nobody until released; hidden feedback no longer shows."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.dates import human_day, local_today
from portal.exercises import after_feedback, feedback as feedback_service
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.moderation import actions, holding
from portal.moderation.subjects import load_subject
from portal.notifications import fanout, mailer, services
from tests.exercises.factories import CRITERIA, add_exercise, add_response
from tests.notifications.conftest import mails_to, notes_of

RATINGS = {c["key"]: "clear" for c in CRITERIA}
LANDED = {"strengths_first": "yes", "respectful": "yes", "useful": "partly"}


@pytest.fixture
def world(db, course, opened, cohort, learner, peer, facilitator, make_user, enrol, outsider):
    """An anonymous allocated exercise: three learners, each reviewing the other two."""
    third = make_user("third@example.org", name="Tamsin Third")
    enrol(third, cohort)
    exercise = add_exercise(course, 1, mode="allocated")
    exercise.anonymous_reviewers = True
    db.session.commit()
    responses = {u.id: add_response(cohort, exercise, u, f"Words of {u.display_name}") for u in (learner, peer, third)}
    feedback_service.allocate_reviewers(cohort.id, exercise)
    fanout.sweep()
    return exercise, responses, third


def give(reviewer, response, exercise, worked="Warm and clear."):
    fed = feedback_service.save_feedback(reviewer.id, response, exercise, worked, RATINGS, None, give=True,
                                         client_token=None)
    fanout.sweep()
    return fed


def leaked(text: str, *people) -> list[str]:
    return [w for p in people for w in (p.display_name, *p.display_name.split(), p.email) if w in text]


def test_each_reviewer_hears_once_of_their_reviews_with_the_due_date_and_nobody_is_named(
        db, client, auth, world, cohort, learner, peer, facilitator, outsider):
    exercise, responses, third = world
    due = local_today() - timedelta(days=1) + timedelta(days=exercise.feedback_due_days)
    for person, others in ((learner, (peer, third)), (peer, (learner, third)), (third, (learner, peer))):
        note, = notes_of(db, person)  # two responses to review: one notification
        assert note.kind == "review_allocated"
        mail, = mails_to(db, person)
        assert mail.subject == f"You're asked to give feedback on “{exercise.title}” by {human_day(due)}"
        assert leaked(mail.subject + mail.body, *others) == []
    assert notes_of(db, facilitator) == [] and notes_of(db, outsider) == []
    auth.login(learner)
    page = client.get("/notifications").get_data(as_text=True)
    assert f"by {human_day(due)}" in page and leaked(page, peer, third) == []
    note, = notes_of(db, learner)
    assert client.get(f"/notifications/{note.id}").headers["Location"] == (
        f"/cohorts/{cohort.id}/exercises/{exercise.id}")


def test_allocating_again_tells_nobody_twice(db, world, cohort, learner):
    exercise, _responses, _third = world
    feedback_service.allocate_reviewers(cohort.id, exercise)
    fanout.sweep()
    assert len(notes_of(db, learner)) == 1


def test_anonymous_feedback_tells_its_author_without_naming_the_reviewer_anywhere(
        db, client, auth, world, cohort, learner, peer, facilitator, outsider):
    exercise, responses, third = world
    services.save_preferences(third.id, {"feedback_received": "daily"}, include_words=True)
    give(peer, responses[learner.id], exercise, "What worked: your warmth")
    give(learner, responses[third.id], exercise, "Kind words from the learner")
    note = notes_of(db, learner)[-1]
    assert note.kind == "feedback_received" and note.actor_id is None  # the row itself doesn't keep who
    mail = mails_to(db, learner)[-1]
    assert mail.subject == f"New feedback on your response to “{exercise.title}”"
    assert leaked(mail.subject + mail.body, peer) == [] and "your warmth" not in mail.body
    assert [n.kind for n in notes_of(db, peer)] == ["review_allocated"]  # the reviewer hears nothing of it
    assert all(n.kind == "review_allocated" for n in notes_of(db, facilitator) + notes_of(db, outsider))
    auth.login(learner)
    page = client.get("/notifications").get_data(as_text=True)
    assert "New feedback on your response" in page and leaked(page, peer) == []
    assert client.get(f"/notifications/{note.id}").headers["Location"] == (
        f"/cohorts/{cohort.id}/responses/{responses[learner.id].id}")
    assert mailer.digest("daily") == 1  # the third learner chose a digest, and opted in to words
    digest = mails_to(db, third)[-1]
    assert "New feedback on your response" in digest.body
    assert leaked(digest.body, learner) == [] and "Kind words" not in digest.body


def test_named_feedback_still_says_no_name_in_the_sentence(db, world, learner, peer):
    exercise, responses, _third = world
    exercise.anonymous_reviewers = False
    give(peer, responses[learner.id], exercise)
    note = notes_of(db, learner)[-1]
    assert note.kind == "feedback_received" and note.actor_id == peer.id
    assert leaked(mails_to(db, learner)[-1].subject, peer) == []


def test_held_feedback_tells_nobody_until_released_and_hidden_feedback_no_longer_shows(
        db, client, auth, world, cohort, learner, peer, facilitator):
    exercise, responses, _third = world
    held = give(peer, responses[learner.id], exercise, "I want to end my life")
    assert held.is_held
    assert [n.kind for n in notes_of(db, learner)] == ["review_allocated"]
    mails = len(mails_to(db, learner))
    holding.release_held(facilitator, cohort.id, "feedback", held.id)
    fanout.sweep()
    note = notes_of(db, learner)[-1]
    assert note.kind == "feedback_received" and len(mails_to(db, learner)) == mails + 1
    assert [n.kind for n in notes_of(db, peer)][-1] == "moderation_outcome"  # its reviewer: shared now
    actions.hide_item(facilitator, load_subject("feedback", held.id, cohort.id), "Not in the spirit of the agreement")
    fanout.sweep()
    auth.login(learner)
    assert "New feedback on your response" not in client.get("/notifications").get_data(as_text=True)
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert [n.kind for n in notes_of(db, learner)][-1] == "feedback_received"  # the reviewer was told, not the author


def test_how_feedback_landed_tells_its_reviewer_once_without_naming_the_author(db, client, auth, world, cohort,
                                                                              learner, peer, facilitator):
    exercise, responses, third = world
    fed = give(peer, responses[learner.id], exercise)
    after_feedback.tell_how_it_landed(learner.id, responses[learner.id], fed, LANDED)
    fanout.sweep()
    note = notes_of(db, peer)[-1]
    assert note.kind == "feedback_rated"
    assert mails_to(db, peer)[-1].subject != f"You heard how your feedback on “{exercise.title}” landed"  # daily
    assert notes_of(db, third)[-1].kind == "review_allocated" and notes_of(db, facilitator) == []
    after_feedback.tell_how_it_landed(learner.id, responses[learner.id], fed, {**LANDED, "useful": "yes"})
    fanout.sweep()
    assert len([n for n in notes_of(db, peer) if n.kind == "feedback_rated"]) == 1
    assert mailer.digest("daily") >= 1
    digest = mails_to(db, peer)[-1]
    assert f"You heard how your feedback on “{exercise.title}” landed" in digest.body
    assert leaked(digest.body, learner) == []
    auth.login(peer)
    assert leaked(client.get("/notifications").get_data(as_text=True), learner) == []


def test_preferences_are_respected_and_an_author_who_left_is_told_nothing(db, world, learner, peer):
    exercise, responses, third = world
    services.save_preferences(learner.id, {"feedback_received": "off"}, include_words=False)
    before = len(mails_to(db, learner))
    give(peer, responses[learner.id], exercise)
    assert notes_of(db, learner)[-1].kind == "feedback_received" and len(mails_to(db, learner)) == before
    from portal.cohorts.models import Membership
    db.session.execute(Membership.__table__.update().where(Membership.user_id == third.id).values(status="left"))
    db.session.commit()
    give(peer, responses[third.id], exercise)
    assert [n.kind for n in notes_of(db, third)] == ["review_allocated"]


def test_a_facilitator_pairing_by_hand_tells_the_reviewer(db, world, cohort, learner, peer, make_user, enrol):
    from portal.exercises import facilitation
    exercise, responses, third = world
    late = make_user("late@example.org", name="Lou Late")
    enrol(late, cohort)
    facilitation.add_allocation(cohort.id, exercise, late.id, responses[learner.id].id)
    fanout.sweep()
    note, = notes_of(db, late)
    row = db.session.scalar(select(ReviewAllocation).where(ReviewAllocation.reviewer_id == late.id))
    assert note.kind == "review_allocated" and note.subject_id == row.id
    assert db.session.scalar(select(Feedback.id)) is None


def test_a_held_response_tells_its_reviewers_only_once_released(db, course, opened, cohort, learner, peer,
                                                                facilitator, make_user, enrol):
    from portal.exercises import responses as response_service
    third = make_user("third@example.org", name="Tamsin Third")
    enrol(third, cohort)
    exercise = add_exercise(course, 1, mode="allocated")
    add_response(cohort, exercise, peer)
    add_response(cohort, exercise, third)
    held = response_service.save_response(learner.id, cohort.id, exercise, "I want to end my life", None, "0",
                                          submit=True, due=None)
    fanout.sweep()
    assert held.is_held
    # Peer and third were allocated the held response (and each other's): told of what they can see only.
    seen = {n.subject_id for u in (peer, third) for n in notes_of(db, u)}
    held_pairs = set(db.session.scalars(select(ReviewAllocation.id).where(ReviewAllocation.response_id == held.id)))
    assert held_pairs and not seen & held_pairs
    # ... and each is told of the other's response
    assert all("review_allocated" in [n.kind for n in notes_of(db, u)] for u in (peer, third))
    holding.release_held(facilitator, cohort.id, "response", held.id)
    fanout.sweep()
    seen = {n.subject_id for u in (peer, third) for n in notes_of(db, u) if n.kind == "review_allocated"}
    assert held_pairs <= seen
    assert notes_of(db, learner)[-1].kind == "moderation_outcome"
    shared = f"Your response to “{exercise.title}” is now shared with your cohort"
    assert mails_to(db, learner)[-1].subject == shared
