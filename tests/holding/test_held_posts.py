"""Posts the safety matcher holds: saved, seen by the author and the facilitators only, alert and email
in the same transaction, the author's choice, and the facilitators' release / keep."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.discussions.models import Post, Thread
from portal.mailqueue.models import QueuedMail
from portal.moderation.models import ModerationAlert
from tests.conftest import post
from tests.holding.conftest import ORDINARY, WORRYING, c


def _reply(client, cohort, thread, body, token="tok1"):
    return post(client, c(cohort, f"threads/{thread.id}"), {"body": body, "client_token": token})


def test_a_worrying_reply_is_held_with_its_alert_and_email_committed_together(
        client, auth, db, cohort, learner, facilitator, general_thread):
    thread = general_thread(cohort, facilitator)
    auth.login(learner)
    response = _reply(client, cohort, thread, WORRYING)
    assert response.status_code == 302
    held = db.session.scalars(select(Post).where(Post.author_id == learner.id)).one()
    assert held.held_at is not None and held.held_reason == "safety_words" and held.held_choice == "share"
    alert = db.session.scalars(select(ModerationAlert)).one()
    assert (alert.subject_kind, alert.subject_id, alert.reason, alert.author_id) == (
        "post", held.id, "safety_words", learner.id)
    assert db.session.scalars(select(QueuedMail.to)).all() == [facilitator.email]
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).held_count == 1


def test_an_ordinary_reply_is_not_held(client, auth, db, cohort, learner, facilitator, general_thread):
    thread = general_thread(cohort, facilitator)
    auth.login(learner)
    _reply(client, cohort, thread, ORDINARY)
    assert db.session.scalars(select(Post).where(Post.author_id == learner.id)).one().held_at is None
    assert db.session.scalar(select(func.count(ModerationAlert.id))) == 0


def test_a_worrying_new_thread_is_held_and_invisible_to_others(client, auth, db, cohort, learner, peer,
                                                              facilitator):
    auth.login(learner)
    response = post(client, c(cohort, "discussions/general/new"),
                    {"title": "Tonight", "body": WORRYING, "client_token": "abc"})
    assert response.status_code == 302
    thread = db.session.scalars(select(Thread).where(Thread.title == "Tonight")).one()
    assert thread.held_at is not None
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "waiting for a facilitator" in page and "not a crisis service" in page
    assert "Samaritans" in page
    listing = client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    assert "Tonight" in listing and "Waiting for a facilitator" in listing  # never silently missing for its author
    auth.logout()
    auth.login(peer)
    assert client.get(c(cohort, f"threads/{thread.id}")).status_code == 404
    assert "Tonight" not in client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    assert "Tonight" not in client.get(c(cohort, "search?q=tonight")).get_data(as_text=True)


def test_the_author_sees_the_warm_message_and_others_do_not_see_the_post(client, auth, db, cohort, learner, peer,
                                                                        facilitator, general_thread):
    thread = general_thread(cohort, facilitator)
    auth.login(learner)
    response = _reply(client, cohort, thread, WORRYING)
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "end my life" in page and "waiting for a facilitator" in page
    assert "Samaritans" in page and "not a crisis service" in page
    assert "Share it with my cohort" in page and "Keep it for my facilitators" in page and "Withdraw" in page
    held = db.session.scalars(select(Post).where(Post.author_id == learner.id)).one()
    auth.logout()
    auth.login(peer)
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "end my life" not in page
    assert client.get(c(cohort, f"posts/{held.id}")).status_code == 404
    listing = client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    assert "0 replies" in listing or "No replies" in listing
    auth.logout()
    auth.login(facilitator)
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "end my life" in page and "Waiting for a facilitator" in page


def test_the_author_changes_their_choice_while_held(client, auth, db, cohort, learner, facilitator,
                                                   general_thread):
    thread = general_thread(cohort, facilitator)
    auth.login(learner)
    _reply(client, cohort, thread, WORRYING)
    held = db.session.scalars(select(Post).where(Post.author_id == learner.id)).one()
    url = c(cohort, f"held/post/{held.id}/choice")
    assert post(client, url, {"choice": "facilitators"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, held.id).held_choice == "facilitators"
    assert post(client, url, {"choice": "share"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, held.id).held_choice == "share"
    assert post(client, url, {"choice": "everyone-now"}).status_code == 422  # bad input: a message, no change
    db.session.expire_all()
    assert db.session.get(Post, held.id).held_choice == "share"


def test_someone_else_cannot_choose_for_the_author(client, auth, db, cohort, learner, peer, facilitator,
                                                  general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    auth.login(peer)
    assert post(client, c(cohort, f"held/post/{held.id}/choice"), {"choice": "facilitators"}).status_code == 404


def test_release_shows_it_to_the_cohort_and_is_recorded_once(client, auth, db, cohort, learner, peer, facilitator,
                                                            general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    auth.login(facilitator)
    review = client.get(c(cohort, f"held/post/{held.id}"))
    assert review.status_code == 200 and "end my life" in review.get_data(as_text=True)
    assert post(client, c(cohort, f"held/post/{held.id}/release")).status_code == 302
    again = post(client, c(cohort, f"held/post/{held.id}/release"), follow_redirects=True)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "post.released")) == 1
    assert db.session.scalars(select(ModerationAlert)).one().handled_by_id == facilitator.id
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).held_count == 0
    auth.logout()
    auth.login(peer)
    assert "end my life" in client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)


def test_release_is_refused_when_the_author_chose_facilitators_only(client, auth, db, cohort, learner, peer,
                                                                   facilitator, general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    held.held_choice = "facilitators"
    db.session.commit()
    auth.login(facilitator)
    page = post(client, c(cohort, f"held/post/{held.id}/release"), follow_redirects=True).get_data(as_text=True)
    assert "asked" in page and "facilitators only" in page
    db.session.expire_all()
    assert db.session.get(Post, held.id).released_at is None
    assert post(client, c(cohort, f"held/post/{held.id}/keep")).status_code == 302
    db.session.expire_all()
    kept = db.session.get(Post, held.id)
    assert kept.reviewed_by_id == facilitator.id and kept.released_at is None
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "post.kept")) == 1
    assert db.session.scalars(select(ModerationAlert)).one().handled_at is not None
    auth.logout()
    auth.login(peer)
    assert "end my life" not in client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)


def test_acting_on_a_withdrawn_post_is_refused_kindly(client, auth, db, cohort, learner, facilitator,
                                                     general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    from portal.discussions.services import withdraw_post
    withdraw_post(learner, held)
    auth.login(facilitator)
    for action in ("release", "keep"):
        response = post(client, c(cohort, f"held/post/{held.id}/{action}"), follow_redirects=True)
        assert response.status_code == 200 and "withdrawn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, held.id).released_at is None
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("post.%"))) == 0


def test_two_releases_at_once_record_one_action(app, db, cohort, learner, facilitator, make_user, enrol,
                                               general_thread, write_reply):
    from portal.moderation.holding import release_held
    second = make_user(name="Second Facilitator", two_factor=True)
    enrol(second, cohort, "facilitator")
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    with app.test_request_context():
        assert release_held(facilitator, cohort.id, "post", held.id) is True
    with app.test_request_context():
        assert release_held(second, cohort.id, "post", held.id) is False  # already done: nothing recorded
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "post.released")) == 1


def test_learners_and_other_cohorts_cannot_reach_the_facilitator_actions(client, auth, db, cohort, learner, peer,
                                                                        facilitator, general_thread, write_reply,
                                                                        assert_isolated):
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    auth.login(peer)
    assert client.get(c(cohort, f"held/post/{held.id}")).status_code == 404
    for action in ("release", "keep"):
        assert post(client, c(cohort, f"held/post/{held.id}/{action}")).status_code == 404
    auth.logout()
    auth.login(learner)  # the author too: it is the facilitators' decision
    assert post(client, c(cohort, f"held/post/{held.id}/release")).status_code == 404
    auth.logout()
    assert_isolated(c(cohort, f"held/post/{held.id}"))
    for action in ("release", "keep", "choice"):
        assert_isolated(c(cohort, f"held/post/{held.id}/{action}"), method="POST", data={"choice": "share"})


def test_unknown_kinds_and_ids_are_404(client, auth, db, cohort, facilitator):
    auth.login(facilitator)
    for path in ("held/post/999999", "held/thread/1", "held/nothing/1", "held/post/abc"):
        assert client.get(c(cohort, path)).status_code == 404, path


def test_no_unread_link_or_mark_points_at_a_held_post(client, auth, db, cohort, learner, peer, facilitator,
                                                     general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    write_reply(thread, facilitator, "Welcome, everyone")
    auth.login(peer)
    client.get(c(cohort, f"threads/{thread.id}"))  # read to the end
    write_reply(thread, learner, WORRYING)
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert "Skip to the first unread post" not in page and "New since your last visit" not in page
    listing = client.get(c(cohort, "discussions/general")).get_data(as_text=True)
    assert "unread" not in listing.lower() or "0 unread" in listing.lower()


def test_two_held_posts_on_a_page_show_the_crisis_contacts_once(client, auth, db, cohort, learner, facilitator,
                                                               general_thread, write_reply):
    thread = general_thread(cohort, facilitator)
    write_reply(thread, learner, WORRYING)
    write_reply(thread, learner, "I want to end my life, I mean it.")
    auth.login(learner)
    page = client.get(c(cohort, f"threads/{thread.id}")).get_data(as_text=True)
    assert page.count("Your post is waiting for a facilitator") == 2
    assert page.count('id="emergency-title"') == 1


def test_an_edit_that_brings_in_safety_words_holds_the_post(client, auth, db, cohort, learner, peer, facilitator,
                                                           general_thread, write_reply):
    from portal.discussions.services import edit_post, version_of
    thread = general_thread(cohort, facilitator)
    mine = write_reply(thread, learner, ORDINARY)
    edit_post(learner, mine, WORRYING, None, version_of(mine))
    db.session.expire_all()
    assert db.session.get(Post, mine.id).is_held and db.session.get(Thread, thread.id).held_count == 1
    assert db.session.scalars(select(ModerationAlert)).one().subject_id == mine.id
    auth.login(peer)
    assert client.get(c(cohort, f"posts/{mine.id}")).status_code == 404
