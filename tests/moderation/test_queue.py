"""The moderation queue: open alerts and flags grouped by item, safety first then oldest, in a fixed number of
queries; only the cohort's facilitators and site admins see it."""
from __future__ import annotations

from datetime import timedelta

from portal.cohorts.openings import open_cohort
from portal.dates import utcnow
from portal.discussions import services as discussions
from portal.discussions.models import Thread
from portal.extensions import db
from portal.moderation.alerts import raise_alert
from portal.moderation.flag_models import Flag
from tests.moderation.conftest import send


def _flag(cohort, post, who, reason="boundary", minutes_ago=0):
    db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=post.id, flagger_id=who.id,
                        author_id=post.author_id, reason=reason, created_at=utcnow() - timedelta(minutes=minutes_ago)))
    db.session.commit()


def test_safety_first_then_oldest_with_who_flagged(app, cohort, facilitator, learner, peers, worrying_post, as_user):
    thread = db.session.get(Thread, worrying_post.thread_id)
    older = discussions.reply(learner, thread, "An older worry", None, None, "tok-old")
    _flag(cohort, older, peers[0], "boundary", minutes_ago=60)
    _flag(cohort, worrying_post, peers[1], "safety", minutes_ago=5)
    html = as_user(facilitator).get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert html.index("Some worrying words") < html.index("An older worry")  # safety first, though newer
    assert "Peer 0" in html and "Peer 1" in html  # facilitators see who flagged
    assert "Opening words" in html  # the thread around it


def test_held_alerts_link_through_item_link(app, cohort, facilitator, worrying_post, as_user):
    with app.test_request_context():
        raise_alert(cohort.id, "safety_words", "post", worrying_post.id, author_id=worrying_post.author_id)
        db.session.commit()
    html = as_user(facilitator).get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert "Review it" in html and f"/cohorts/{cohort.id}/held/post/{worrying_post.id}" in html


def test_history_of_earlier_flags_and_actions_on_the_author(app, cohort, facilitator, learner, peers, worrying_post,
                                                            as_user):
    thread = db.session.get(Thread, worrying_post.thread_id)
    earlier = discussions.reply(learner, thread, "Earlier words", None, None, "tok-e")
    _flag(cohort, earlier, peers[2], "unsupportive", minutes_ago=600)
    fac = as_user(facilitator)
    send(fac, f"/cohorts/{cohort.id}/moderation/posts/{earlier.id}", action="hide", reason="Unkind words")
    _flag(cohort, worrying_post, peers[0])
    html = fac.get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert "Hidden by a facilitator" in html and "Unkind words" in html
    assert "unsupportive or stigmatising" in html  # the earlier flag, now resolved


def test_the_queue_costs_the_same_queries_whatever_its_size(app, cohort, facilitator, learner, peers, worrying_post,
                                                            as_user, count_queries):
    fac = as_user(facilitator)
    thread = db.session.get(Thread, worrying_post.thread_id)
    _flag(cohort, worrying_post, peers[0])
    fac.get(f"/cohorts/{cohort.id}/moderation")  # warm
    with count_queries() as small:
        assert fac.get(f"/cohorts/{cohort.id}/moderation").status_code == 200
    for n in range(12):
        post = discussions.reply(learner, thread, f"More words {n}", None, None, f"tok-q{n}")
        _flag(cohort, post, peers[n % 3], "safety" if n % 2 else "boundary")
        with app.test_request_context():
            raise_alert(cohort.id, "flag_threshold", "post", post.id, author_id=learner.id)
        db.session.commit()
    with count_queries() as large:
        response = fac.get(f"/cohorts/{cohort.id}/moderation")
    assert response.status_code == 200 and "More words 11" in response.get_data(as_text=True)
    assert large() == small()
    assert large() <= 10  # the request's own (user, cohort, ...) and the queue's


