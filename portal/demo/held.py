"""Demo: one post in Demo cohort A held for a facilitator (safety words), with its alert, so the held
message, the review page and the moderation queue have something to show. Idempotent."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.cohorts.models import Cohort
from portal.discussions.models import Post, Thread
from portal.dates import utcnow
from portal.extensions import db
from portal.markdown import render_markdown
from portal.moderation.holding import alert_for, hold

AUTHOR = "learner3@example.org"
BODY = ("Today has been really hard. Some nights I think about ending my life, and tonight is one of them. "
        "I didn't know where else to write this.")


def seed_held_post(cohort: Cohort, users: dict) -> None:
    """A held reply by a learner in cohort A's first general thread, unless one is held there already."""
    if cohort.name != "Demo cohort A" or AUTHOR not in users:
        return
    if db.session.scalar(select(Post.id).where(Post.cohort_id == cohort.id, Post.held_at.is_not(None)).limit(1)):
        return
    thread = db.session.scalars(select(Thread).where(Thread.cohort_id == cohort.id, Thread.course_session_id.is_(None),
                                                     Thread.held_at.is_(None)).order_by(Thread.id)).first()
    if thread is None:
        return
    thread.post_count += 1
    thread.held_count += 1
    when = min(thread.last_post_at + timedelta(hours=2), utcnow())
    post = Post(cohort_id=cohort.id, thread_id=thread.id, number=thread.post_count, author_id=users[AUTHOR].id,
                body_source=BODY, body_html=render_markdown(BODY), created_at=when)
    hold(post, "safety_words")
    db.session.add(post)
    alert_for(post, "post", post.author_id)
