"""Practise on an example first, in a real browser and with the keyboard only: sent there before the first
feedback, rate the example, read the comparison, continue to the real feedback; axe on each page, in light
and dark schemes, the facilitator's view included."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from playwright.sync_api import expect

from portal.dates import local_today
from portal.exercises.feedback_models import ExamplePractice
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.exercises.factories import add_example, add_exercise, add_response


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_learner_practises_with_the_keyboard_and_reads_the_comparison(page, axe, db, course, cohort, learner,
                                                                        facilitator, make_user, enrol, timetable,
                                                                        scheme):
    page.emulate_media(color_scheme=scheme)
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_example(add_exercise(course, 1, slug=f"browser-example-{scheme}"))
    peer = make_user(name="Pat Peer")
    enrol(peer, cohort)
    theirs = add_response(cohort, exercise, learner, "Learner's shared words")
    add_response(cohort, exercise, peer, "Peer's own words")
    base = f"/cohorts/{cohort.id}"

    sign_in(page, peer.email, PASSWORD)
    page.goto(f"{base}/responses/{theirs.id}")
    page.wait_for_url(f"**/exercises/{exercise.id}/example?response={theirs.id}")
    expect(page.get_by_role("heading", name="Practise on an example")).to_be_visible()
    assert axe(page) == []

    page.get_by_label("What worked well").focus()
    page.keyboard.type("It is short and hands the conversation back.")
    for _criterion in range(4):  # each scale: into the group, choose its first step, then two steps on
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Perhaps one concrete detail.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your choices beside the reference")
    expect(page.get_by_text("You chose ‘clear’; the reference chose ‘strong’.").first).to_be_visible()
    expect(page.get_by_text("You and the reference both chose ‘clear’.").first).to_be_visible()
    expect(page.get_by_text("Why mutual is strong.")).to_be_visible()
    assert axe(page) == []
    db.session.expire_all()
    (practice,) = db.session.scalars(select(ExamplePractice).where(ExamplePractice.exercise_id == exercise.id))
    assert set(practice.ratings.values()) == {"clear"} and "Perhaps" in practice.to_consider

    page.get_by_role("link", name="Continue to your feedback").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/responses/{theirs.id}/feedback")
    expect(page.get_by_role("button", name="Give feedback")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"{base}/exercises/{exercise.id}/example")
    expect(page.get_by_role("heading", name="The reference feedback")).to_be_visible()
    assert axe(page) == []