def test_the_queue_service_runs_at_most_ten_queries_with_every_kind(app, course, cohort, learner, facilitator, peers,
                                                                   worrying_post, count_queries):
    from portal.exercises.feedback_models import Feedback
    from portal.moderation.queue import load_queue
    from tests.exercises.factories import add_exercise, add_response

    _flag(cohort, worrying_post, peers[0])
    response = add_response(cohort, add_exercise(course, 1), learner, "My practice words")
    feedback = Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=peers[1].id, what_worked="Nice",
                        what_worked_html="<p>Nice</p>", ratings={}, status="given", given_at=utcnow())
    db.session.add(feedback)
    db.session.commit()
    for kind, item_id, author in (("response", response.id, learner.id), ("feedback", feedback.id, peers[1].id),
                                  ("thread", worrying_post.thread_id, learner.id)):
        db.session.add(Flag(cohort_id=cohort.id, subject_kind=kind, subject_id=item_id, flagger_id=peers[2].id,
                            author_id=author, reason="boundary"))
    db.session.commit()
    with app.test_request_context(), count_queries() as n:
        items = load_queue([cohort.id])
    assert len(items) == 4 and all(i.subject is not None for i in items)
    assert n() <= 10


def test_learners_and_other_cohorts_facilitators_get_404(app, cohort, learner, other_facilitator, worrying_post,
                                                          as_user, site_admin):
    assert as_user(learner).get(f"/cohorts/{cohort.id}/moderation").status_code == 404
    assert as_user(other_facilitator).get(f"/cohorts/{cohort.id}/moderation").status_code == 404
    assert as_user(learner).get("/admin/moderation").status_code == 404
    # A site admin reads a cohort's queue only with the cohort open to them (portal/cohorts/openings.py).
    assert as_user(site_admin).get(f"/cohorts/{cohort.id}/moderation").status_code == 403
    open_cohort(site_admin, cohort.id, "Covering the queue", 30)
    assert as_user(site_admin).get(f"/cohorts/{cohort.id}/moderation").status_code == 200


def test_site_admins_see_every_cohort(app, cohort, other_cohort, facilitator, learner, peers, worrying_post,
                                      site_admin, as_user, make_user, enrol):
    _flag(cohort, worrying_post, peers[0])
    south = make_user("south@example.org", name="Sam South")
    enrol(south, other_cohort)
    post = discussions.start_thread(south, other_cohort, None, "South thread", "Southern words", None, None)
    other = make_user("south2@example.org", name="Sky South")
    enrol(other, other_cohort)
    db.session.add(Flag(cohort_id=other_cohort.id, subject_kind="post", subject_id=post.id, flagger_id=other.id,
                        author_id=south.id, reason="boundary"))
    db.session.commit()
    html = as_user(site_admin).get("/admin/moderation").get_data(as_text=True)
    # Without opening: how much waits in each cohort, not the words.
    assert "Some worrying words" not in html and "Southern words" not in html
    assert "Cohort North" in html and "Cohort South" in html
    open_cohort(site_admin, cohort.id, "Covering the queue", 30)
    html = as_user(site_admin).get("/admin/moderation").get_data(as_text=True)
    assert "Some worrying words" in html and "Southern words" not in html
    open_cohort(site_admin, other_cohort.id, "Covering the queue", 30)
    html = as_user(site_admin).get("/admin/moderation").get_data(as_text=True)
    assert "Some worrying words" in html and "Southern words" in html
    assert "Cohort North" in html and "Cohort South" in html
    own = as_user(facilitator).get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert "Some worrying words" in own and "Southern words" not in own  # a cohort's queue: its own items only


def test_facilitators_and_admins_find_the_queue_in_their_menus(cohort, facilitator, learner, site_admin, as_user):
    assert f"/cohorts/{cohort.id}/moderation" in as_user(facilitator).get(f"/cohorts/{cohort.id}/").get_data(
        as_text=True)
    assert "/moderation" not in as_user(learner).get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "/admin/moderation" in as_user(site_admin).get("/admin/audit").get_data(as_text=True)


def test_the_queue_offers_a_concern_about_the_item_and_shows_follow_ups_due(app, cohort, facilitator, learner, peers,
                                                                          worrying_post, as_user):
    from datetime import timedelta

    from portal.dates import local_today
    from sqlalchemy import update

    from portal.safeguarding import concerns
    from portal.safeguarding.models import Concern

    _flag(cohort, worrying_post, peers[0], "safety")
    concerns.open_concern(facilitator, cohort, learner.id, "Quiet since session 3", "Details",
                          local_today() + timedelta(days=1), ("post", worrying_post.id), None)

    page = as_user(facilitator).get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert f"kind=post&amp;id={worrying_post.id}" in page and "Record a concern" in page
    assert "Follow-ups due" not in page  # due tomorrow: not yet
    db.session.execute(update(Concern).values(follow_up_on=local_today()))
    db.session.commit()
    page = as_user(facilitator).get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert "Follow-ups due" in page and "Quiet since session 3" in page
