"""Helpers for announcement tests: post through the real service, then let the fan-out run."""
from __future__ import annotations

import itertools

import pytest

from portal.announcements import services
from portal.notifications import fanout

_tokens = itertools.count(1)


@pytest.fixture
def announce(db):
    def post(cohort, author, title="Room change for session 2", body="We meet in **room B** this week."):
        row = services.post_announcement(author, cohort, title, body, f"a{next(_tokens)}")
        fanout.sweep()
        return row
    return post
