"""Feedback in a real browser: a learner writes and shares a response, a peer gives feedback (autosaved), the
author reads it, says how it landed and notes what they will take forward, in open and allocated mode; axe on
every page of it, the facilitator's included."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from playwright.sync_api import expect

from portal.dates import local_today, utcnow
from portal.discussions.models import Draft
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from portal.exercises.response_models import ExerciseResponse
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.exercises.factories import add_exercise, add_response


@pytest.mark.parametrize("mode", ["open", "allocated"])
def test_from_response_to_feedback_received_to_the_take_forward_note(page, axe, db, course, cohort, learner,
                                                                    make_user, enrol, timetable, browser,
                                                                    live_server, mode):
    """The learner's whole walk: write and share a response, a peer gives feedback (autosaved) in a second
    browser, then the learner reads it from the cohort home, says how it landed and notes what to take forward."""
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_exercise(course, 1, slug=f"browser-feedback-{mode}", mode=mode)
    peer, third = make_user(name="Pat Peer"), make_user(name="Tam Third")
    for person in (peer, third):
        enrol(person, cohort)
        add_response(cohort, exercise, person, f"{person.display_name}'s words")
    base = f"/cohorts/{cohort.id}"

    # The learner writes and shares their response.
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"{base}/")
    page.get_by_role("link", name=exercise.title).first.click()
    page.wait_for_url(f"**/exercises/{exercise.id}")
    assert axe(page) == []
    page.get_by_label("Your response").fill("I would start from **what we share**.")
    page.get_by_role("button", name="Share with my cohort").click()
    page.wait_for_url(f"**/exercises/{exercise.id}")
    expect(page.get_by_text("Your response has been shared")).to_be_visible()
    assert axe(page) == []
    db.session.expire_all()
    mine = db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.author_id == learner.id)).one()
    assert mine.is_submitted
    if mode == "allocated":  # allocated when shared, in the same step
        reviewers = db.session.scalars(select(ReviewAllocation.reviewer_id).where(
            ReviewAllocation.response_id == mine.id)).all()
        assert sorted(reviewers) == sorted([peer.id, third.id])

    # A peer, in another browser, finds it and gives feedback (the draft autosaves on the way).
    other = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800}).new_page()
    other.context.set_default_timeout(10_000)
    sign_in(other, peer.email, PASSWORD)
    if mode == "allocated":
        other.goto(f"{base}/")
        other.locator(f"a[href$='/responses/{mine.id}#feedback']").click()
    else:
        other.goto(f"{base}/exercises/{exercise.id}")
        other.get_by_role("link", name=learner.display_name).click()
    other.wait_for_url(f"**/responses/{mine.id}*")
    expect(other.get_by_text("I would start from")).to_be_visible()
    assert axe(other) == []
    other.get_by_label("What worked well").fill("You began with what you share with them.")
    other.wait_for_selector("text=Draft saved", timeout=10_000)
    db.session.expire_all()
    assert db.session.scalars(select(Draft).where(Draft.key == f"feedback:{mine.id}")).one().body
    for name in ("mutual", "authentic", "intentional", "recovery"):
        other.locator(f"input[name=rating-{name}][value=clear]").check()
    other.get_by_role("button", name="Give feedback").click()
    other.wait_for_url(f"**/responses/{mine.id}")
    expect(other.get_by_text("your feedback has been given")).to_be_visible()
    assert axe(other) == []
    other.context.close()

    # The learner reads it from the cohort home, says how it landed and what they will take forward.
    page.goto(f"{base}/")
    assert axe(page) == []
    page.get_by_role("link", name="New feedback on your response").click()
    page.wait_for_url(f"**/responses/{mine.id}*")
    expect(page.get_by_text("You began with what you share with them.")).to_be_visible()
    assert axe(page) == []
    page.locator("input[name=strengths_first][value=yes]").check()
    page.locator("input[name=respectful][value=yes]").check()
    page.locator("input[name=useful][value=partly]").check()
    page.get_by_role("button", name="how it landed").click()
    assert axe(page) == []
    page.get_by_label("What I will take forward").fill("Start from what we share.")
    page.get_by_role("button", name="Save my note").click()
    expect(page.get_by_text("Your note is saved")).to_be_visible()
    assert axe(page) == []
    db.session.expire_all()
    item = db.session.scalars(select(Feedback).where(Feedback.response_id == mine.id)).one()
    assert item.landed == {"strengths_first": "yes", "respectful": "yes", "useful": "partly"}
    assert db.session.get(ExerciseResponse, mine.id).take_forward == "Start from what we share."
    page.goto(f"{base}/")
    assert page.get_by_role("link", name="New feedback on your response").count() == 0  # read now


def test_facilitator_feedback_pages_pass_axe(page, axe, db, course, cohort, learner, facilitator, make_user,
                                             enrol, timetable):
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_exercise(course, 1, mode="allocated", slug="browser-allocated")
    exercise.give_before_get = True
    peer = make_user(name="Pat Peer")
    enrol(peer, cohort)
    mine = add_response(cohort, exercise, learner, "Shared words")
    add_response(cohort, exercise, peer, "Peer's words")
    db.session.add(ReviewAllocation(cohort_id=cohort.id, exercise_id=exercise.id, response_id=mine.id,
                                    reviewer_id=peer.id, author_id=learner.id))
    db.session.add(Feedback(cohort_id=cohort.id, response_id=mine.id, reviewer_id=peer.id, what_worked="Kind",
                            what_worked_html="<p>Kind</p>", ratings={"mutual": "clear"}, status="given",
                            given_at=utcnow()))
    db.session.commit()
    sign_in(page, facilitator.email, PASSWORD)
    for path in (f"/exercises/{exercise.id}", f"/responses/{mine.id}"):
        page.goto(f"/cohorts/{cohort.id}{path}")
        assert axe(page) == [], path
