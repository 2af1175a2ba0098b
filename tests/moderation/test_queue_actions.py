"""Each queue action does what it says, records one audit event, resolves the item's flags and handles its
alerts; learners and other cohorts' facilitators get 404; bad input is refused kindly, never a 500."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cohorts.models import Membership
from portal.discussions.models import Post, PostRevision, Thread
from portal.extensions import db
from portal.moderation.alerts import raise_alert
from portal.moderation.flag_models import Flag
from portal.moderation.models import ModerationAlert
from tests.moderation.conftest import send


@pytest.fixture
def flagged(app, cohort, learner, peers, worrying_post):
    """A safety flag (with its alert) and a boundary flag on the worrying post."""
    for peer, reason in ((peers[0], "safety"), (peers[1], "boundary")):
        db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=worrying_post.id,
                            flagger_id=peer.id, author_id=learner.id, reason=reason))
    with app.test_request_context():
        raise_alert(cohort.id, "safety_flag", "post", worrying_post.id, author_id=learner.id, raised_by_id=peers[0].id)
    db.session.commit()
    return worrying_post


def act_url(cohort, kind_path, item_id):
    return f"/cohorts/{cohort.id}/moderation/{kind_path}/{item_id}"


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def open_flags():
    return db.session.scalar(select(func.count(Flag.id)).where(Flag.resolved_at.is_(None)))


def open_alerts():
    return db.session.scalar(select(func.count(ModerationAlert.id)).where(ModerationAlert.handled_at.is_(None)))


def test_dismiss_one_flag_then_all(cohort, facilitator, flagged, as_user):
    fac = as_user(facilitator)
    first = db.session.scalars(select(Flag).order_by(Flag.id)).first()
    assert send(fac, act_url(cohort, "posts", flagged.id), action="dismiss", flag=str(first.id)).status_code == 302
    assert open_flags() == 1 and open_alerts() == 1  # one flag still open: the alert waits
    send(fac, act_url(cohort, "posts", flagged.id), action="dismiss")
    assert open_flags() == 0 and open_alerts() == 0
    assert len(events("flag.dismissed")) == 2
    assert db.session.scalars(select(Flag.outcome)).all() == ["dismissed", "dismissed"]


def test_dismissing_flags_shows_again_what_the_flags_alone_hid(app, cohort, facilitator, flagged, as_user):
    post = db.session.get(Post, flagged.id)
    post.hidden_at, post.hidden_reason = flagged.created_at, "pending"
    db.session.commit()
    send(as_user(facilitator), act_url(cohort, "posts", flagged.id), action="dismiss")
    db.session.expire_all()
    assert db.session.get(Post, flagged.id).hidden_at is None


def test_hide_with_a_reason_the_author_reads_then_restore(cohort, facilitator, learner, peers, flagged, as_user):
    fac = as_user(facilitator)
    refused = send(fac, act_url(cohort, "posts", flagged.id), action="hide", reason="  ", follow_redirects=True)
    assert "Please say why" in refused.get_data(as_text=True)
    send(fac, act_url(cohort, "posts", flagged.id), action="hide", reason="It names someone outside the group")
    db.session.expire_all()
    post = db.session.get(Post, flagged.id)
    assert post.hidden_by_id == facilitator.id and open_flags() == 0 and open_alerts() == 0
    assert events("item.hidden")[0].detail.endswith("It names someone outside the group")
    thread_url = f"/cohorts/{cohort.id}/threads/{flagged.thread_id}"
    other = as_user(peers[2]).get(thread_url).get_data(as_text=True)
    assert "A facilitator has hidden this post" in other and "Some worrying words" not in other
    own = as_user(learner).get(thread_url).get_data(as_text=True)
    assert "It names someone outside the group" in own and "Some worrying words" in own
    assert "Some worrying words" in fac.get(thread_url).get_data(as_text=True)
    send(fac, act_url(cohort, "posts", flagged.id), action="restore")
    db.session.expire_all()
    assert db.session.get(Post, flagged.id).hidden_at is None and len(events("item.restored")) == 1


def test_edit_keeps_the_original_and_says_a_facilitator_edited(cohort, facilitator, peers, flagged, as_user):
    fac = as_user(facilitator)
    url = f"{act_url(cohort, 'posts', flagged.id)}/edit"
    assert "Some worrying words" in fac.get(url).get_data(as_text=True)
    refused = send(fac, url, body="Kinder words", reason="")
    assert refused.status_code == 422 and "Kinder words" in refused.get_data(as_text=True)  # nothing typed lost
    assert send(fac, url, body="Kinder words", reason="Named a neighbour").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, flagged.id).body_source == "Kinder words"
    assert db.session.scalars(select(PostRevision.body_source)).all() == ["Some worrying words"]
    assert len(events("item.edited")) == 1 and open_flags() == 0
    html = as_user(peers[2]).get(f"/cohorts/{cohort.id}/threads/{flagged.thread_id}").get_data(as_text=True)
    assert "edited by a facilitator" in html and "Kinder words" in html


def test_lock_unlock_and_move_a_thread(cohort, facilitator, flagged, as_user, timetable):
    fac = as_user(facilitator)
    thread_id = flagged.thread_id
    send(fac, act_url(cohort, "threads", thread_id), action="lock")
    assert db.session.get(Thread, thread_id).locked is True
    again = send(fac, act_url(cohort, "threads", thread_id), action="lock", follow_redirects=True)
    assert "already locked" in again.get_data(as_text=True)
    send(fac, act_url(cohort, "threads", thread_id), action="unlock")
    db.session.expire_all()
    assert db.session.get(Thread, thread_id).locked is False
    session_id = timetable(cohort)[1].course_session_id
    send(fac, act_url(cohort, "threads", thread_id), action="move", session=str(session_id))
    db.session.expire_all()
    assert db.session.get(Thread, thread_id).course_session_id == session_id
    bad = send(fac, act_url(cohort, "threads", thread_id), action="move", session="99999", follow_redirects=True)
    assert bad.status_code == 422 and "choose one of this cohort" in bad.get_data(as_text=True)
    assert [len(events(a)) for a in ("thread.locked", "thread.unlocked", "thread.moved")] == [1, 1, 1]


def test_every_kind_shows_in_the_queue_and_can_be_hidden(course, cohort, facilitator, learner, peers, flagged,
                                                          as_user):
    from portal.dates import utcnow
    from portal.exercises.feedback_models import Feedback
    from portal.exercises.response_models import ExerciseResponse
    from tests.exercises.factories import add_exercise, add_response

    response = add_response(cohort, add_exercise(course, 1), learner, "My practice words")
    feedback = Feedback(cohort_id=cohort.id, response_id=response.id, reviewer_id=peers[1].id,
                        what_worked="Feedback words", what_worked_html="<p>Feedback words</p>", ratings={},
                        status="given", given_at=utcnow())
    db.session.add(feedback)
    db.session.commit()
    for kind, item_id, author in (("response", response.id, learner.id), ("feedback", feedback.id, peers[1].id),
                                  ("thread", flagged.thread_id, learner.id)):
        db.session.add(Flag(cohort_id=cohort.id, subject_kind=kind, subject_id=item_id, flagger_id=peers[2].id,
                            author_id=author, reason="boundary"))
    db.session.commit()
    fac = as_user(facilitator)
    html = fac.get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert "My practice words" in html and "Feedback words" in html and "Opening words" in html
    send(fac, act_url(cohort, "responses", response.id), action="hide", reason="Too much detail")
    send(fac, act_url(cohort, "feedback", feedback.id), action="hide", reason="Not kind")
    db.session.expire_all()
    assert db.session.get(ExerciseResponse, response.id).hidden_at is not None
    assert db.session.get(Feedback, feedback.id).hidden_by_id == facilitator.id
    page = as_user(peers[0]).get(f"/cohorts/{cohort.id}/responses/{response.id}")
    assert page.status_code in (200, 404)
    assert "My practice words" not in page.get_data(as_text=True)


def test_moderating_what_its_author_withdrew_is_refused_kindly(cohort, facilitator, learner, flagged, as_user):
    from portal.discussions import services

    services.withdraw_post(learner, db.session.get(Post, flagged.id))
    fac = as_user(facilitator)
    for action in ("hide", "restore"):
        response = send(fac, act_url(cohort, "posts", flagged.id), action=action, reason="x", follow_redirects=True)
        assert response.status_code == 409
    assert "already withdrawn" in send(fac, act_url(cohort, "posts", flagged.id), action="hide", reason="x",
                                       follow_redirects=True).get_data(as_text=True)
    assert send(fac, f"{act_url(cohort, 'posts', flagged.id)}/edit", body="b", reason="r").status_code == 409
    assert send(fac, act_url(cohort, "posts", flagged.id), action="dismiss").status_code == 302
    assert open_flags() == 0


@pytest.mark.parametrize("days", ["0", "10000", "-3", "seven", ""])
def test_a_mute_outside_1_to_365_days_is_refused_with_a_clear_message(cohort, facilitator, learner, flagged,
                                                                       as_user, days):
    response = send(as_user(facilitator), act_url(cohort, "posts", flagged.id), action="mute", days=days,
                    reason="Cooling off", follow_redirects=True)
    assert response.status_code == 422 and "Cooling off" in response.get_data(as_text=True)  # the reason is kept
    assert "between 1 and 365" in response.get_data(as_text=True)
    assert db.session.scalar(select(Membership.muted_until).where(Membership.user_id == learner.id)) is None
    assert events("member.muted") == []


def test_a_facilitator_cannot_be_muted(cohort, facilitator, make_user, enrol, peers, as_user):
    from portal.discussions import services

    colleague = make_user("colleague@example.org", name="Col League", two_factor=True)
    enrol(colleague, cohort, "facilitator")
    post = services.start_thread(colleague, cohort, None, "Fac thread", "Fac words", None, None)
    db.session.add(Flag(cohort_id=cohort.id, subject_kind="post", subject_id=post.id, flagger_id=peers[0].id,
                        author_id=colleague.id, reason="boundary"))
    db.session.commit()
    response = send(as_user(facilitator), act_url(cohort, "posts", post.id), action="mute", days="3", reason="x",
                    follow_redirects=True)
    assert "be muted or suspended here" in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["dismiss", "hide", "restore", "lock", "unlock", "move", "mute", "suspend"])
def test_learners_and_other_facilitators_get_404_for_every_action(cohort, learner, peers, other_facilitator,
                                                                   flagged, as_user, action):
    for who in (peers[0], other_facilitator):
        client = as_user(who)
        assert send(client, act_url(cohort, "posts", flagged.id), action=action, reason="r", days="3",
                    session="general").status_code == 404
    assert as_user(peers[0]).get(f"{act_url(cohort, 'posts', flagged.id)}/edit").status_code == 404
    assert send(as_user(peers[0]), f"/cohorts/{cohort.id}/moderation/people/{learner.id}",
                action="unmute").status_code == 404
    assert open_flags() == 2 and db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_an_item_with_an_alert_and_no_flags_is_marked_as_looked_at_once(app, cohort, facilitator, learner,
                                                                         worrying_post, as_user):
    with app.test_request_context():
        raise_alert(cohort.id, "flag_threshold", "post", worrying_post.id, author_id=learner.id)
        db.session.commit()
    fac = as_user(facilitator)
    assert "Looked at: nothing to do" in fac.get(f"/cohorts/{cohort.id}/moderation").get_data(as_text=True)
    assert send(fac, act_url(cohort, "posts", worrying_post.id), action="dismiss").status_code == 302
    assert open_alerts() == 0 and len(events("alert.handled")) == 1
    assert send(fac, act_url(cohort, "posts", worrying_post.id), action="dismiss").status_code == 409
    assert len(events("alert.handled")) == 1
