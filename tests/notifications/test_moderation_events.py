"""Moderation events: the outcome of moderation, told calmly to the content's author only; new flags below the
hiding threshold, told to the cohort's facilitators only, never naming the flagger."""
from __future__ import annotations

from sqlalchemy import update

from portal.discussions.models import Post
from portal.moderation import actions, holding
from portal.moderation.flags import flag_item
from portal.moderation.subjects import load_subject
from portal.notifications import fanout
from tests.notifications.conftest import mails_to, notes_of


def kinds(db, user):
    return [n.kind for n in notes_of(db, user)]


def test_hiding_and_restoring_a_post_tells_its_author_only_and_plainly(db, client, auth, cohort, learner, peer,
                                                                       facilitator, outsider, thread_by, reply_by):
    thread = thread_by(cohort, learner, "Week one")
    post = reply_by(thread, peer, "Something unkind")
    before = {u.id: len(notes_of(db, u)) for u in (learner, facilitator, outsider)}
    actions.hide_item(facilitator, load_subject("post", post.id, cohort.id), "It named someone outside the group")
    fanout.sweep()
    assert kinds(db, peer) == ["moderation_outcome"]
    mail = mails_to(db, peer)[-1]
    assert mail.subject == "A facilitator has hidden your post in “Week one” for now, with a note for you"
    for secret in ("named someone", "Fran", "Facilitator Fran", facilitator.email):
        assert secret not in mail.subject + mail.body
    assert {u.id: len(notes_of(db, u)) for u in (learner, facilitator, outsider)} == before
    actions.restore_item(facilitator, load_subject("post", post.id, cohort.id))
    fanout.sweep()
    assert kinds(db, peer) == ["moderation_outcome"] * 2
    auth.login(peer)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your post in “Week one” is showing again" in page
    assert client.get(f"/notifications/{notes_of(db, peer)[-1].id}").headers["Location"] == (
        f"/cohorts/{cohort.id}/posts/{post.id}")


def test_an_edit_and_a_held_post_kept_for_the_facilitators(db, cohort, learner, peer, facilitator, thread_by,
                                                           reply_by):
    from portal.discussions import services
    thread = thread_by(cohort, learner, "Week two")
    post = reply_by(thread, peer, "A reply with a phone number 0123")
    actions.edit_item(facilitator, load_subject("post", post.id, cohort.id), "A reply", "Took out a number")
    held = services.reply(peer, thread, "I want to end my life", None, None, "held-keep")
    holding.keep_held(facilitator, cohort.id, "post", held.id)
    fanout.sweep()
    sentences = [m.subject for m in mails_to(db, peer)]
    assert "A facilitator has edited your post in “Week two”" in sentences
    assert "A facilitator has read your post in “Week two” and will be in touch" in sentences
    assert "moderation_outcome" not in kinds(db, learner)


def test_a_withdrawn_post_no_longer_shows_its_outcome(db, client, auth, cohort, learner, peer, facilitator,
                                                      thread_by, reply_by):
    thread = thread_by(cohort, learner)
    post = reply_by(thread, peer)
    actions.hide_item(facilitator, load_subject("post", post.id, cohort.id), "Off topic")
    fanout.sweep()
    note, = notes_of(db, peer)
    db.session.execute(update(Post).where(Post.id == post.id).values(withdrawn_at=post.created_at))
    db.session.commit()
    auth.login(peer)
    assert client.get(f"/notifications/{note.id}").status_code == 404


def test_a_facilitator_acting_on_their_own_post_is_not_told(db, cohort, learner, facilitator, thread_by):
    thread = thread_by(cohort, facilitator)
    actions.hide_item(facilitator, load_subject("thread", thread.id, cohort.id), "Posted too early")
    fanout.sweep()
    assert "moderation_outcome" not in kinds(db, facilitator)


def test_a_flag_tells_the_facilitators_only_and_never_names_the_flagger(
        db, app, client, auth, cohort, learner, peer, facilitator, outsider, make_user, enrol, other_cohort,
        thread_by, reply_by):
    elsewhere = make_user("far@example.org", name="Far Facilitator")
    enrol(elsewhere, other_cohort, "facilitator")
    thread = thread_by(cohort, learner)
    post = reply_by(thread, facilitator, "A facilitator's reply")
    other = reply_by(thread, learner, "Another reply")
    flag_item(peer, load_subject("post", post.id, cohort.id), "boundary", "Pat's private note")
    fanout.sweep()
    assert "new_flag" not in kinds(db, facilitator)  # the flagged post is theirs
    co = make_user("co@example.org", name="Cora Cofacilitator")
    enrol(co, cohort, "facilitator")
    flag_item(peer, load_subject("post", other.id, cohort.id), "unsupportive", None)
    fanout.sweep()
    assert kinds(db, co) == ["new_flag"] and kinds(db, facilitator)[-1] == "new_flag"
    for person in (learner, peer, outsider, elsewhere):
        assert "new_flag" not in kinds(db, person)
    mail = mails_to(db, co)[-1]
    assert mail.subject == "Something in Cohort North was flagged"
    assert "Pat" not in mail.subject + mail.body and "private note" not in mail.body
    auth.login(co)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Something in Cohort North was flagged" in page and "Pat Peer" not in page
    assert client.get(f"/notifications/{notes_of(db, co)[-1].id}").headers["Location"] == (
        f"/cohorts/{cohort.id}/moderation")


def test_safety_flags_and_flags_past_the_threshold_are_not_told_twice(db, app, monkeypatch, cohort, learner, peer,
                                                                      facilitator, thread_by, reply_by):
    thread = thread_by(cohort, learner)
    first, second = reply_by(thread, learner), reply_by(thread, learner)
    flag_item(peer, load_subject("post", first.id, cohort.id), "safety", None)
    monkeypatch.setitem(app.config, "FLAG_HIDE_THRESHOLD", 1)
    flag_item(peer, load_subject("post", second.id, cohort.id), "boundary", None)
    fanout.sweep()
    assert "new_flag" not in kinds(db, facilitator)
    assert {"safety_alert", "flagged_content"} <= set(kinds(db, facilitator))
    assert "moderation_outcome" not in kinds(db, learner)  # hidden by flags: nobody has judged it yet


def test_dismissing_the_flags_that_hid_a_post_tells_its_author_it_shows_again(db, app, monkeypatch, cohort, learner,
                                                                             peer, facilitator, thread_by, reply_by):
    monkeypatch.setitem(app.config, "FLAG_HIDE_THRESHOLD", 1)
    thread = thread_by(cohort, learner, "Week three")
    post = reply_by(thread, learner)
    flag_item(peer, load_subject("post", post.id, cohort.id), "boundary", None)
    actions.dismiss_flag(facilitator, load_subject("post", post.id, cohort.id), None)
    fanout.sweep()
    assert kinds(db, learner)[-1] == "moderation_outcome"
    assert mails_to(db, learner)[-1].subject == "Your post in “Week three” is showing again"
