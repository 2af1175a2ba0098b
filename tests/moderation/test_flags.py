"""Flagging: any member flags what they can see, once, never their own; safety alerts at once; N flags hide."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.discussions.models import Post
from portal.extensions import db
from portal.mailqueue.models import QueuedMail
from portal.moderation.flag_models import FLAG_REASONS, Flag
from portal.moderation.models import ModerationAlert
from tests.moderation.conftest import send


def flag_url(cohort, post):
    return f"/cohorts/{cohort.id}/posts/{post.id}/flag"


@pytest.mark.parametrize("reason", [r for r in FLAG_REASONS if r != "other"])
def test_each_reason_records_a_flag(cohort, learner, peers, worrying_post, as_user, reason):
    client = as_user(peers[0])
    page = client.get(flag_url(cohort, worrying_post))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "not a crisis service" in html and "/need-help-now" in html
    response = send(client, flag_url(cohort, worrying_post), reason=reason)
    assert response.status_code == 302
    flag = db.session.scalars(select(Flag)).one()
    assert (flag.reason, flag.flagger_id, flag.subject_kind, flag.subject_id, flag.author_id) == (
        reason, peers[0].id, "post", worrying_post.id, learner.id)
    thread = client.get(f"/cohorts/{cohort.id}/posts/{worrying_post.id}", follow_redirects=True)
    assert "You flagged this" in thread.get_data(as_text=True)


def test_something_else_needs_a_note_and_keeps_what_was_typed(cohort, peers, worrying_post, as_user):
    client = as_user(peers[0])
    refused = send(client, flag_url(cohort, worrying_post), reason="other", note="   ")
    assert refused.status_code == 422
    assert "a few words" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Flag.id))) == 0
    done = send(client, flag_url(cohort, worrying_post), reason="other", note="It names my neighbour")
    assert done.status_code == 302
    assert db.session.scalars(select(Flag.note)).one() == "It names my neighbour"


def test_an_unknown_reason_is_refused_without_a_500(cohort, peers, worrying_post, as_user):
    client = as_user(peers[0])
    assert send(client, flag_url(cohort, worrying_post), reason="spam").status_code == 422
    assert send(client, flag_url(cohort, worrying_post)).status_code == 422


def test_flagging_twice_is_harmless_and_says_so(cohort, peers, worrying_post, as_user):
    client = as_user(peers[0])
    send(client, flag_url(cohort, worrying_post), reason="boundary")
    again = send(client, flag_url(cohort, worrying_post), reason="safety", follow_redirects=True)
    assert "already flagged" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Flag.id))) == 1
    assert db.session.scalar(select(func.count(ModerationAlert.id))) == 0
    assert "You flagged this on" in client.get(flag_url(cohort, worrying_post)).get_data(as_text=True)


def test_ones_own_post_is_refused_kindly(cohort, learner, worrying_post, as_user):
    client = as_user(learner)
    response = send(client, flag_url(cohort, worrying_post), reason="boundary", follow_redirects=True)
    assert response.status_code == 200
    assert "your own post" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Flag.id))) == 0
    thread = client.get(f"/cohorts/{cohort.id}/threads/{worrying_post.thread_id}").get_data(as_text=True)
    assert f"/posts/{worrying_post.id}/flag" not in thread


def test_what_one_cannot_see_is_a_404(app, cohort, peers, worrying_post, outsider, as_user):
    client = as_user(peers[0])
    assert client.get(f"/cohorts/{cohort.id}/posts/999999/flag").status_code == 404
    assert client.get(f"/cohorts/{cohort.id}/nonsense/{worrying_post.id}/flag").status_code == 404
    stranger = as_user(outsider)
    assert stranger.get(flag_url(cohort, worrying_post)).status_code == 404
    assert send(stranger, flag_url(cohort, worrying_post), reason="boundary").status_code == 404
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_a_safety_flag_alerts_the_facilitators_before_the_request_returns(cohort, facilitator, learner, peers,
                                                                          worrying_post, as_user):
    client = as_user(peers[0])
    assert send(client, flag_url(cohort, worrying_post), reason="safety").status_code == 302
    alert = db.session.scalars(select(ModerationAlert)).one()
    assert (alert.reason, alert.subject_kind, alert.subject_id, alert.raised_by_id, alert.author_id) == (
        "safety_flag", "post", worrying_post.id, peers[0].id, learner.id)
    mail = db.session.scalars(select(QueuedMail)).one()
    assert mail.to == facilitator.email
    assert f"/cohorts/{cohort.id}/moderation" in mail.body  # the link goes to the queue


def test_flags_from_three_members_hide_the_post_pending_review(app, cohort, learner, peers, worrying_post,
                                                                as_user):
    for n, peer in enumerate(peers):
        send(as_user(peer), flag_url(cohort, worrying_post), reason="unsupportive")
        db.session.expire_all()
        hidden = db.session.get(Post, worrying_post.id).hidden_at is not None
        assert hidden == (n == 2)
    alerts = db.session.scalars(select(ModerationAlert.reason)).all()
    assert alerts == ["flag_threshold"]
    thread_url = f"/cohorts/{cohort.id}/threads/{worrying_post.thread_id}"
    other = as_user(peers[0]).get(thread_url).get_data(as_text=True)
    assert "Some worrying words" not in other and "hidden while a facilitator looks at it" in other
    own = as_user(learner).get(thread_url).get_data(as_text=True)
    assert "Some worrying words" in own and "hidden from others" in own


def test_the_threshold_is_a_setting(app, cohort, peers, worrying_post, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "FLAG_HIDE_THRESHOLD", 1)
    send(as_user(peers[0]), flag_url(cohort, worrying_post), reason="boundary")
    db.session.expire_all()
    assert db.session.get(Post, worrying_post.id).hidden_at is not None


def test_the_flagger_is_never_shown_to_other_members(cohort, learner, peers, worrying_post, as_user):
    send(as_user(peers[0]), flag_url(cohort, worrying_post), reason="boundary")
    for viewer in (learner, peers[1]):
        html = as_user(viewer).get(f"/cohorts/{cohort.id}/threads/{worrying_post.thread_id}").get_data(as_text=True)
        assert "Peer 0" not in html and "You flagged this" not in html


def test_a_muted_member_may_still_flag(cohort, peers, worrying_post, as_user):
    from datetime import timedelta

    from portal.cohorts.models import Membership
    from portal.dates import utcnow

    place = db.session.scalars(select(Membership).where(Membership.user_id == peers[0].id)).one()
    place.muted_until = utcnow() + timedelta(days=2)
    db.session.commit()
    assert send(as_user(peers[0]), flag_url(cohort, worrying_post), reason="boundary").status_code == 302
    assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_a_thread_a_response_and_feedback_can_be_flagged_from_their_pages(course, cohort, learner, peers,
                                                                         worrying_post, as_user, timetable):
    from datetime import timedelta

    from portal.dates import utcnow

    timetable(cohort)[0].starts_at = utcnow() - timedelta(hours=1)
    from portal.exercises.feedback_models import Feedback
    from tests.exercises.factories import add_exercise, add_response

    exercise = add_exercise(course, 1)
    response = add_response(cohort, exercise, learner, "My practice words")
    add_response(cohort, exercise, peers[0], "Peer practice words")
    feedback = Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=peers[0].id,
                        what_worked="Harsh words", what_worked_html="<p>Harsh words</p>", ratings={},
                        status="given", given_at=utcnow())
    db.session.add(feedback)
    db.session.commit()
    peer = as_user(peers[0])
    thread_page = peer.get(f"/cohorts/{cohort.id}/threads/{worrying_post.thread_id}").get_data(as_text=True)
    assert f"/threads/{worrying_post.thread_id}/flag" in thread_page
    response_page = peer.get(f"/cohorts/{cohort.id}/responses/{response.id}").get_data(as_text=True)
    assert f"/responses/{response.id}/flag" in response_page
    author_page = as_user(learner).get(f"/cohorts/{cohort.id}/responses/{response.id}").get_data(as_text=True)
    assert f"/feedback/{feedback.id}/flag" in author_page and f"/responses/{response.id}/flag" not in author_page
    for path, item_id in (("threads", worrying_post.thread_id), ("responses", response.id)):
        assert send(peer, f"/cohorts/{cohort.id}/{path}/{item_id}/flag", reason="boundary").status_code == 302
    assert send(as_user(learner), f"/cohorts/{cohort.id}/feedback/{feedback.id}/flag",
                reason="unsupportive").status_code == 302
    assert sorted(db.session.scalars(select(Flag.subject_kind))) == ["feedback", "response", "thread"]
    # the reviewer's own feedback, and someone else's feedback they can't read: refused / 404
    assert as_user(peers[1]).get(f"/cohorts/{cohort.id}/feedback/{feedback.id}/flag").status_code == 404
