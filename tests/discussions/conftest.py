"""Helpers for discussion tests: open sessions, write posts through the real services."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.dates import utcnow
from portal.discussions import services
from portal.discussions.models import Post, Thread

_tokens = itertools.count(1)


@pytest.fixture
def open_sessions(db, timetable):
    """Open the first `n` sessions of a cohort by date."""
    def open_(cohort, n: int = 1):
        for entry in timetable(cohort)[:n]:
            entry.starts_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    return open_


@pytest.fixture
def general_thread(db):
    def make(cohort, author, title="A general thread", body="Opening words", **settings):
        post = services.start_thread(author, cohort, None, title, body, None, None)
        thread = db.session.get(Thread, post.thread_id)
        for key, value in settings.items():
            setattr(thread, key, value)
        db.session.commit()
        return thread
    return make


@pytest.fixture
def write_reply(db):
    def write(thread, author, body=None, **kwargs):
        n = next(_tokens)
        return services.reply(author, thread, body or f"A reply, number {n}", kwargs.get("warning"),
                              kwargs.get("reply_to"), f"t{n}")
    return write


def starter(db, cohort, number=1) -> Thread:
    return db.session.scalars(select(Thread).where(Thread.cohort_id == cohort.id,
                                                   Thread.starter_key == f"session-{number}/1")).one()


def posts_of(db, thread) -> list[Post]:
    db.session.expire_all()
    return db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
