"""Exercises in a real browser: a learner writes, the draft autosaves, the private step, then sharing; axe."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from playwright.sync_api import expect

from portal.dates import local_today
from portal.discussions.models import Draft
from portal.exercises.response_models import ExerciseResponse
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.exercises.factories import QUESTIONS, add_exercise, add_response


def test_a_learner_writes_autosaves_answers_privately_and_shares(page, axe, db, course, cohort, learner,
                                                                 make_user, enrol, timetable):
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_exercise(course, 1, self_check=True, slug="browser")
    peer = make_user(name="Pat Peer")
    enrol(peer, cohort)
    add_response(cohort, exercise, peer, "Peer's shared words")
    sign_in(page, learner.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"
    page.goto(f"{base}/exercises")
    assert axe(page) == []
    page.get_by_role("link", name=exercise.title).click()
    page.wait_for_url(f"**/exercises/{exercise.id}")
    expect(page.get_by_text("Share your own response first")).to_be_visible()
    expect(page.get_by_text("Peer's shared words")).not_to_be_visible()
    assert axe(page) == []

    page.get_by_label("Your response").fill("What I would say, and **why**.")
    page.wait_for_selector("text=Draft saved", timeout=10_000)
    db.session.expire_all()
    draft = db.session.scalars(select(Draft).where(Draft.key == f"response:{exercise.id}")).one()
    assert draft.body == "What I would say, and **why**." and draft.token == "0"
    page.reload()  # the autosaved words come back
    assert page.get_by_label("Your response").input_value() == "What I would say, and **why**."

    page.get_by_role("button", name="Continue to the private questions").click()
    page.wait_for_url("**/self-check")
    assert axe(page) == []
    page.get_by_label(QUESTIONS[0]).fill("The newcomer's, I hope")
    page.get_by_role("button", name="Share my response").click()
    page.wait_for_url(f"**/exercises/{exercise.id}")
    expect(page.get_by_text("Your response has been shared")).to_be_visible()
    expect(page.get_by_text("Peer's shared words")).to_be_visible()  # shared first, now they see others
    assert axe(page) == []
    db.session.expire_all()
    response = db.session.scalars(select(ExerciseResponse).where(ExerciseResponse.author_id == learner.id)).one()
    assert response.status == "submitted" and "<strong>why</strong>" in response.body_html
    page.goto(f"{base}/responses/{response.id}")
    expect(page.get_by_text("only you can see these")).to_be_visible()
    assert axe(page) == []


def test_facilitator_pages_pass_axe(page, axe, db, course, cohort, learner, facilitator, timetable):
    timetable(cohort)[0].day = local_today() - timedelta(days=30)
    db.session.commit()
    exercise = add_exercise(course, 1, slug="browser-fac")
    response = add_response(cohort, exercise, learner, "Shared words")
    sign_in(page, facilitator.email, PASSWORD)
    base = f"/cohorts/{cohort.id}"
    for path in ("/exercises", f"/exercises/{exercise.id}", f"/responses/{response.id}"):
        page.goto(base + path)
        assert axe(page) == [], path
    page.get_by_role("button", name="Reopen for changes").click()
    expect(page.get_by_text("can change their response again").first).to_be_visible()
