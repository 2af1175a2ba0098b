"""The notification list, the header count, marking read, following, the members lookup, and the reply path's
cost with many followers."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, insert, select

from portal.auth.models import User
from portal.cohorts import services as cohort_services
from portal.cohorts.models import Membership
from portal.dates import local_today
from portal.mailqueue.models import QueuedMail
from portal.moderation.alerts import raise_alert
from portal.notifications import fanout, releases
from portal.notifications.models import NotificationEvent, ThreadFollow
from tests.conftest import csrf_token, post
from tests.notifications.conftest import mails_to, notes_of


def test_the_list_shows_unread_first_pages_and_marks_read(db, client, auth, cohort, learner, peer, thread_by,
                                                          reply_by):
    thread = thread_by(cohort, learner, title="Our week")
    for n in range(27):
        reply_by(thread, peer, f"Reply {n}")
    auth.login(learner)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count('href="/notifications/') >= 25 and "Older" in page
    assert "Pat Peer replied to you in “Our week”" in page
    assert re.search(r'Notifications <span class="count-badge">27<', page)
    assert "Reply 3" not in page.replace("Reply 3 ", "")  # no members' words in the list's sentence
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert second.count('href="/notifications/') >= 2 and "Newer" in second
    first = notes_of(db, learner)[0]
    assert post(client, f"/notifications/{first.id}/read").status_code == 302
    assert notes_of(db, learner)[0].read_at is not None
    assert 'count-badge">26<' in client.get("/notifications").get_data(as_text=True)
    assert post(client, "/notifications/read").status_code == 302
    assert all(n.read_at for n in notes_of(db, learner))
    assert "count-badge" not in client.get("/notifications").get_data(as_text=True)


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(db, client, auth, cohort, learner, peer,
                                                                    thread_by, reply_by):
    thread = thread_by(cohort, learner)
    reply = reply_by(thread, peer)
    note = notes_of(db, learner)[0]
    auth.login(learner)
    response = client.get(f"/notifications/{note.id}")
    assert response.headers["Location"] == f"/cohorts/{cohort.id}/posts/{reply.id}"
    assert notes_of(db, learner)[0].read_at is not None


def test_the_header_count_costs_no_query_of_its_own(db, client, auth, cohort, learner, peer, thread_by, reply_by,
                                                   count_queries):
    auth.login(learner)
    with count_queries() as n:
        client.get("/home")
    before = n()
    thread = thread_by(cohort, learner)
    reply_by(thread, peer)
    with count_queries() as n:
        page = client.get("/home").get_data(as_text=True)
    assert 'count-badge">1<' in page
    assert n() == before


def test_the_list_page_runs_a_fixed_number_of_queries(db, client, auth, cohort, learner, peer, facilitator,
                                                      thread_by, reply_by, count_queries):
    thread = thread_by(cohort, learner)
    reply_by(thread, peer)
    auth.login(learner)
    with count_queries() as n:
        client.get("/notifications")
    few = n()
    for _ in range(10):
        reply_by(thread, peer)
    releases.record_opened_sessions()
    fanout.sweep()
    with count_queries() as n:
        client.get("/notifications")
    assert n() <= few + 1 <= 10  # one query per kind of subject shown (posts, sessions)


def test_a_reply_with_300_followers_costs_what_one_with_none_does(app, db, client, auth, cohort, learner, peer,
                                                                   thread_by, count_queries, queue_waits):
    quiet, busy = thread_by(cohort, learner, title="Quiet"), thread_by(cohort, learner, title="Busy")
    db.session.execute(insert(User), [{"email": f"f{i}@example.org", "display_name": f"Follower {i}",
                                       "password_hash": "x"} for i in range(300)])
    ids = db.session.scalars(select(User.id).where(User.email.like("f%@example.org"))).all()
    db.session.execute(insert(Membership), [{"user_id": i, "cohort_id": cohort.id, "role": "learner",
                                             "status": "active"} for i in ids])
    db.session.execute(insert(ThreadFollow), [{"user_id": i, "thread_id": busy.id, "following": True} for i in ids])
    db.session.commit()
    auth.login(peer)
    counts = []
    for thread in (quiet, busy):
        url = f"/cohorts/{cohort.id}/threads/{thread.id}"
        token = csrf_token(client, url)
        with count_queries() as n:
            assert client.post(url, data={"body": f"Hello {thread.title}", "client_token": thread.title,
                                          "csrf_token": token}).status_code == 302
        counts.append(n())
    assert counts[0] == counts[1] <= 10
    assert queue_waits.pending_count() == 2  # the fan-out waits on the queue, one task each
    queue_waits.flush()
    fanout.sweep()  # the worker's turn (or the sweep's, had the queue lost them)
    assert db.session.scalar(select(func.count()).select_from(ThreadFollow)) >= 300
    assert len(notes_of(db, db.session.get(User, ids[0]))) == 1


def test_a_released_session_tells_its_members_once(db, cohort, learner, facilitator, outsider, timetable):
    entry = timetable(cohort)[1]
    cohort_services.release_session(entry, facilitator.id)
    fanout.sweep()
    assert [n.kind for n in notes_of(db, learner)] == ["session_released"]
    assert notes_of(db, outsider) == [] and notes_of(db, facilitator) == []  # the facilitator released it
    first = timetable(cohort)[0]
    first.day = local_today()
    db.session.commit()
    assert releases.record_opened_sessions() == 1
    assert releases.record_opened_sessions() == 0
    fanout.sweep()
    assert len(notes_of(db, learner)) == 2
    old = timetable(cohort)[2]
    old.day = local_today() - timedelta(days=30)  # the past isn't announced
    db.session.commit()
    assert releases.record_opened_sessions() == 0


def test_alerts_join_facilitators_lists_without_a_second_email(db, cohort, learner, facilitator, other_facilitator):
    raise_alert(cohort.id, "safety_flag", "post", 1, author_id=learner.id, raised_by_id=learner.id)
    db.session.commit()
    mails = len(mails_to(db, facilitator))
    fanout.sweep()
    note, = notes_of(db, facilitator)
    assert note.kind == "safety_alert" and note.actor_id is None  # a flagger is never named
    assert len(mails_to(db, facilitator)) == mails == 1
    assert notes_of(db, learner) == [] and notes_of(db, other_facilitator) == []


def test_the_members_lookup_offers_this_cohorts_members_only(client, auth, cohort, learner, peer, outsider):
    auth.login(learner)
    assert client.get(f"/cohorts/{cohort.id}/members/lookup?q=pa").get_json() == {"names": ["Pat Peer"]}
    assert client.get(f"/cohorts/{cohort.id}/members/lookup?q=ol").get_json() == {"names": []}
    assert client.get(f"/cohorts/{cohort.id}/members/lookup?q=le").get_json() == {"names": []}  # not oneself


def test_unfollowing_stops_thread_replies_and_replying_again_does_not_refollow(db, client, auth, cohort, learner,
                                                                             peer, facilitator, thread_by, reply_by):
    thread = thread_by(cohort, facilitator)
    reply_by(thread, learner)
    auth.login(learner)
    page = client.get(f"/cohorts/{cohort.id}/threads/{thread.id}").get_data(as_text=True)
    assert "Stop following this thread" in page
    assert post(client, f"/cohorts/{cohort.id}/threads/{thread.id}/follow", {"following": "no"}).status_code == 302
    assert "Follow this thread" in client.get(f"/cohorts/{cohort.id}/threads/{thread.id}").get_data(as_text=True)
    reply_by(thread, learner)
    reply_by(thread, peer)
    assert notes_of(db, learner) == []
    assert db.session.scalar(select(func.count()).select_from(QueuedMail)) >= 0
    assert db.session.scalar(select(func.count()).select_from(NotificationEvent)) >= 3
