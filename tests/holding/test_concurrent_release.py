"""Several facilitators releasing (or keeping) the same held post at the same moment: one action recorded.

Each request reads the held post before any of them writes (the read is slowed down to make sure), so only
the conditional UPDATE in the database lets exactly one through. Run on SQLite and on PostgreSQL
(PORTAL_TEST_DATABASE_URL)."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.discussions.models import Post, Thread
from portal.moderation import holding
from tests.auth.test_single_use import _at_once
from tests.conftest import csrf_token
from tests.holding.conftest import WORRYING, c
from tests.security.test_access_matrix import _client

FACILITATORS = 3


@pytest.mark.parametrize("action", ["release", "keep"])
def test_one_action_is_recorded_when_facilitators_act_at_once(app, db, cohort, learner, facilitator, make_user,
                                                             enrol, general_thread, write_reply, monkeypatch,
                                                             action):
    people = [facilitator]
    for n in range(FACILITATORS - 1):
        person = make_user(f"also-facilitating-{n}@example.org", two_factor=True)
        enrol(person, cohort, "facilitator")
        people.append(person)
    thread = general_thread(cohort, facilitator)
    held = write_reply(thread, learner, WORRYING)
    clients = [_client(app, person) for person in people]
    tokens = [csrf_token(client, "/account") for client in clients]
    real = holding.load_held

    def slow(*args, **kwargs):
        found = real(*args, **kwargs)
        time.sleep(0.3)  # every request has read the post by now; none has written yet
        return found
    monkeypatch.setattr(holding, "load_held", slow)
    url = c(cohort, f"held/post/{held.id}/{action}")
    statuses = _at_once([(client, url, {"csrf_token": token}) for client, token in zip(clients, tokens)])
    monkeypatch.undo()
    assert statuses == [302] * FACILITATORS  # each is told kindly; none is a 500
    done = "post.released" if action == "release" else "post.kept"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == done)) == 1
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).held_count == (0 if action == "release" else 1)
    post = db.session.get(Post, held.id)
    assert (post.released_by_id if action == "release" else post.reviewed_by_id) in {p.id for p in people}
