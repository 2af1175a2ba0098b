"""Helpers for notification tests: threads and replies through the real services, then the fan-out."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from portal.discussions import services
from portal.discussions.models import Thread
from portal.mailqueue.models import QueuedMail
from portal.notifications import fanout
from portal.notifications.models import Notification

_tokens = itertools.count(1)


@pytest.fixture
def thread_by(db):
    def make(cohort, author, title="How was this week?", body=None):
        body = body or f"Opening words {next(_tokens)}"
        post = services.start_thread(author, cohort, None, title, body, None, f"s{next(_tokens)}")
        fanout.sweep()
        return db.session.get(Thread, post.thread_id)
    return make


@pytest.fixture
def reply_by(db):
    def write(thread, author, body=None, reply_to=None):
        post = services.reply(author, thread, body or f"A reply, number {next(_tokens)}", None, reply_to,
                              f"r{next(_tokens)}")
        fanout.sweep()
        return post
    return write


def notes_of(db, user) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def mails_to(db, user) -> list[QueuedMail]:
    db.session.expire_all()
    return db.session.scalars(select(QueuedMail).where(QueuedMail.to == user.email).order_by(QueuedMail.id)).all()
