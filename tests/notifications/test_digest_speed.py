"""A daily digest for 5,000 members (250 cohorts of 20, three replies each cohort: 15,000 notifications)
finishes in under a minute, reading in a fixed number of queries per 500 people."""
from __future__ import annotations

import time

from sqlalchemy import func, insert, select

from portal.auth.models import User
from portal.cohorts.models import Cohort, Membership
from portal.dates import utcnow
from portal.discussions.models import Post, Thread
from portal.mailqueue.models import QueuedMail
from portal.notifications import mailer
from portal.notifications.models import Notification, NotificationEvent

COHORTS, SIZE, POSTS = 250, 20, 3


def _world(db, course):
    now = utcnow()
    db.session.execute(insert(Cohort), [{"course_id": course.id, "name": f"Bench {c}", "status": "running",
                                         "created_at": now} for c in range(COHORTS)])
    db.session.execute(insert(User), [{"email": f"m{i}@example.org", "display_name": f"Member {i}",
                                       "password_hash": "x", "created_at": now, "updated_at": now}
                                      for i in range(COHORTS * SIZE)])
    cohorts = db.session.scalars(select(Cohort.id).order_by(Cohort.id)).all()
    users = db.session.scalars(select(User.id).order_by(User.id)).all()
    members = {c: users[n * SIZE:(n + 1) * SIZE] for n, c in enumerate(cohorts)}
    db.session.execute(insert(Membership), [{"user_id": u, "cohort_id": c, "role": "learner", "status": "active"}
                                            for c, us in members.items() for u in us])
    db.session.execute(insert(Thread), [{"cohort_id": c, "title": f"Week one in {c}", "author_id": us[0],
                                         "post_count": POSTS + 1, "created_at": now, "last_post_at": now}
                                        for c, us in members.items()])
    threads = dict(db.session.execute(select(Thread.cohort_id, Thread.id)).all())
    db.session.execute(insert(Post), [{"cohort_id": c, "thread_id": threads[c], "number": n + 1, "author_id": us[n],
                                       "body_source": f"Words {n}", "body_html": f"<p>Words {n}</p>",
                                       "created_at": now} for c, us in members.items() for n in range(POSTS + 1)])
    posts = db.session.execute(select(Post.id, Post.cohort_id, Post.author_id).where(Post.number > 1)).all()
    db.session.execute(insert(NotificationEvent), [{"kind": "post", "cohort_id": c, "actor_id": a,
                                                    "subject_kind": "post", "subject_id": p, "created_at": now,
                                                    "fanned_out_at": now} for p, c, a in posts])
    events = dict(db.session.execute(select(NotificationEvent.subject_id, NotificationEvent.id)).all())
    db.session.execute(insert(Notification), [
        {"user_id": u, "event_id": events[p], "kind": "thread_reply", "cohort_id": c, "actor_id": a,
         "subject_kind": "post", "subject_id": p, "created_at": now}
        for p, c, a in posts for u in members[c] if u != a])
    db.session.commit()
    return len(users)


def test_a_daily_digest_for_5000_members_takes_under_a_minute(db, course, count_queries, capsys, queue_waits):
    """The digest run writes the outbox; delivering it is the queue's work (queue_waits: enqueued, not sent)."""
    people = _world(db, course)
    started = time.perf_counter()
    with count_queries() as n:
        mailed = mailer.digest("daily")
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\ndigest: {mailed} emails to {people} members in {seconds:.1f} s, {n()} statements")

    assert mailed == people
    assert seconds < 60
    # Reads and updates: a few per 500 people, never one per person. Each email is one row written through
    # portal.mail.queue_mail (the mail outbox's own insert: the ORM doesn't batch it on SQLite).
    reads = [s for s in n.statements if not s.startswith("INSERT INTO queued_mail")]
    assert len(reads) < 5 * (people // mailer.DIGEST_CHUNK + 1)
    assert db.session.scalar(select(func.count()).select_from(QueuedMail)) == people
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.mailed_at.is_(None))) == 0
