"""The practice form autosaves while typing, in a real browser: type, wait for "Draft saved", reload, and the
words are back; axe finds nothing serious on the page, before and after."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from portal.dates import local_today
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.exercises.factories import add_example, add_exercise, add_response


def test_practice_words_are_autosaved_and_come_back_after_a_reload(page, axe, db, course, cohort, learner,
                                                                    make_user, enrol, timetable):
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_example(add_exercise(course, 1, slug="browser-practice-autosave"))
    peer = make_user(name="Pat Peer")
    enrol(peer, cohort)
    add_response(cohort, exercise, learner, "Learner's shared words")
    add_response(cohort, exercise, peer, "Peer's own words")

    sign_in(page, peer.email, PASSWORD)
    page.goto(f"/cohorts/{cohort.id}/exercises/{exercise.id}/example")
    expect(page.get_by_role("heading", name="Practise on an example")).to_be_visible()
    assert axe(page) == []
    page.get_by_label("What worked well").fill("It gives the other person room to answer.")
    page.wait_for_selector("text=Draft saved", timeout=10_000)
    page.reload()
    expect(page.get_by_label("What worked well")).to_have_value("It gives the other person room to answer.")
    assert axe(page) == []
