"""Feedback in a real browser: a peer gives feedback (autosaved), the author reads it, says how it landed and
notes what they will take forward; axe on every page of it, the facilitator's included."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.dates import local_today, utcnow
from portal.discussions.models import Draft
from portal.exercises.feedback_models import Feedback, ReviewAllocation
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.exercises.factories import add_exercise, add_response


def test_from_response_to_feedback_received_to_the_take_forward_note(page, axe, db, course, cohort, learner,
                                                                    make_user, enrol, timetable, browser,
                                                                    live_server):
    timetable(cohort)[0].day = local_today() - timedelta(days=1)
    db.session.commit()
    exercise = add_exercise(course, 1, slug="browser-feedback")
    peer = make_user(name="Pat Peer")
    enrol(peer, cohort)
    mine = add_response(cohort, exercise, learner, "My shared words")
    add_response(cohort, exercise, peer, "Peer's words")
    base = f"/cohorts/{cohort.id}"

    sign_in(page, peer.email, PASSWORD)
    page.goto(f"{base}/responses/{mine.id}")
    assert axe(page) == []
    page.get_by_label("What worked well").fill("You began with what you share with them.")
    page.wait_for_selector("text=Draft saved", timeout=10_000)
    db.session.expire_all()
    assert db.session.scalars(select(Draft).where(Draft.key == f"feedback:{mine.id}")).one().body
    for name in ("mutual", "authentic", "intentional", "recovery"):
        page.locator(f"input[name=rating-{name}][value=clear]").check()
    page.get_by_role("button", name="Give feedback").click()
    page.wait_for_url(f"**/responses/{mine.id}")
    assert page.get_by_text("your feedback has been given").is_visible()
    assert axe(page) == []

    other = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800}).new_page()
    sign_in(other, learner.email, PASSWORD)
    other.goto(f"{base}/")
    other.get_by_role("link", name="New feedback on your response").click()
    assert other.get_by_text("You began with what you share with them.").is_visible()
    assert axe(other) == []
    other.locator("input[name=strengths_first][value=yes]").check()
    other.locator("input[name=respectful][value=yes]").check()
    other.locator("input[name=useful][value=partly]").check()
    other.get_by_role("button", name="how it landed").click()
    other.get_by_label("What I will take forward").fill("Start from what we share.")
    other.get_by_role("button", name="Save my note").click()
    assert other.get_by_text("Your note is saved").is_visible()
    assert axe(other) == []
    db.session.expire_all()
    item = db.session.scalars(select(Feedback)).one()
    assert item.landed == {"strengths_first": "yes", "respectful": "yes", "useful": "partly"}
    other.context.close()


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
