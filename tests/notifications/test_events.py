"""Discussion events reach the right people and never the wrong ones: cross-cohort, held, hidden, left."""
from __future__ import annotations

import re

from sqlalchemy import update

from portal.cohorts.models import Membership
from portal.discussions.models import Post
from portal.moderation import holding
from portal.notifications import fanout
from portal.notifications.models import ThreadFollow
from tests.notifications.conftest import mails_to, notes_of


def test_a_reply_tells_the_thread_starter_and_followers_but_not_its_author(db, cohort, learner, peer, facilitator,
                                                                             outsider, thread_by, reply_by):
    thread = thread_by(cohort, learner)
    assert db.session.get(ThreadFollow, (learner.id, thread.id)).following  # starting a thread follows it
    reply_by(thread, peer, "Thank you for asking")
    assert [n.kind for n in notes_of(db, learner)] == ["reply_to_me"]
    assert notes_of(db, peer) == [] and notes_of(db, outsider) == [] and notes_of(db, facilitator) == []
    assert db.session.get(ThreadFollow, (peer.id, thread.id)).following  # replying follows it too
    reply_by(thread, facilitator, "Lovely to read")
    assert [n.kind for n in notes_of(db, peer)] == ["thread_reply"]
    assert [n.kind for n in notes_of(db, learner)] == ["reply_to_me", "reply_to_me"]


def test_a_reply_to_a_post_tells_its_author(db, cohort, learner, peer, facilitator, thread_by, reply_by):
    thread = thread_by(cohort, facilitator)
    first = reply_by(thread, learner, "My first thoughts")
    reply_by(thread, peer, "I agree with you", reply_to=first)
    assert [n.kind for n in notes_of(db, learner)] == ["reply_to_me"]
    assert [n.kind for n in notes_of(db, facilitator)][-1] == "thread_reply"


def test_mentions_reach_members_of_the_same_cohort_only(db, cohort, learner, peer, outsider, thread_by, reply_by):
    thread = thread_by(cohort, learner)
    reply_by(thread, learner, "Thinking of @Pat Peer and @Olu Outsider today")
    assert [n.kind for n in notes_of(db, peer)] == ["mention"]
    assert notes_of(db, outsider) == []


def test_a_held_reply_tells_nobody_until_released(db, cohort, learner, peer, facilitator, thread_by, reply_by):
    thread = thread_by(cohort, learner)
    reply_by(thread, peer, "An ordinary reply")
    held = reply_by(thread, facilitator, "x")  # facilitators' posts aren't held: hold one by hand below
    before = len(notes_of(db, learner))
    from portal.discussions import services
    post = services.reply(peer, thread, "I want to end my life", None, None, "held-1")
    fanout.sweep()
    assert post.held_at is not None
    assert len(notes_of(db, learner)) == before
    holding.release_held(facilitator, cohort.id, "post", post.id)
    fanout.sweep()
    assert len(notes_of(db, learner)) == before + 1
    assert held


def test_hidden_withdrawn_and_left_are_neither_listed_nor_opened(db, client, auth, cohort, learner, peer,
                                                                  thread_by, reply_by):
    thread = thread_by(cohort, learner)
    hidden = reply_by(thread, peer, "Words that get hidden")
    withdrawn = reply_by(thread, peer, "Words taken back")
    kept = reply_by(thread, peer, "Words that stay")
    ids = {n.subject_id: n.id for n in notes_of(db, learner)}
    db.session.execute(update(Post).where(Post.id == hidden.id).values(hidden_at=hidden.created_at))
    db.session.execute(update(Post).where(Post.id == withdrawn.id).values(withdrawn_at=withdrawn.created_at))
    db.session.commit()
    auth.login(learner)
    page = client.get("/notifications").get_data(as_text=True)
    assert len(re.findall(r'href="/notifications/\d+"', page)) == 1
    assert client.get(f"/notifications/{ids[hidden.id]}").status_code == 404
    assert client.get(f"/notifications/{ids[withdrawn.id]}").status_code == 404
    assert client.get(f"/notifications/{ids[kept.id]}").status_code == 302
    db.session.execute(update(Membership).where(Membership.user_id == learner.id).values(status="left"))
    db.session.commit()
    assert "replied to you" not in client.get("/notifications").get_data(as_text=True)
    assert client.get(f"/notifications/{ids[kept.id]}").status_code == 404


def test_nobody_is_told_of_a_post_they_could_not_see_when_it_was_written(db, cohort, learner, peer, thread_by,
                                                                         reply_by):
    thread = thread_by(cohort, learner)
    db.session.execute(update(Membership).where(Membership.user_id == learner.id).values(status="suspended"))
    db.session.commit()
    reply_by(thread, peer, "Hello")
    assert notes_of(db, learner) == []
    assert mails_to(db, learner) == []


def test_another_users_notification_is_404(db, client, auth, cohort, learner, peer, thread_by, reply_by):
    thread = thread_by(cohort, learner)
    reply_by(thread, peer)
    note = notes_of(db, learner)[0]
    auth.login(peer)
    assert client.get(f"/notifications/{note.id}").status_code == 404


def test_an_event_is_fanned_out_once_however_often_it_is_run(db, cohort, learner, peer, thread_by):
    from portal.discussions import services
    from portal.notifications.models import NotificationEvent
    thread = thread_by(cohort, learner)
    services.reply(peer, thread, "Once only", None, None, "once")
    event_id = db.session.query(NotificationEvent.id).order_by(NotificationEvent.id.desc()).first()[0]
    assert fanout.fan_out(event_id) == 1
    assert fanout.fan_out(event_id) == 0
    assert fanout.sweep() == 0
    assert len(notes_of(db, learner)) == 1 and len(mails_to(db, learner)) == 1
