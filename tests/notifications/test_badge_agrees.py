"""The header's unread count agrees with the list: notifications about something the person can no longer see
(they left the cohort; the post was withdrawn, hidden or held; a session's early release was taken back) are
counted no more than they are listed. The count still rides on the user loader's one query."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.cohorts import services as cohort_services
from portal.cohorts.models import Membership
from portal.dates import utcnow
from portal.discussions import services as discussions
from portal.moderation.holding import hold
from tests.notifications.conftest import notes_of


def _badge(page: str) -> int:
    found = re.search(r'Notifications <span class="count-badge">(\d+)<', page)
    return int(found.group(1)) if found else 0


def _unread_listed(page: str) -> int:
    return page.count('notification--unread"')


def _agree(client) -> tuple[int, int]:
    page = client.get("/notifications").get_data(as_text=True)
    return _badge(page), _unread_listed(page)


@pytest.fixture
def two_replies(db, cohort, learner, peer, thread_by, reply_by):
    thread = thread_by(cohort, learner, title="Our week")
    first, second = reply_by(thread, peer, "First reply"), reply_by(thread, peer, "Second reply")
    assert len(notes_of(db, learner)) == 2
    return first, second


def test_a_withdrawn_post_leaves_the_count(db, client, auth, learner, peer, two_replies):
    auth.login(learner)
    assert _agree(client) == (2, 2)
    discussions.withdraw_post(peer, two_replies[0])
    assert _agree(client) == (1, 1)


def test_a_hidden_post_leaves_the_count(db, client, auth, learner, two_replies):
    auth.login(learner)
    two_replies[1].hidden_at = utcnow()
    db.session.commit()
    assert _agree(client) == (1, 1)


def test_a_held_post_leaves_the_count(db, client, auth, learner, two_replies):
    auth.login(learner)
    hold(two_replies[0], "safety_words")
    db.session.commit()
    assert _agree(client) == (1, 1)


def test_leaving_the_cohort_leaves_its_notifications_uncounted(db, client, auth, cohort, learner, two_replies):
    auth.login(learner)
    membership = db.session.scalars(select(Membership).where(Membership.user_id == learner.id,
                                                             Membership.cohort_id == cohort.id)).one()
    cohort_services.leave_cohort(membership)
    assert _agree(client) == (0, 0)
    assert "count-badge" not in client.get("/home").get_data(as_text=True)


def test_a_taken_back_release_leaves_the_count(db, client, auth, cohort, learner, facilitator, timetable):
    from portal.notifications import fanout
    entry = timetable(cohort)[1]
    cohort_services.release_session(entry, facilitator.id)
    fanout.sweep()
    auth.login(learner)
    assert _agree(client) == (1, 1)
    cohort_services.withdraw_release(entry)
    assert _agree(client) == (0, 0)


def test_the_count_still_costs_no_query_of_its_own(db, client, auth, cohort, learner, peer, two_replies,
                                                   count_queries):
    auth.login(learner)
    with count_queries() as n:
        page = client.get("/home").get_data(as_text=True)
    before = n()
    assert _badge(page) == 2
    discussions.withdraw_post(peer, two_replies[0])
    with count_queries() as n:
        page = client.get("/home").get_data(as_text=True)
    assert _badge(page) == 1 and n() == before
