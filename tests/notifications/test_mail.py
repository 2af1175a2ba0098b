"""Emails: at once or in digests under each person's preferences, without members' words unless they opted in,
each with a one-click unsubscribe link that works once (RFC 8058: no session, no CSRF token)."""
from __future__ import annotations

import re

from itsdangerous import URLSafeTimedSerializer

from portal.notifications import mailer, services
from portal.notifications.models import NotificationPreference
from portal.notifications.tokens import SALT
from tests.conftest import login
from tests.notifications.conftest import mails_to, notes_of


def _unsubscribe_path(mail) -> str:
    header = mail.headers["List-Unsubscribe"]
    assert header.startswith("<http://localhost/unsubscribe/") and header.endswith(">")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return header[len("<http://localhost"):-1]


def test_an_at_once_email_names_who_and_where_but_not_their_words(db, cohort, learner, peer, thread_by, reply_by):
    thread = thread_by(cohort, learner, title="Coping this week")
    reply_by(thread, peer, "My private struggle with sleep")
    mail, = mails_to(db, learner)
    assert mail.subject == "Pat Peer replied to you in “Coping this week”"
    assert "private struggle" not in mail.body and "private struggle" not in mail.subject
    note = notes_of(db, learner)[0]
    assert f"http://localhost/notifications/{note.id}" in mail.body
    assert note.mailed_at is not None
    assert mails_to(db, peer) == []


def test_words_are_included_only_after_opting_in(db, cohort, learner, peer, thread_by, reply_by):
    services.save_preferences(learner.id, {}, include_words=True)
    thread = thread_by(cohort, learner)
    reply_by(thread, peer, "Words I chose to share")
    assert "> Words I chose to share" in mails_to(db, learner)[0].body


def test_follower_replies_wait_for_the_daily_digest_by_default_then_go_once(db, cohort, learner, peer, facilitator,
                                                                             outsider, thread_by, reply_by):
    thread = thread_by(cohort, facilitator, title="Week one")
    reply_by(thread, learner, "First")
    reply_by(thread, peer, "Second")
    reply_by(thread, facilitator, "Third")
    before = len(mails_to(db, learner))
    assert mailer.digest("weekly") == 0
    assert mailer.digest("daily") >= 1
    digest = mails_to(db, learner)[before:]
    assert len(digest) == 1 and digest[0].subject.startswith("Your daily summary")
    assert "Pat Peer replied in “Week one”" in digest[0].body and "Second" not in digest[0].body
    assert "/unsubscribe/" in digest[0].body
    assert mailer.digest("daily") == 0  # nothing twice
    assert mails_to(db, outsider) == []


def test_a_digest_leaves_out_what_can_no_longer_be_seen(db, cohort, learner, peer, thread_by, reply_by):
    from sqlalchemy import update

    from portal.discussions.models import Post
    services.save_preferences(learner.id, {"reply_to_me": "daily"}, include_words=False)
    thread = thread_by(cohort, learner, title="A thread")
    post = reply_by(thread, peer, "Soon hidden")
    db.session.execute(update(Post).where(Post.id == post.id).values(hidden_at=post.created_at))
    db.session.commit()
    assert mailer.digest("daily") == 0
    assert mails_to(db, learner) == []


def test_off_means_listed_but_never_mailed(db, cohort, learner, peer, thread_by, reply_by):
    services.save_preferences(learner.id, {"reply_to_me": "off"}, include_words=False)
    thread = thread_by(cohort, learner)
    reply_by(thread, peer)
    assert len(notes_of(db, learner)) == 1 and mails_to(db, learner) == []
    assert mailer.digest("daily") == 0


def test_one_click_unsubscribe_works_without_session_or_csrf_and_once(app, db, cohort, learner, peer, thread_by,
                                                                      reply_by):
    thread = thread_by(cohort, learner)
    reply_by(thread, peer)
    path = _unsubscribe_path(mails_to(db, learner)[0])
    client = app.test_client()  # no session, no CSRF token: as a mail provider posts it
    assert "Stop these emails" in client.get(path).get_data(as_text=True)  # a GET changes nothing
    assert db.session.get(NotificationPreference, (learner.id, "reply_to_me")) is None
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Emails stopped" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(NotificationPreference, (learner.id, "reply_to_me")).mode == "off"
    again = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and "already been used" in again.get_data(as_text=True)


def test_forged_and_expired_unsubscribe_links_get_a_friendly_page(app, db, learner):
    client = app.test_client()
    forged = URLSafeTimedSerializer("not-the-key", salt=SALT).dumps({"u": learner.id, "k": "mention", "n": "x"})
    response = client.post(f"/unsubscribe/{forged}")
    assert response.status_code == 400 and "This link doesn't work" in response.get_data(as_text=True)
    assert client.get("/unsubscribe/garbage").status_code == 400
    with app.test_request_context():
        from portal.notifications import tokens
        token = tokens.unsubscribe_token(learner.id, "mention")
    original = tokens.MAX_AGE
    tokens.MAX_AGE = -1
    try:
        response = client.post(f"/unsubscribe/{token}")
    finally:
        tokens.MAX_AGE = original
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert db.session.get(NotificationPreference, (learner.id, "mention")) is None


def test_settings_page_saves_choices_with_sensible_defaults(app, db, client, auth, learner, facilitator, cohort):
    auth.login(learner)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert re.search(r'name="mode-reply_to_me" value="now" checked', page)
    assert re.search(r'name="mode-thread_reply" value="daily" checked', page)
    assert "Safety alerts" not in page  # a learner gets no facilitators' kinds
    from tests.conftest import post
    response = post(client, "/notifications/settings", {"mode-reply_to_me": "weekly", "include_words": "yes"})
    assert response.status_code == 302
    modes, words = services.load_preferences(learner.id, False)
    assert modes["reply_to_me"] == "weekly" and words
    bad = post(client, "/notifications/settings", {"mode-reply_to_me": "hourly"})
    assert bad.status_code == 422 and "choice isn" in bad.get_data(as_text=True)
    fac = app.test_client()
    login(fac, facilitator.email)
    page = fac.get("/notifications/settings").get_data(as_text=True)
    assert "can't be turned off" in page and "Follow every thread" in page
