"""Responses (on submit) and feedback (on give) that the safety matcher holds: saved, alert and email at once,
seen by their author and the facilitators only until released."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from portal.exercises.feedback_models import Feedback
from portal.exercises.response_models import ExerciseResponse
from portal.mailqueue.models import QueuedMail
from portal.moderation.models import ModerationAlert
from tests.conftest import post
from tests.exercises.factories import add_exercise, add_response
from tests.exercises.test_feedback import give, signed_in
from tests.holding.conftest import WORRYING, c


@pytest.fixture
def exercise(course, opened):
    return add_exercise(course, 1, mode="open")


def _submit(client, cohort, exercise, body):
    return post(client, c(cohort, f"exercises/{exercise.id}"), {"body": body, "intent": "submit", "version": "0"})


def test_a_worrying_response_is_held_on_submit_with_its_alert(app, db, cohort, learner, peer, facilitator,
                                                              exercise):
    add_response(cohort, exercise, peer, "Peer's ordinary words")
    client = signed_in(app, learner)
    assert _submit(client, cohort, exercise, WORRYING).status_code == 302
    mine = db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.author_id == learner.id)).one()
    assert mine.is_submitted and mine.held_reason == "safety_words" and mine.is_held
    alert = db.session.scalars(select(ModerationAlert)).one()
    assert (alert.subject_kind, alert.subject_id) == ("response", mine.id)
    assert db.session.scalar(select(func.count(QueuedMail.id))) == 1
    page = client.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
    assert "waiting for a facilitator" in page and "Samaritans" in page and "not a crisis service" in page
    other = signed_in(app, peer)
    assert other.get(c(cohort, f"responses/{mine.id}")).status_code == 404
    assert "end my life" not in other.get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
    fac = signed_in(app, facilitator)
    assert "end my life" in fac.get(c(cohort, f"held/response/{mine.id}")).get_data(as_text=True)
    assert post(fac, c(cohort, f"held/response/{mine.id}/release")).status_code == 302
    assert other.get(c(cohort, f"responses/{mine.id}")).status_code == 200


def test_worrying_feedback_is_held_from_the_responses_author(app, db, cohort, learner, peer, facilitator, exercise):
    theirs = add_response(cohort, exercise, learner, "Learner's words")
    add_response(cohort, exercise, peer, "Peer's words")
    reviewer = signed_in(app, peer)
    assert give(reviewer, cohort, theirs, WORRYING).status_code == 302
    (item,) = db.session.scalars(select(Feedback)).all()
    assert item.is_given and item.is_held and item.held_reason == "safety_words"
    assert db.session.scalars(select(ModerationAlert)).one().subject_kind == "feedback"
    page = reviewer.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
    assert "waiting for a facilitator" in page and "Samaritans" in page
    author = signed_in(app, learner)
    assert "end my life" not in author.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
    fac = signed_in(app, facilitator)
    assert "end my life" in fac.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)
    review = fac.get(c(cohort, f"held/feedback/{item.id}"))
    assert review.status_code == 200 and "end my life" in review.get_data(as_text=True)
    post(fac, c(cohort, f"held/feedback/{item.id}/release"))
    assert "end my life" in author.get(c(cohort, f"responses/{theirs.id}")).get_data(as_text=True)


def test_a_draft_is_never_held(app, db, cohort, learner, exercise):
    client = signed_in(app, learner)
    post(client, c(cohort, f"exercises/{exercise.id}"), {"body": WORRYING, "intent": "draft", "version": "0"})
    assert db.session.scalars(select(ExerciseResponse)).one().held_at is None
    assert db.session.scalar(select(func.count(ModerationAlert.id))) == 0


def test_a_response_shared_after_the_private_questions_is_held_too(app, db, cohort, learner, course, opened):
    exercise = add_exercise(course, 1, mode="open", self_check=True)
    client = signed_in(app, learner)
    post(client, c(cohort, f"exercises/{exercise.id}"), {"body": WORRYING, "intent": "draft", "version": "0"})
    response = post(client, c(cohort, f"exercises/{exercise.id}/self-check"),
                    {"answers-0": "Mine", "answers-1": "Now", "answers-2": "Enough", "version": "1"})
    assert response.status_code == 302
    mine = db.session.scalars(select(ExerciseResponse)).one()
    assert mine.is_submitted and mine.is_held
    assert db.session.scalars(select(ModerationAlert)).one().subject_id == mine.id


def test_facilitators_see_held_responses_marked_in_the_list(app, db, cohort, learner, facilitator, exercise):
    client = signed_in(app, learner)
    _submit(client, cohort, exercise, WORRYING)
    page = signed_in(app, facilitator).get(c(cohort, f"exercises/{exercise.id}")).get_data(as_text=True)
    assert "Waiting for a facilitator" in page and "end my life" in page
