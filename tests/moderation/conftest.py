"""A cohort with a thread, a few learners and a facilitator, for flags and the moderation queue."""
from __future__ import annotations

import pytest

from portal.discussions import services as discussions
from tests.conftest import csrf_token, login


@pytest.fixture
def peers(make_user, enrol, cohort):
    """Three more learners of the cohort."""
    people = []
    for n in range(3):
        user = make_user(f"peer{n}@example.org", name=f"Peer {n}")
        enrol(user, cohort, "learner")
        people.append(user)
    return people


@pytest.fixture
def worrying_post(db, cohort, learner, facilitator):
    """The learner's thread in the general space, and a reply of theirs with worrying words."""
    opening = discussions.start_thread(learner, cohort, None, "How was this week", "Opening words", None, None)
    thread = opening.thread_id
    reply = discussions.reply(learner, discussions.db.session.get(discussions.Thread, thread),
                              "Some worrying words", None, None, "tok-1")
    return reply


@pytest.fixture
def as_user(app):
    """A client signed in as this person: as_user(user)."""
    def sign_in(user):
        client = app.test_client()
        login(client, user.email)
        return client
    return sign_in


def send(client, url: str, follow_redirects: bool = False, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/account")},
                       follow_redirects=follow_redirects)
